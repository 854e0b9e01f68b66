"""Building the index from the database and keeping it in step with the change log.

The index lives in a folder of its own under the index directory; the file CURRENT names it.
A rebuild writes a new folder and then swaps CURRENT in one rename, so a process killed in the
middle leaves the old index (and a stale folder that the next rebuild removes). Each folder
records the last change-log sequence number it has applied; `sync` applies newer changes. One
writer at a time: every writing step holds an exclusive file lock.
"""

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from app.catalogue.loading import offer_load_options
from app.catalogue.taxonomy import Vocabulary
from app.catalogue.visibility import visible
from app.models import ChangeLog, Offer, OfferTerm, OrganizationTerm
from app.search.analysis import analyse, fold, with_compound_parts
from app.search.schema import FACETS, SCHEMA_VERSION, TEXT, TEXT_FIELDS, build_schema

# More changes than this share of the index are applied by rebuilding, which is faster.
_REBUILD_SHARE = 0.3
_BATCH = 500


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
        for word in texts[key].lower().split():
            word = word.strip(".,;:!?()\"'«»–-/")
            if len(word) >= 3 and word.isalpha():
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
        if not pointer.exists():
            return None
        folder = self.root / pointer.read_text(encoding="ascii").strip()
        return folder if folder.is_dir() else None

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive across processes: one writer at a time."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "writer.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def state(self) -> IndexState | None:
        folder = self.current
        if folder is None or not (folder / "state.json").exists():
            return None
        data = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        return IndexState(seq=data["seq"], schema=data["schema"], documents=data["documents"])

    def words(self) -> dict[str, Any]:
        folder = self.current
        if folder is None or not (folder / "words.json").exists():
            return {"known": [], "display": {}}
        data: dict[str, Any] = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        return data

    def open(self) -> whoosh_index.Index:
        folder = self.current
        if folder is None:
            raise FileNotFoundError(self.root / "CURRENT")
        return whoosh_index.open_dir(str(folder))

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
        index = whoosh_index.create_in(str(folder), build_schema())
        writer = index.writer(limitmb=256)
        for item in analysed:
            writer.add_document(**_document(item, known))
        writer.commit()
        self._write_json(folder / "words.json", {"known": sorted(known), "display": display})
        state = IndexState(seq=seq, schema=SCHEMA_VERSION, documents=len(analysed))
        self._write_json(folder / "state.json", state.__dict__)
        self._write_pointer(self.root / "CURRENT", folder.name)
        self._remove_old(keep=folder)
        return state

    def _write_pointer(self, path: Path, text: str) -> None:
        """Point CURRENT at a folder in one rename, flushed to disk first."""
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    def _remove_old(self, keep: Path) -> None:
        for folder in self.root.glob("index-*"):
            if folder != keep:
                shutil.rmtree(folder, ignore_errors=True)

    def sync(self, engine: Engine, vocabulary: Vocabulary) -> int:
        """Apply every change-log entry the index has not seen; return how many offers."""
        state = self.state()
        with Session(engine) as session:
            latest = _max_seq(session)
        if state is not None and state.seq == latest:
            return 0
        with self.lock():
            return self._sync(engine, vocabulary)

    def _sync(self, engine: Engine, vocabulary: Vocabulary) -> int:
        state = self.state()
        if state is None or state.schema != SCHEMA_VERSION:
            return self._rebuild(engine, vocabulary).documents
        with Session(engine) as session:
            latest = _max_seq(session)
            if latest < state.seq:  # the database was replaced: start over
                return self._rebuild(engine, vocabulary).documents
            changed = set(
                session.exec(select(ChangeLog.offer_id).where(col(ChangeLog.seq) > state.seq)).all()
            )
            if len(changed) > max(100, _REBUILD_SHARE * state.documents):
                return self._rebuild(engine, vocabulary).documents
            analysed = [
                _analyse_offer(offer, vocabulary) for offer in _public_offers(session, changed)
            ]
        folder = self.current
        assert folder is not None
        words = self.words()
        known = set(words["known"])
        known |= {term for item in analysed for terms in item.fields.values() for term in terms}
        display = words["display"]
        for item in analysed:
            for folded, word in item.words.items():
                display.setdefault(folded, word)
        index = whoosh_index.open_dir(str(folder))
        writer: SegmentWriter = index.writer()
        for offer_id in changed:
            writer.delete_by_term("id", offer_id)
        for item in analysed:
            writer.add_document(**_document(item, known))
        writer.commit()
        self._write_json(folder / "words.json", {"known": sorted(known), "display": display})
        documents = index.doc_count()
        new_state = IndexState(seq=latest, schema=SCHEMA_VERSION, documents=documents)
        self._write_json(folder / "state.json", new_state.__dict__)
        return len(changed)

    def ensure(self, engine: Engine, vocabulary: Vocabulary) -> str:
        """Make the index whole and current before anyone searches it; say what was done."""
        with self.lock():
            state = self.state()
            try:
                if state is None or state.schema != SCHEMA_VERSION:
                    raise FileNotFoundError("no usable index")
                with self.open().searcher() as searcher:
                    searcher.doc_count()
            except Exception:  # noqa: BLE001  (missing or corrupt: either way, rebuild)
                self._rebuild(engine, vocabulary)
                return "rebuilt"
            applied = self._sync(engine, vocabulary)
            return f"up to date ({applied} changes applied)"


def _max_seq(session: Session) -> int:
    latest: int | None = session.exec(select(func.max(ChangeLog.seq))).one()
    return latest or 0
