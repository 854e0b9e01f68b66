"""The search service the rest of the app uses: an index that follows the database.

Before every search it checks the change log's newest sequence number against the index's,
and applies what is missing (under the writer lock, so several workers never write at once).
"""

import logging
from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.config import TIMEZONE, Settings
from app.db import session_scope
from app.search.highlight import Highlighter
from app.search.indexer import IndexStore
from app.search.query import SearchIndex, SearchRequest, SearchResult
from app.search.vocabulary import load_concepts
from app.services import search_stats
from app.services.taxonomy import load_vocabulary

logger = logging.getLogger("opslagstavle.search")


class SearchService:
    """Search over the public catalogue of one database."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.engine = engine
        self.vocabulary = load_vocabulary(settings.taxonomy_path)
        self.store = IndexStore(settings.index_dir)
        concepts = load_concepts(settings.CATALOGUE_DIR / "vocabulary.yaml")
        self.index = SearchIndex(self.store, concepts)
        self._compacted_on: date | None = None

    def ensure(self) -> str:
        """Rebuild a missing, corrupt or outdated index; say what was done."""
        return self.store.ensure(self.engine, self.vocabulary)

    def rebuild(self) -> int:
        """Build the whole index anew; return the number of offers in it."""
        return self.store.rebuild(self.engine, self.vocabulary).documents

    def follow(self) -> int:
        """Apply committed changes the index has not seen yet."""
        return self.store.sync(self.engine, self.vocabulary)

    def search(self, request: SearchRequest, *, record: bool = True) -> SearchResult:
        """Search the index, after catching up with the database; count the search unless
        `record` is false (a further page of a search already counted)."""
        self.follow()
        result = self.index.search(request)
        if record and request.text.strip():
            self._count(request.text, result.total)
        return result

    def codes(self, facet: str) -> frozenset[str]:
        """The codes of a facet that offers carry (e.g. every town), after catching up."""
        self.follow()
        return self.index.codes(facet)

    def highlighter(self, text: str) -> Highlighter:
        """What to mark in offers' texts as matching this query."""
        return self.index.highlighter(text)

    def _count(self, text: str, total: int) -> None:
        # Counting is a side matter: a busy or failing database must not cost the person
        # their results.
        today = datetime.now(TIMEZONE).date()
        try:
            if self._compacted_on != today:
                with session_scope(self.engine) as session:
                    search_stats.compact(session, today=today)
                self._compacted_on = today
            search_stats.record_search(self.engine, text=text, results=total, today=today)
        except SQLAlchemyError:
            logger.warning("search statistics not recorded", exc_info=True)

    def close(self) -> None:
        self.index.close()
