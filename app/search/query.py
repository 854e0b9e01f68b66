"""Searching: parse what a person typed, filter, rank, count facets, suggest.

Callers get plain dataclasses; Whoosh objects stay inside this package.
"""

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from whoosh import scoring
from whoosh.query import Every, Or, Prefix, Query, Term
from whoosh.searching import Searcher

from app.search.analysis import analyse, fold, known_tail, split_compound
from app.search.highlight import Highlighter
from app.search.indexer import IndexStore
from app.search.schema import FACETS, TEXT
from app.search.thesaurus import synonyms
from app.search.vocabulary import Concept, matching_concepts

# Weights of the kinds of query terms, relative to a word the person typed.
_PART_WEIGHT = 0.3
_CONCEPT_WEIGHT = 0.35
# A concept's one-word phrases are its synonyms: offers may use them too ("skolevægring").
_SYNONYM_WEIGHT = 0.5
# A typed word that is part of a longer phrase a concept recognised ("hjælpe andre" is
# volunteering) counts less on its own: the concept now says what the person means.
_PHRASE_WORD_WEIGHT = 0.5
_TYPO_WEIGHT = 0.7
# General synonyms (the Danish thesaurus) of a word no offer uses and no concept covers.
_THESAURUS_WEIGHT = 0.5
_TERM_LIFT = 1.0
# BM25's usual constants (Whoosh's defaults).
_B, _K1 = 0.75, 1.2
# How much an offer carrying all of the query's concept terms gains over one carrying none.
_CONCEPT_FIT = 1.0
# How many text matches the concepts may reorder.
_RERANK = 100


@dataclass(frozen=True)
class SearchRequest:
    """What to search for.

    :param facets: the portal's filters, facet → codes; OR within a facet, AND across facets.
    :param exclude: facet → codes an offer must not carry ("uden visitation" leaves out
        offers with adgang/kraever-visitation).
    :param term_ids: HSDS taxonomy_term_id semantics: every id required.
    """

    text: str = ""
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    term_ids: tuple[str, ...] = ()
    organization_id: str | None = None
    age: int | None = None
    sort: str = "relevance"  # or "name", "newest" (used when text is empty)
    offset: int = 0
    limit: int | None = 20


@dataclass(frozen=True)
class Hit:
    """One matching offer."""

    offer_id: str
    score: float
    akut: bool


@dataclass(frozen=True)
class FacetCount:
    """How many offers a facet value would give, with the other filters kept."""

    code: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchResult:
    """Hits in order, the total, facet counts, and help when nothing was found."""

    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetCount]]
    crisis: bool
    suggestion: str | None
    relaxed: dict[str, int]
    concepts: list[str]


@dataclass
class _Masks:
    """Per index generation: a bit mask of documents for every facet value and more."""

    live: int
    by_code: dict[str, dict[str, int]]
    akut: int
    ids: dict[int, str]
    known: frozenset[str]
    display: dict[str, str]
    ages: dict[int, tuple[int, int]]
    by_age: dict[int, int] = field(default_factory=dict)
    terms: dict[tuple[str, str], int] = field(default_factory=dict)
    postings: dict[tuple[str, str], tuple[Any, Any]] = field(default_factory=dict)
    size: int = 0
    lengths: Any = None
    avg_length: float = 1.0


