"""The search service the rest of the app uses: an index that follows the database.

Before every search it checks the change log's newest sequence number against the index's,
and applies what is missing (under the writer lock, so several workers never write at once).
"""

from collections.abc import Callable

from sqlalchemy import Engine

from app.catalogue.taxonomy import load_vocabulary
from app.config import Settings
from app.search.highlight import Highlighter
from app.search.indexer import IndexStore
from app.search.query import SearchIndex, SearchRequest, SearchResult
from app.search.thesaurus import load_thesaurus
from app.search.vocabulary import load_concepts

# Told of each counted search: its text and how many offers it found.
SearchRecorder = Callable[[str, int], None]


class SearchService:
    """Search over the public catalogue of one database."""

    def __init__(
        self, settings: Settings, engine: Engine, *, recorder: SearchRecorder | None = None
    ) -> None:
        self.engine = engine
        self.vocabulary = load_vocabulary(settings.taxonomy_path)
        self.store = IndexStore(settings.index_dir)
        concepts = load_concepts(settings.concepts_path)
        self.index = SearchIndex(self.store, concepts, load_thesaurus(settings.thesaurus_path))
        self.recorder = recorder

    def ensure(self) -> str:
        """Rebuild a missing, corrupt or outdated index; say what was done."""
        return self.store.ensure(self.engine, self.vocabulary)

    def rebuild(self) -> int:
        """Build the whole index anew; return the number of offers in it."""
        return self.store.rebuild(self.engine, self.vocabulary).documents

    def follow(self) -> int:
        """Apply committed changes the index has not seen yet."""
        return self.store.sync(self.engine, self.vocabulary)

    def search(self, request: SearchRequest, *, counted: bool = False) -> SearchResult:
        """Search the index, after catching up with the database. A `counted` search (a
        person's first page on the portal) is told to the recorder."""
        self.follow()
        result = self.index.search(request)
        if counted and self.recorder is not None and request.text.strip():
            self.recorder(request.text, result.total)
        return result

    def codes(self, facet: str) -> frozenset[str]:
        """The codes of a facet that offers carry (e.g. every town), after catching up."""
        self.follow()
        return self.index.codes(facet)

    def highlighter(self, text: str) -> Highlighter:
        """What to mark in offers' texts as matching this query."""
        return self.index.highlighter(text)

    def close(self) -> None:
        self.index.close()
