"""Building the index from the database and keeping it in step with the change log.

The index lives in a folder of its own under the index directory; the file CURRENT names it.
A rebuild writes a new folder and then swaps CURRENT in one rename, so a process killed in the
middle leaves the old index (and an unfinished folder that `clean` removes). Each folder
records the last change-log sequence number it has applied; `sync` applies newer changes. One
writer at a time: every writing step holds an exclusive file lock.

A write that fails (a full disk, a read-only folder) is cancelled: Whoosh's lock is released
and the files it had written are removed, then `IndexWriteError` is raised. A state or word
file that cannot be read counts as no index. Files are opened without mmap: a segment that
someone truncates under a mapping would kill the process with SIGBUS instead of raising.
"""

import contextlib
import errno
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from app.catalogue.loading import offer_load_options
from app.catalogue.taxonomy import Vocabulary
from app.catalogue.visibility import visible
from app.models import ChangeLog, Offer, OfferTerm, OrganizationTerm
from app.search.analysis import MAX_TERM, MAX_TOKENS, analyse, fold, normalise, with_compound_parts
from app.search.legal import references
from app.search.schema import FACETS, SCHEMA_VERSION, TEXT, TEXT_FIELDS, build_schema

# More changes than this share of the index are applied by rebuilding, which is faster.
_REBUILD_SHARE = 0.3
_BATCH = 500


class IndexWriteError(Exception):
    """Writing the index failed; nothing half-written was left behind."""


class RebuildNeeded(Exception):
    """The index must be built anew before it can follow the database again."""


@dataclass
class IndexState:
    """What an index folder knows about itself."""

    seq: int
    schema: int
    documents: int


def _links(offer: Offer) -> list[OfferTerm | OrganizationTerm]:
    return [*offer.terms, *offer.organization.terms]


def _offer_text(offer: Offer, vocabulary: Vocabulary) -> dict[str, str]:
    labels: list[str] = []
    for link in _links(offer):
        ours = vocabulary.term(link.term.taxonomy.name, link.term.code or "")
        labels.extend((ours.da, ours.en) if ours else (link.term.name,))
    return {
        "name": offer.name,
        "labels": " ".join(labels),
        "description": offer.description,
        "legal": offer.eligibility_description or "",
        "how": offer.application_process or "",
        "org": offer.organization.name,
    }


def _facets(offer: Offer) -> dict[str, str]:
    codes: dict[str, list[str]] = {facet: [] for facet in FACETS}
    for link in _links(offer):
        taxonomy = link.term.taxonomy.name
        if taxonomy in codes and link.term.code:
            codes[taxonomy].append(link.term.code)
    towns = {a.city for sal in offer.service_at_locations for a in sal.location.addresses}
    result = {facet: " ".join(values) for facet, values in codes.items() if facet != "town"}
    result["town"] = ",".join(sorted(towns))
    return result


@dataclass
class _Analysed:
    offer_id: str
    fields: dict[str, list[str]]
    document: dict[str, Any]
    words: dict[str, str]


def _analyse_offer(offer: Offer, vocabulary: Vocabulary) -> _Analysed:
    texts = _offer_text(offer, vocabulary)
    words: dict[str, str] = {}
    for key in ("name", "labels", "description"):
        for word in islice(normalise(texts[key]).lower().split(), MAX_TOKENS):
            word = word.strip(".,;:!?()\"'«»–-/")
            if 3 <= len(word) <= MAX_TERM and word.isalpha():
                words.setdefault(fold(word), word)
    term_ids = [link.term_id for link in _links(offer)]
    document: dict[str, Any] = {
        "id": offer.id,
        "term_ids": " ".join(term_ids),
        "organization_id": offer.organization_id,
        "min_age": offer.minimum_age if offer.minimum_age is not None else 0,
        "max_age": offer.maximum_age if offer.maximum_age is not None else 999,
        "name_sort": offer.name.lower(),
        "updated": int(offer.updated_at.timestamp() * 1_000_000),
        "spell": " ".join(words),
        "paragraphs": " ".join(sorted(references(f"{texts['legal']}\n{texts['description']}"))),
        "languages": " ".join(sorted({lang.code for lang in offer.languages if lang.code})),
        **_facets(offer),
    }
    fields = {key: analyse(texts[key]) for key in TEXT_FIELDS}
    return _Analysed(offer.id, fields, document, words)


def _document(item: _Analysed, known: set[str]) -> dict[str, Any]:
    parts = []
    for key, terms in item.fields.items():
        words = " ".join(with_compound_parts(terms, known))
        parts.extend([words] * TEXT_FIELDS[key])
    return {**item.document, TEXT: " ".join(parts)}