class SearchIndex:
    """A process's handle on the index: one shared searcher, refreshed when the index moves."""

    def __init__(self, store: IndexStore, concepts: tuple[Concept, ...] = ()) -> None:
        self.store = store
        self.concepts = concepts
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._version: Any = None
        self._masks: _Masks | None = None

    def _current(self) -> tuple[Searcher, _Masks]:
        """The searcher and masks of the index as it is now (call with the lock held)."""
        # The folder and the applied sequence number say when the index moved; Whoosh's
        # own up_to_date() misses commits that only delete.
        version = (self.store.current, self.store.state())
        if self._searcher is None or version != self._version:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self.store.open().searcher(weighting=scoring.BM25F())
            self._version = version
            self._masks = self._build_masks(self._searcher)
        assert self._masks is not None
        return self._searcher, self._masks

    def _build_masks(self, searcher: Searcher) -> _Masks:
        reader = searcher.reader()
        live = 0
        ids: dict[int, str] = {}
        ages: dict[int, tuple[int, int]] = {}
        for docnum, stored in reader.iter_docs():
            live |= 1 << docnum
            ids[docnum] = stored["id"]
            ages[docnum] = (stored["min_age"], stored["max_age"])
        by_code: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            codes: dict[str, int] = {}
            for code in reader.lexicon(facet):
                value = code.decode("utf-8") if isinstance(code, bytes) else code
                mask = 0
                for docnum in reader.postings(facet, value).all_ids():
                    mask |= 1 << docnum
                codes[value] = mask & live
            by_code[facet] = codes
        words = self.store.words()
        return _Masks(
            live=live,
            by_code=by_code,
            akut=by_code["adgang"].get("akut", 0),
            ids=ids,
            known=frozenset(words["known"]),
            display=words["display"],
            ages=ages,
            size=reader.doc_count_all(),
            lengths=np.array(
                [reader.doc_field_length(d, TEXT, 0) for d in range(reader.doc_count_all())],
                dtype=np.float64,
            ),
            avg_length=searcher.avg_field_length(TEXT) or 1.0,
        )

    def codes(self, facet: str) -> frozenset[str]:
        """The codes of a facet some offer in the index carries (e.g. every town)."""
        with self._lock:
            _, masks = self._current()
            return frozenset(code for code, mask in masks.by_code.get(facet, {}).items() if mask)

    def highlighter(self, text: str) -> Highlighter:
        """What to mark in offers' texts as matching this query."""
        with self._lock:
            _, masks = self._current()
            return Highlighter.for_query(text, masks.known)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def search(self, request: SearchRequest) -> SearchResult:
        """Run one search. Searches in one process take turns: a Whoosh searcher is not
        made for several threads at once, and one search takes milliseconds."""
        with self._lock:
            return self._search(request)

    def _search(self, request: SearchRequest) -> SearchResult:
        stated = _stated_age(request.text) if request.age is None else None
        if stated is not None:
            # "16 år og har ingen venner": offers whose age limits exclude 16 do not fit.
            result = self._search(replace(request, age=stated))
            if result.total:
                return result
        searcher, masks = self._current()
        terms = analyse(request.text)
        concepts = matching_concepts(set(terms), self.concepts)
        query = _build_query(terms, concepts, masks, searcher)
        base = _filter_mask(searcher, masks, request, skip=None)
        if query is None:
            text_mask = masks.live
        else:
            # Postings still list deleted documents until segments merge.
            text_mask = _mask_of(searcher, query, masks) & masks.live
        matched = text_mask & base
        total = matched.bit_count()
        crisis = any(c.crisis for c in concepts)
        if crisis:
            # Every acute offer that fits comes before any other, whatever page is asked for.
            everything = replace(request, offset=0, limit=None)
            acute = self._ranked(searcher, masks, query, matched & masks.akut, everything, concepts)
            rest = replace(request, offset=0, limit=_end(request))
            calm = self._ranked(searcher, masks, query, matched & ~masks.akut, rest, concepts)
            hits = (acute + calm)[request.offset : _end(request)]
        else:
            hits = self._ranked(searcher, masks, query, matched, request, concepts)
        facets = {
            facet: _facet_counts(searcher, masks, request, facet, text_mask) for facet in FACETS
        }
        suggestion = None
        relaxed: dict[str, int] = {}
        if total == 0:
            if request.text.strip():
                suggestion = _suggest(request.text, masks, searcher)
            relaxed = _relaxed(searcher, masks, request, text_mask)
        return SearchResult(
            hits=hits,
            total=total,
            facets=facets,
            crisis=crisis,
            suggestion=suggestion,
            relaxed=relaxed,
            concepts=[c.id for c in concepts],
        )

    def _ranked(
        self,
        searcher: Searcher,
        masks: _Masks,
        query: Query | None,
        matched: int,
        request: SearchRequest,
        concepts: list[Concept],
    ) -> list[Hit]:
        if not matched:
            return []
        wanted = None if request.limit is None else request.offset + request.limit
        if query is None:
            allowed = None if matched == masks.live else _docnums(matched)
            sort = "name_sort" if request.sort != "newest" else "updated"
            results = searcher.search(
                Every(),
                filter=allowed,
                limit=wanted,
                sortedby=sort,
                reverse=request.sort == "newest",
            )
            scored = [(hit.docnum, 0.0) for hit in results]
        else:
            # Rank a generous head by text, then let the concepts' terms reorder it.
            head = None if wanted is None else max(wanted, _RERANK)
            scored = _top(searcher, masks, query, matched, head)
        if query is not None and concepts:
            scored = _rerank(scored, concepts, masks)
        hits = [
            Hit(offer_id=masks.ids[docnum], score=score, akut=bool(masks.akut >> docnum & 1))
            for docnum, score in scored
        ]
        end = None if wanted is None else wanted
        return hits[request.offset : end]


