"""The search service the rest of the app uses: an index that follows the database and heals.

Before every search it applies small committed changes at once (under the writer lock, so
several workers never write at once). Anything bigger, and any failure to read or write the
index, goes to a background repair, one at a time per process and backing off while it keeps
failing (a full disk, a read-only folder). Meanwhile searches answer from the last good index
this process has open, or else from a plain database search marked `degraded`; nobody gets an
error because of the index.
"""

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.catalogue.taxonomy import load_vocabulary
from app.config import Settings
from app.search.fallback import database_search, database_towns
from app.search.highlight import Highlighter
from app.search.indexer import IndexStore, IndexWriteError, RebuildNeeded
from app.search.query import SearchIndex, SearchRequest, SearchResult
from app.search.thesaurus import load_thesaurus
from app.search.vocabulary import load_concepts

log = logging.getLogger("opslagstavle.search")

# Told of each counted search: its text and how many offers it found.
SearchRecorder = Callable[[str, int], None]
# How long a search waits for another worker's write before it answers from what it has.
_LOCK_WAIT = 2.0
_LONGEST_BACKOFF = 300.0


class _Repairs:
    """At most one background repair at a time, retried with a growing pause after failures.
    A request while one runs makes it run once more: the damage may be newer than its check."""

    def __init__(self, run: Callable[[], str], *, backoff: float) -> None:
        self._run = run
        self._backoff = backoff
        self._delay = backoff
        self._next_try = 0.0
        self._again = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def request(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            if time.monotonic() < self._next_try:
                return
            self._thread = threading.Thread(target=self._work, name="index-repair", daemon=True)
            self._thread.start()

    @property
    def pending(self) -> bool:
        with self._lock:
            busy = self._thread is not None and self._thread.is_alive()
            return busy or self.last_error is not None

    def wait(self, timeout: float) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                self._again = False
            try:
                outcome = self._run()
            except Exception as exc:  # noqa: BLE001  (whatever failed, retry later; searches go on)
                log.warning("search index repair failed, retrying later: %s", exc)
                with self._lock:
                    self._next_try = time.monotonic() + self._delay
                    self._delay = min(self._delay * 2, _LONGEST_BACKOFF)
                    self.last_error = str(exc)
                return
            log.info("search index %s", outcome)
            with self._lock:
                self._delay, self._next_try, self.last_error = self._backoff, 0.0, None
                if not self._again:
                    return


class SearchService:
    """Search over the public catalogue of one database."""

    def __init__(
        self, settings: Settings, engine: Engine, *, recorder: "SearchRecorder | None" = None
    ) -> None:
        self.engine = engine
        self.vocabulary = load_vocabulary(settings.taxonomy_path)
        self.store = IndexStore(settings.index_dir)
        concepts = load_concepts(settings.concepts_path)
        self.index = SearchIndex(self.store, concepts, load_thesaurus(settings.thesaurus_path))
        self.recorder = recorder
        self.repairs = _Repairs(self._repair, backoff=settings.INDEX_RETRY_SECONDS)
        self._reported: object = None

    # --------------------------------------------------------------- commands (synchronous)

    def ensure(self) -> str:
        """Rebuild a missing, corrupt or outdated index; say what was done."""
        return self.store.ensure(self.engine, self.vocabulary)

    def rebuild(self) -> int:
        """Build the whole index anew; return the number of offers in it."""
        return self.store.rebuild(self.engine, self.vocabulary).documents

    def follow(self) -> int:
        """Apply committed changes the index has not seen yet (rebuilding if that is faster)."""
        return self.store.sync(self.engine, self.vocabulary)

    # ------------------------------------------------------------------ serving (never fails)

    def start(self) -> None:
        """At server start: check the index in the background, rebuilding a missing, damaged
        or outdated one, while searches are answered."""
        self.repairs.request()

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for a running background repair (tests and benchmarks)."""
        self.repairs.wait(timeout)

    def search(self, request: SearchRequest, *, counted: bool = False) -> SearchResult:
        """Search the index, after catching up with the database. A `counted` search (a
        person's first page on the portal) is told to the recorder."""
        self._catch_up()
        try:
            result = self.index.search(request)
        except SQLAlchemyError:
            raise
        except Exception as exc:  # noqa: BLE001  (any failure to read the index is damage)
            self._damaged(exc)
            result = database_search(self.engine, request)
        self._notice_stale_searcher()
        if counted and self.recorder is not None and request.text.strip():
            self._record(request.text, result)
        return result

    def _record(self, text: str, result: SearchResult) -> None:
        """Tell the recorder the anonymised query; without the index's words, nothing."""
        if result.degraded:
            return
        try:
            anonymised = self.index.anonymise(text)
        except Exception as exc:  # noqa: BLE001
            self._damaged(exc)
            return
        self.recorder(anonymised, result.total)  # type: ignore[misc]

    def codes(self, facet: str) -> frozenset[str]:
        """The codes of a facet that offers carry (e.g. every town), after catching up."""
        self._catch_up()
        try:
            return self.index.codes(facet)
        except Exception as exc:  # noqa: BLE001
            self._damaged(exc)
            return database_towns(self.engine) if facet == "town" else frozenset()

    def highlighter(self, text: str) -> Highlighter:
        """What to mark in offers' texts as matching this query."""
        try:
            return self.index.highlighter(text)
        except Exception as exc:  # noqa: BLE001
            self._damaged(exc)
            return Highlighter.for_query(text, frozenset())

    def readiness(self) -> tuple[bool, str]:
        """Whether the index is whole and current, and if not, why (for /readyz)."""
        self._catch_up()
        lag = self.store.lag(self.engine)
        if lag is None:
            self.repairs.request()
            return False, "the search index is being built"
        if self.repairs.pending or self.index.damage is not None:
            return False, "the search index is being repaired"
        if lag:
            return False, f"the search index is {lag} changes behind"
        return True, "the search index is current"

    def close(self) -> None:
        self.index.close()

    # ------------------------------------------------------------------------------ inside

    def _repair(self) -> str:
        return self.store.ensure(self.engine, self.vocabulary)

    def _catch_up(self) -> None:
        """Apply small changes now; a rebuild or a failed write goes to the background."""
        try:
            self.store.sync(self.engine, self.vocabulary, rebuild=False, wait=_LOCK_WAIT)
            if self.repairs.last_error is not None:
                # Writing works again: let a repair confirm the index is whole.
                self.repairs.request()
        except SQLAlchemyError:
            raise
        except RebuildNeeded:
            self.repairs.request()
        except IndexWriteError as exc:
            self._report(exc)
            self.repairs.request()
        except Exception as exc:  # noqa: BLE001  (an unreadable folder: rebuild it)
            self._damaged(exc)

    def _notice_stale_searcher(self) -> None:
        """The index moved but could not be opened: the last good one answered; repair."""
        if self.index.damage is not None:
            self._damaged(self.index.damage)

    def _damaged(self, exc: Exception) -> None:
        self._report(exc)
        self.repairs.request()

    def _report(self, exc: Exception) -> None:
        # Once per index version and kind of failure, not once per search.
        key = (self.store.current, type(exc))
        if key != self._reported:
            self._reported = key
            log.warning(
                "search index unavailable (%s: %s); searches go on", type(exc).__name__, exc
            )
