"""Search over the catalogue: a Whoosh index derived from the database.

`schema.py` (fields), `analysis.py` (Danish analysis), `vocabulary.py` (life situations),
`indexer.py` (build and follow the change log), `query.py` (search, facets, suggestions),
`masks.py` (documents as bit masks), `ranking.py` (weighted query, BM25, concepts),
`thesaurus.py` (general synonyms), `highlight.py` (matched words in offer texts),
`fallback.py` (a plain database search while the index is unavailable),
`engine.py` (the service the app uses, which repairs the index in the background).
Whoosh objects never leave this package.
"""

from app.search.engine import SearchService
from app.search.highlight import Highlighter
from app.search.indexer import IndexWriteError
from app.search.query import PLACEHOLDER, FacetCount, Hit, SearchRequest, SearchResult

__all__ = [
    "PLACEHOLDER",
    "FacetCount",
    "Highlighter",
    "Hit",
    "IndexWriteError",
    "SearchRequest",
    "SearchResult",
    "SearchService",
]