def _relaxed(
    searcher: Searcher, masks: _Masks, request: SearchRequest, text_mask: int
) -> dict[str, int]:
    """How many offers each filter would give back if it were dropped: per facet, "alder"
    for the age and "exclude" for the exclusions."""
    relaxed: dict[str, int] = {}
    without: list[tuple[str, SearchRequest]] = [
        (facet, replace(request, facets={k: v for k, v in request.facets.items() if k != facet}))
        for facet, codes in request.facets.items()
        if codes
    ]
    if request.age is not None:
        without.append(("alder", replace(request, age=None)))
    if any(request.exclude.values()):
        without.append(("exclude", replace(request, exclude={})))
    for name, others in without:
        relaxed[name] = (text_mask & _filter_mask(searcher, masks, others, None)).bit_count()
    return relaxed


_AGE = re.compile(r"\b(\d{1,2})\s*(?:år|årig|-årig|aar|years?|yrs?|year-old)\b", re.IGNORECASE)


def _stated_age(text: str) -> int | None:
    """An age the person states ("16 år", "I am 17 years"), or None."""
    match = _AGE.search(text)
    return int(match.group(1)) if match else None


def _end(request: SearchRequest) -> int | None:
    return None if request.limit is None else request.offset + request.limit


def _top(
    searcher: Searcher, masks: _Masks, query: Query, matched: int, head: int | None
) -> list[tuple[int, float]]:
    """The best `head` matches by BM25, best first (ties: index order).

    The same formula as Whoosh's BM25F over our one text field, computed with numpy over
    cached postings: Whoosh's own matcher tree costs far more in pure Python.
    """
    scores = np.zeros(masks.size)
    for clause in query.subqueries if isinstance(query, Or) else [query]:
        boost = float(clause.boost)
        if isinstance(clause, Prefix):
            for term in searcher.reader().expand_prefix(clause.fieldname, clause.text):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                _add_bm25(searcher, masks, scores, text, boost)
        elif isinstance(clause, Term) and clause.fieldname == TEXT:
            _add_bm25(searcher, masks, scores, clause.text, boost)
        elif isinstance(clause, Term):  # a facet term: a flat lift, as Whoosh gives it
            docnums, _ = _postings(searcher, masks, clause.fieldname, clause.text)
            scores[docnums] += boost
    bits = np.unpackbits(
        np.frombuffer(matched.to_bytes((masks.size + 8) // 8, "little"), dtype=np.uint8),
        bitorder="little",
    )[: masks.size].astype(bool)
    candidates = np.flatnonzero(bits)
    values = scores[candidates]
    if head is not None and head < len(candidates):
        keep = np.argpartition(-values, head - 1)[:head]
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))
    return [(int(candidates[i]), float(values[i])) for i in order]


def _add_bm25(searcher: Searcher, masks: _Masks, scores: Any, text: str, boost: float) -> None:
    docnums, tf = _postings(searcher, masks, TEXT, text)
    if not len(docnums):
        return
    reader = searcher.reader()
    idf = math.log(reader.doc_count_all() / (reader.doc_frequency(TEXT, text) + 1)) + 1
    lengths = masks.lengths[docnums]
    norm = _K1 * ((1 - _B) + _B * lengths / masks.avg_length)
    scores[docnums] += boost * idf * (tf * (_K1 + 1)) / (tf + norm)


def _postings(searcher: Searcher, masks: _Masks, field_name: str, text: str) -> tuple[Any, Any]:
    key = (field_name, text)
    if key not in masks.postings:
        reader = searcher.reader()
        if (field_name, text) in reader:
            items = list(reader.postings(field_name, text).items_as("weight"))
            docnums = np.fromiter((d for d, _ in items), dtype=np.int64, count=len(items))
            weights = np.fromiter((w for _, w in items), dtype=np.float64, count=len(items))
        else:
            docnums, weights = np.zeros(0, dtype=np.int64), np.zeros(0)
        masks.postings[key] = (docnums, weights)
    return masks.postings[key]