def _public_offers(session: Session, ids: Iterable[str] | None = None) -> Iterator[Offer]:
    query = select(Offer).where(visible())
    if ids is not None:
        query = query.where(col(Offer.id).in_(list(ids)))
    query = query.options(*offer_load_options()).order_by(Offer.id)
    yield from session.exec(query.execution_options(yield_per=_BATCH))


class IndexStore:
    """The index directory: its live folder, its lock and its state."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def current(self) -> Path | None:
        pointer = self.root / "CURRENT"
        try:
            name = pointer.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        folder = self.root / name
        return folder if name.startswith("index-") and folder.is_dir() else None

    @contextlib.contextmanager
    def lock(self, *, wait: float | None = None) -> Iterator[bool]:
        """Exclusive across processes: one writer at a time. With `wait`, give up after that
        many seconds and yield False instead of blocking."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "writer.lock").open("a") as handle:
            deadline = None if wait is None else time.monotonic() + wait
            while True:
                try:
                    flags = fcntl.LOCK_EX | (fcntl.LOCK_NB if deadline is not None else 0)
                    fcntl.flock(handle, flags)
                    break
                except BlockingIOError:
                    if deadline is None or time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.02)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def state(self) -> IndexState | None:
        """The live folder's state, or None when there is none or it cannot be read."""
        folder = self.current
        if folder is None:
            return None
        try:
            data = json.loads((folder / "state.json").read_text(encoding="utf-8"))
            return IndexState(
                seq=int(data["seq"]), schema=int(data["schema"]), documents=int(data["documents"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def words(self) -> dict[str, Any]:
        """The live folder's word lists; raises ValueError when they cannot be read."""
        folder = self.current
        if folder is None:
            return {"known": [], "display": {}}
        try:
            data = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{folder / 'words.json'}: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("known"), list):
            raise ValueError(f"{folder / 'words.json'}: not the index's word lists")
        if not isinstance(data.get("display"), dict):
            raise ValueError(f"{folder / 'words.json'}: not the index's word lists")
        return data

    def version(self) -> tuple[Path | None, IndexState | None]:
        """What says the index moved: the live folder and its applied sequence number."""
        return self.current, self.state()

    def open(self) -> whoosh_index.Index:
        folder = self.current
        if folder is None:
            raise FileNotFoundError(self.root / "CURRENT")
        return _storage(folder).open_index()

    def clean(self) -> None:
        """Remove unfinished folders and temporary files a killed or failed writer left.
        Call with the lock held: then no other writer is building a folder."""
        keep = self.current
        for path in self.root.glob("index-*"):
            if path != keep:
                shutil.rmtree(path, ignore_errors=True)
        for path in self.root.glob("*.tmp"):
            path.unlink(missing_ok=True)

    @staticmethod
    def _write_json(path: Path, data: object) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    def rebuild(self, engine: Engine, vocabulary: Vocabulary) -> IndexState:
        """Build a complete new index from the database and make it the live one."""
        with self.lock():
            return self._rebuild(engine, vocabulary)

    def _rebuild(self, engine: Engine, vocabulary: Vocabulary) -> IndexState:
        folder = self.root / f"index-{uuid.uuid4().hex[:12]}"
        try:
            return self._build_in(folder, engine, vocabulary)
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise IndexWriteError(f"could not write the index: {exc}") from exc
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def _build_in(self, folder: Path, engine: Engine, vocabulary: Vocabulary) -> IndexState:
        folder.mkdir(parents=True)
        with Session(engine) as session:
            # The sequence is read first: a change committed while we read is applied by sync.
            seq = _max_seq(session)
            analysed = [_analyse_offer(offer, vocabulary) for offer in _public_offers(session)]
        known = {term for item in analysed for terms in item.fields.values() for term in terms}
        display: dict[str, str] = {}
        for item in analysed:
            for folded, word in item.words.items():
                display.setdefault(folded, word)
        index = _storage(folder).create_index(build_schema())
        writer = index.writer(limitmb=256)
        try:
            for item in analysed:
                writer.add_document(**_document(item, known))
            writer.commit()
        except BaseException:
            _cancel(writer)
            raise
        self._write_json(folder / "words.json", {"known": sorted(known), "display": display})
        state = IndexState(seq=seq, schema=SCHEMA_VERSION, documents=len(analysed))
        self._write_json(folder / "state.json", state.__dict__)
        self._write_pointer(self.root / "CURRENT", folder.name)
        self.clean()
        return state

    def _write_pointer(self, path: Path, text: str) -> None:
        """Point CURRENT at a folder in one rename, flushed to disk first."""
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    def lag(self, engine: Engine) -> int | None:
        """How many change-log entries the index has not applied; None without an index."""
        state = self.state()
        if state is None or state.schema != SCHEMA_VERSION:
            return None
        with Session(engine) as session:
            latest = _max_seq(session)
        return max(0, latest - state.seq) if latest >= state.seq else None

    def sync(
        self,
        engine: Engine,
        vocabulary: Vocabulary,
        *,
        rebuild: bool = True,
        wait: float | None = None,
    ) -> int:
        """Apply every change-log entry the index has not seen; return how many offers.

        :param rebuild: when a rebuild is needed (no usable index, a new schema, a replaced
            database, many changes), do it; without, raise RebuildNeeded.
        :param wait: seconds to wait for another writer; after that, apply nothing (return 0).
        """
        state = self.state()
        with Session(engine) as session:
            latest = _max_seq(session)
        if state is not None and state.schema == SCHEMA_VERSION and state.seq == latest:
            return 0
        with self.lock(wait=wait) as locked:
            if not locked:
                return 0
            return self._sync(engine, vocabulary, rebuild=rebuild)

    def _sync(self, engine: Engine, vocabulary: Vocabulary, *, rebuild: bool = True) -> int:
        def anew() -> int:
            if not rebuild:
                raise RebuildNeeded
            return self._rebuild(engine, vocabulary).documents

        state = self.state()
        if state is None or state.schema != SCHEMA_VERSION:
            return anew()
        with Session(engine) as session:
            latest = _max_seq(session)
            if latest < state.seq:  # the database was replaced: start over
                return anew()
            changed = set(
                session.exec(select(ChangeLog.offer_id).where(col(ChangeLog.seq) > state.seq)).all()
            )
            if len(changed) > max(100, _REBUILD_SHARE * state.documents):
                return anew()
            analysed = [
                _analyse_offer(offer, vocabulary) for offer in _public_offers(session, changed)
            ]
        folder = self.current
        assert folder is not None
        try:
            words = self.words()
        except ValueError:
            return anew()
        known = set(words["known"])
        known |= {term for item in analysed for terms in item.fields.values() for term in terms}
        display = words["display"]
        for item in analysed:
            for folded, word in item.words.items():
                display.setdefault(folded, word)
        before = set(folder.iterdir())
        try:
            index = _storage(folder).open_index()
            writer: SegmentWriter = index.writer()
            try:
                for offer_id in changed:
                    writer.delete_by_term("id", offer_id)
                for item in analysed:
                    writer.add_document(**_document(item, known))
                writer.commit()
            except BaseException:
                _cancel(writer)
                raise
            self._write_json(folder / "words.json", {"known": sorted(known), "display": display})
            documents = index.doc_count()
            new_state = IndexState(seq=latest, schema=SCHEMA_VERSION, documents=documents)
            self._write_json(folder / "state.json", new_state.__dict__)
        except OSError as exc:
            # Leave the folder as the last good commit had it; the caller rebuilds.
            for path in set(folder.iterdir()) - before:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
            raise IndexWriteError(f"could not update the index: {exc}") from exc
        return len(changed)

    def ensure(self, engine: Engine, vocabulary: Vocabulary) -> str:
        """Make the index whole and current: read it end to end, rebuild it when any part is
        missing or damaged, else apply what it lacks; say what was done."""
        with self.lock():
            self.clean()
            state = self.state()
            if state is not None and state.schema == SCHEMA_VERSION:
                try:
                    self.check()
                except Exception:  # noqa: BLE001  (corrupt in any way: rebuild)
                    pass
                else:
                    applied = self._sync(engine, vocabulary)
                    return f"up to date ({applied} changes applied)"
            self._rebuild(engine, vocabulary)
            return "rebuilt"

    def check(self) -> None:
        """Read the live folder end to end; raises when any part of it is damaged."""
        self.words()
        with self.open().searcher() as searcher:
            reader = searcher.reader()
            for _ in reader.iter_docs():
                pass
            for fieldname in reader.indexed_field_names():
                for term in reader.lexicon(fieldname):
                    reader.postings(fieldname, term).all_ids()


class _OurLock:
    """Whoosh's own write lock, made redundant by `IndexStore.lock`. Whoosh's file lock stays
    taken when a writer fails half-way through starting, and every later writer then fails."""

    def acquire(self, *_args: object, **_kwargs: object) -> bool:
        return True

    def release(self) -> None:
        pass


class _Storage(FileStorage):  # type: ignore[misc]
    def lock(self, name: str) -> _OurLock:  # noqa: ARG002
        return _OurLock()


def _storage(folder: Path) -> FileStorage:
    return _Storage(str(folder), supports_mmap=False)


def _cancel(writer: SegmentWriter) -> None:
    """Give up a failed write: release Whoosh's lock and close its files."""
    with contextlib.suppress(Exception):
        writer.cancel()


def is_disk_error(exc: BaseException) -> bool:
    """Whether an error says the disk is full or read-only (not worth retrying at once)."""
    cause = exc.__cause__ if isinstance(exc, IndexWriteError) else exc
    return isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES)


def _max_seq(session: Session) -> int:
    latest: int | None = session.exec(select(func.max(ChangeLog.seq))).one()
    return latest or 0