def _rerank(
    scored: list[tuple[int, float]], concepts: list[Concept], masks: _Masks
) -> list[tuple[int, float]]:
    """Multiply each text score by how many of the concepts' terms the offer carries."""
    wanted = [(t, c) for concept in concepts for t, c in concept.terms if t in masks.by_code]
    if not wanted:
        return scored
    head, rest = scored[:_RERANK], scored[_RERANK:]
    lifted = []
    for docnum, score in head:
        carried = sum(masks.by_code[t].get(c, 0) >> docnum & 1 for t, c in wanted)
        lifted.append((docnum, score * (1 + _CONCEPT_FIT * carried / len(wanted))))
    return sorted(lifted, key=lambda item: -item[1]) + rest


def _docnums(mask: int) -> set[int]:
    result = set()
    base = 0
    while mask:
        low = mask & 0xFFFFFFFFFFFFFFFF
        while low:
            bit = low & -low
            result.add(base + bit.bit_length() - 1)
            low ^= bit
        mask >>= 64
        base += 64
    return result


def _mask_of(searcher: Searcher, query: Query, masks: _Masks | None = None) -> int:
    """The documents a query matches, as a bit mask; term masks are cached per index."""
    if masks is not None:
        if isinstance(query, Term):
            return _term_mask(searcher, masks, query.fieldname, query.text)
        if isinstance(query, Prefix):
            reader = searcher.reader()
            found = 0
            for term in reader.expand_prefix(query.fieldname, query.text):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                found |= _term_mask(searcher, masks, query.fieldname, text)
            return found
        if isinstance(query, Or):
            found = 0
            for sub in query.subqueries:
                found |= _mask_of(searcher, sub, masks)
            return found
    return _mask_from_ids(query.docs(searcher), searcher.doc_count_all())


def _term_mask(searcher: Searcher, masks: _Masks, field_name: str, text: str) -> int:
    key = (field_name, text)
    if key not in masks.terms:
        reader = searcher.reader()
        if (field_name, text) in reader:
            ids = reader.postings(field_name, text).all_ids()
            masks.terms[key] = _mask_from_ids(ids, reader.doc_count_all()) & masks.live
        else:
            masks.terms[key] = 0
    return masks.terms[key]


def _mask_from_ids(ids: Iterable[int], size: int) -> int:
    bits = bytearray((size + 8) // 8)
    for docnum in ids:
        bits[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(bits, "little")


def _filter_mask(
    searcher: Searcher, masks: _Masks, request: SearchRequest, skip: str | None
) -> int:
    mask = masks.live
    for facet, codes in request.facets.items():
        if facet == skip or not codes or facet not in masks.by_code:
            continue
        either = 0
        for code in codes:
            either |= masks.by_code[facet].get(code, 0)
        mask &= either
    for facet, codes in request.exclude.items():
        for code in codes:
            mask &= ~masks.by_code.get(facet, {}).get(code, 0)
    for term_id in request.term_ids:
        mask &= _mask_of(searcher, Term("term_ids", term_id), masks)
    if request.organization_id is not None:
        mask &= _mask_of(searcher, Term("organization_id", request.organization_id), masks)
    if request.age is not None and skip != "alder":
        mask &= _age_mask(masks, request.age)
    return mask


def _age_mask(masks: _Masks, age: int) -> int:
    if age not in masks.by_age:
        mask = 0
        for docnum, (lowest, highest) in masks.ages.items():
            if lowest <= age <= highest:
                mask |= 1 << docnum
        masks.by_age[age] = mask
    return masks.by_age[age]


def _facet_counts(
    searcher: Searcher, masks: _Masks, request: SearchRequest, facet: str, text_mask: int
) -> list[FacetCount]:
    others = text_mask & _filter_mask(searcher, masks, request, skip=facet)
    chosen = set(request.facets.get(facet, ()))
    counts = [
        FacetCount(code=code, count=(others & mask).bit_count(), selected=code in chosen)
        for code, mask in masks.by_code[facet].items()
    ]
    return [c for c in counts if c.count or c.selected]


def _build_query(
    terms: list[str], concepts: list[Concept], masks: _Masks, searcher: Searcher
) -> Query | None:
    weighted: dict[str, float] = {}
    heads: list[str] = []

    def add(term: str, weight: float) -> None:
        weighted[term] = max(weighted.get(term, 0.0), weight)

    in_phrases = {
        term
        for concept in concepts
        for phrase in concept.phrases
        if len(phrase) > 1 and phrase <= set(terms)
        for term in phrase
    }
    # Words a concept already understood get its words; the others get general synonyms.
    covered = {
        term
        for concept in concepts
        for phrase in concept.phrases
        if phrase <= set(terms)
        for term in phrase
    } | {term for concept in concepts for term in concept.with_words}
    for term in terms:
        add(term, _PHRASE_WORD_WEIGHT if term in in_phrases else 1.0)
        for part in split_compound(term, masks.known):
            add(part, _PART_WEIGHT)
        if term not in masks.known:
            # A real word no offer uses ("rullestol") stands for its synonyms that offers do
            # use ("kørestol"); only a word the thesaurus does not know either may be a typo.
            known_synonyms = (
                []
                if term in covered
                else [synonym for synonym in synonyms(term) if synonym in masks.known]
            )
            for synonym in known_synonyms:
                add(synonym, _THESAURUS_WEIGHT)
            fixes = [] if known_synonyms else list(_typo_fixes(term, masks, searcher))
            for fixed in fixes:
                add(fixed, _TYPO_WEIGHT)
            tail = known_tail(term, masks.known)
            if not fixes and tail is not None:
                add(tail, _PART_WEIGHT)
            if not fixes and len(term) >= 6:
                # An unknown compound still shares its head with known ones:
                # "strikkeklub" → words starting "strikke" ("strikkecafé").
                head = term[: len(term) - len(tail)] if tail else term[: max(4, len(term) * 3 // 5)]
                if len(head) >= 4:
                    heads.append(head)
    # A role ("min søn", "gratis") says who asks or how; beside a topic it only lifts offers
    # through its taxonomy terms, or its generic words would outweigh the topic's.
    topical = any(not concept.role for concept in concepts)
    for concept in concepts:
        if concept.role and topical:
            continue
        for word in concept.words:
            add(word, _CONCEPT_WEIGHT)
        for phrase in concept.phrases:
            if len(phrase) == 1:
                add(next(iter(phrase)), _SYNONYM_WEIGHT)
    clauses: list[Query] = [Term(TEXT, term, boost=weight) for term, weight in weighted.items()]
    clauses += [Prefix(TEXT, head, boost=_PART_WEIGHT) for head in heads]
    for concept in concepts:
        for taxonomy, code in concept.terms:
            if taxonomy in FACETS:
                clauses.append(Term(taxonomy, code, boost=_TERM_LIFT))
    if not clauses:
        return None
    return Or(clauses)


def _typo_fixes(term: str, masks: _Masks, searcher: Searcher) -> Iterable[str]:
    """Known terms a longer unknown word was probably meant as; never for short words."""
    if len(term) < 6:
        return []
    reader = searcher.reader()
    distance = 1 if len(term) < 9 else 2
    candidates = [
        candidate
        for candidate in reader.terms_within("spell", fold(term), distance, prefix=1)
        if candidate in masks.display
    ]
    if not candidates:
        return []
    best = max(candidates, key=lambda word: reader.doc_frequency("spell", word))
    return analyse(masks.display[best])


def _suggest(text: str, masks: _Masks, searcher: Searcher) -> str | None:
    """A "did you mean" from the index vocabulary, or None."""
    reader = searcher.reader()
    words = text.lower().split()
    changed = False
    fixed = []
    for word in words:
        folded = fold(word)
        if len(folded) < 4 or folded in masks.display:
            fixed.append(word)
            continue
        distance = 1 if len(folded) < 7 else 2
        candidates = list(reader.terms_within("spell", folded, distance, prefix=1))
        if candidates:
            best = max(candidates, key=lambda w: reader.doc_frequency("spell", w))
            fixed.append(masks.display.get(best, best))
            changed = True
        else:
            fixed.append(word)
    return " ".join(fixed) if changed else None
