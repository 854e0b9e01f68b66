"""Searching: the request and result dataclasses, and the index handle that runs a search.

It filters and counts facets with `masks.py`, orders the hits with `ranking.py`, and offers
a "did you mean" and looser filters when nothing is found. Callers get plain dataclasses;
Whoosh objects stay inside this package.
"""

import re
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from whoosh import scoring
from whoosh.query import Every, Or, Query, Term
from whoosh.searching import Searcher

from app.search.analysis import (
    TOKEN,
    analyse,
    excess_terms,
    fold,
    in_english,
    negation_terms,
    normalise,
    role_terms,
    words,
)
from app.search.crisis import ACUTE, fitting_acute, reach_terms, related_acute
from app.search.highlight import Highlighter
from app.search.indexer import IndexStore
from app.search.legal import query_references
from app.search.masks import Masks, age_mask, build_masks, docnums, mask_of
from app.search.ranking import RERANK, TOPIC_WEIGHT, build_query, lift, rerank, top
from app.search.schema import FACETS, PARAGRAPHS, TEXT
from app.search.thesaurus import Thesaurus
from app.search.understand import Understanding
from app.search.vocabulary import Concept, matching_concepts


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
    # Answered by the plain database search while the index is unavailable.
    degraded: bool = False
    # How many hits from the first fit the query clearly; the rest may fit. None when all do
    # (or the order is not by relevance).
    clear: int | None = None


# A hit whose score is below this share of the best one's is no clear fit: the portal shows
# it apart, under "Andre tilbud, der måske passer". On the shared corpus's judged queries this
# line puts about a third of the unjudged hits apart and about 1 in 100 of the best-graded.
CLEAR_FIT = 0.3
# What an offer that helps in English gains on a query in English.
_ENGLISH_LIFT = 1.3
# Longer query texts are cut: nobody types more, and the work stays bounded.
MAX_QUERY = 500
# What search statistics keep in place of words nobody but the person would know.
PLACEHOLDER = "…"
_WORDS = re.compile(TOKEN)


class SearchIndex:
    """A process's handle on the index: one shared searcher, refreshed when the index moves."""

    def __init__(
        self,
        store: IndexStore,
        concepts: tuple[Concept, ...] = (),
        thesaurus: Thesaurus | None = None,
    ) -> None:
        self.store = store
        self.concepts = concepts
        self.thesaurus = thesaurus or Thesaurus()
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._version: Any = None
        self._masks: Masks | None = None
        # Why the index on disk could not be opened, while the last good one answers.
        self.damage: Exception | None = None
        self.understanding = Understanding(
            (t for c in concepts for phrase in c.phrases for t in phrase),
            (form for c in concepts for form in c.forms),
        )
        self._vocabulary_terms = frozenset(
            {t for c in concepts for phrase in c.phrases for t in phrase}
            | {t for c in concepts for t in (*c.words, *c.with_words)}
            | set(self.thesaurus.entries)
        )

    def _current(self) -> tuple[Searcher, Masks]:
        """The searcher and masks of the index as it is now (call with the lock held)."""
        # The folder and the applied sequence number say when the index moved; Whoosh's
        # own up_to_date() misses commits that only delete.
        version = self.store.version()
        if self._searcher is None or version != self._version:
            try:
                searcher = self.store.open().searcher(weighting=scoring.BM25F())
                try:
                    masks = build_masks(searcher, self.store.words())
                except BaseException:
                    searcher.close()
                    raise
            except Exception as exc:
                if self._searcher is None:
                    raise
                # Keep answering from the last good index; the service repairs this one.
                self.damage = exc
                assert self._masks is not None
                return self._searcher, self._masks
            if self._searcher is not None:
                self._searcher.close()
            self._searcher, self._masks, self._version = searcher, masks, version
            self.damage = None
        assert self._masks is not None
        return self._searcher, self._masks

    def codes(self, facet: str) -> frozenset[str]:
        """The codes of a facet some offer in the index carries (e.g. every town)."""
        with self._lock:
            _, masks = self._current()
            return frozenset(code for code, mask in masks.by_code.get(facet, {}).items() if mask)

    def anonymise(self, text: str) -> str:
        """The query as statistics may keep it: the words the catalogue or the vocabulary
        knows, in order; stop words dropped; every run of other words (names, streets, e-mail
        parts) one PLACEHOLDER."""
        with self._lock:
            _, masks = self._current()
        kept: list[str] = []
        for word in _WORDS.findall(normalise(text).lower()[:MAX_QUERY]):
            terms = analyse(word)
            if not terms:
                continue
            if all(t in masks.known or t in self._vocabulary_terms for t in terms):
                kept.append(word)
            elif not kept or kept[-1] != PLACEHOLDER:
                kept.append(PLACEHOLDER)
        return " ".join(kept)

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
        request = replace(request, text=normalise(request.text)[:MAX_QUERY])
        with self._lock:
            return self._search(request)

    def _search(self, request: SearchRequest) -> SearchResult:
        stated = stated_age(request.text) if request.age is None else None
        if stated is not None:
            # "16 år og har ingen venner": offers whose age limits exclude 16 do not fit.
            result = self._search(replace(request, age=stated))
            if result.total:
                return result
        searcher, masks = self._current()
        terms = analyse(request.text)
        understood = self.understanding.concept_terms(terms, masks.known, words(request.text))
        concepts = matching_concepts(understood, self.concepts)
        paragraphs = _paragraph_keys(searcher, masks, request.text)
        query = build_query(terms, concepts, masks, searcher, self.thesaurus, paragraphs)
        base = _filter_mask(searcher, masks, request, skip=None)
        if query is None:
            text_mask = masks.live
        else:
            # Postings still list deleted documents until segments merge.
            text_mask = mask_of(searcher, query, masks) & masks.live
        matched = text_mask & base
        total = matched.bit_count()
        crisis = any(c.crisis for c in concepts)
        fitting = 0
        if crisis:
            fitting = fitting_acute(searcher, masks, concepts, terms, self.concepts) & matched
            fitting = fitting or related_acute(masks, concepts) & matched
        if not fitting and paragraphs:
            # A query that names a paragraph wants the offers with that legal basis first.
            fitting = _paragraph_mask(searcher, masks, paragraphs) & matched
        english = masks.english if in_english(request.text) else 0
        calm_concepts, calm_query = concepts, query
        if crisis:
            # Outside the acute offers that fit the crisis, none gains for being acute or open
            # at night (a dentist, a night shelter).
            calm_concepts = [_calm(c) for c in concepts]
            calm_query = build_query(
                terms, calm_concepts, masks, searcher, self.thesaurus, paragraphs
            )
        if fitting:
            # The acute offers of this kind of crisis (or those of the paragraph asked for)
            # come before any other, on every page.
            everything = replace(request, offset=0, limit=None)
            acute, _ = self._ranked(searcher, masks, query, fitting, everything, concepts, english)
            rest = replace(request, offset=0, limit=_end(request))
            calm, clear = self._ranked(
                searcher, masks, calm_query, matched & ~fitting, rest, calm_concepts, english
            )
            hits = (acute + calm)[request.offset : _end(request)]
            clear = None if clear is None else len(acute) + clear
        else:
            hits, clear = self._ranked(
                searcher, masks, calm_query, matched, request, calm_concepts, english
            )
        if clear and not self._topic_found(searcher, masks, query, terms, concepts, matched):
            # "gratis tandlæge" where no offer is about teeth: the free offers may help, none
            # is a clear fit.
            clear = 0
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
            clear=clear if clear is not None and clear < total else None,
        )

    def _topic_found(
        self,
        searcher: Searcher,
        masks: Masks,
        query: Query | None,
        terms: list[str],
        concepts: list[Concept],
        matched: int,
    ) -> bool:
        """Whether some match has a word of what the query is about: a typed word beside who
        asks or how ("gratis", "min nabo"), its spelling fixes or synonyms; the concepts' wider
        words and taxonomy terms ("sundhed" for "tandlæge") do not count. A situation
        recognised in several words ("min kæreste slår mig") is understood."""
        typed = set(terms)
        for concept in concepts:
            if not concept.role and not any(len(p) == 1 and p <= typed for p in concept.phrases):
                return True
        # The words of who asks or how, as typed and as their concepts add them.
        how = {t for c in concepts if c.role for phrase in c.phrases for t in phrase}
        how.update(t for c in concepts if c.role for t in c.words)
        aside = how | role_terms() | negation_terms() | excess_terms()
        if typed <= aside:
            return True
        said = [
            clause
            for clause in (query.subqueries if isinstance(query, Or) else [])
            if isinstance(clause, Term)
            and clause.fieldname == TEXT
            and clause.boost >= TOPIC_WEIGHT
            and clause.text not in aside
        ]
        return bool(said) and bool(mask_of(searcher, Or(said), masks) & matched)

    def _ranked(
        self,
        searcher: Searcher,
        masks: Masks,
        query: Query | None,
        matched: int,
        request: SearchRequest,
        concepts: list[Concept],
        english: int = 0,
    ) -> tuple[list[Hit], int | None]:
        """The page's hits, and how many hits from the first clearly fit (None: no order by
        relevance, so no such line).

        :param english: the offers that help in English, for a query written in English.
        """
        if not matched:
            return [], 0
        wanted = None if request.limit is None else request.offset + request.limit
        if query is None:
            allowed = None if matched == masks.live else docnums(matched)
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
            head = None if wanted is None else max(wanted, RERANK)
            scored = top(searcher, masks, query, matched, head)
        if query is not None and concepts:
            scored = rerank(scored, concepts, masks)
        if query is not None and english:
            # Someone who searches in English is helped first where they can be in English.
            scored = lift(scored, english, _ENGLISH_LIFT)
        hits = [
            Hit(offer_id=masks.ids[docnum], score=score, akut=bool(masks.akut >> docnum & 1))
            for docnum, score in scored
        ]
        clear = None
        if query is not None and scored:
            best = scored[0][1]
            clear = sum(1 for _, score in scored if score >= CLEAR_FIT * best)
        return hits[request.offset : wanted], clear


def _calm(concept: Concept) -> Concept:
    """A concept without what lifts acute offers: their term, and words of when and how an
    offer is reached ("akut", "døgnet")."""
    return replace(
        concept,
        terms=tuple(t for t in concept.terms if t != ACUTE),
        words=tuple(w for w in concept.words if w not in reach_terms()),
    )


def _relaxed(
    searcher: Searcher, masks: Masks, request: SearchRequest, text_mask: int
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


_AGE = re.compile(
    r"(?:^|\b(\w+)\s+)(\d{1,2})\s*(?:år|årig|-årig|aar|years?|yrs?|year-old)\b", re.IGNORECASE
)
# "i 10 år", "for 2 years": words before a number that make it a length of time, not an age.
_DURATION = frozenset(
    {"i", "in", "for", "om", "efter", "after", "siden", "since", "sidste", "seneste", "last",
     "past", "over", "næsten", "snart", "hvert", "hver", "every"}
)  # fmt: skip


def stated_age(text: str) -> int | None:
    """An age the person states ("16 år og ...", "I am 17 years"), or None; a length of time
    ("drukket i 10 år") is no age."""
    for match in _AGE.finditer(text):
        before = (match.group(1) or "").lower()
        if before not in _DURATION:
            return int(match.group(2))
    return None


def _paragraph_keys(searcher: Searcher, masks: Masks, text: str) -> list[str]:
    """The paragraph keys of the query that some offer carries: with the law when the query
    names one and an offer cites it so, else without."""
    keys = query_references(text)
    with_law = sorted(k for k in keys if not k.startswith("§"))
    if with_law and _paragraph_mask(searcher, masks, with_law):
        return with_law
    return sorted(k for k in keys if k.startswith("§"))


def _paragraph_mask(searcher: Searcher, masks: Masks, keys: list[str]) -> int:
    mask = 0
    for key in keys:
        mask |= mask_of(searcher, Term(PARAGRAPHS, key), masks)
    return mask & masks.live


def _end(request: SearchRequest) -> int | None:
    return None if request.limit is None else request.offset + request.limit


def _filter_mask(searcher: Searcher, masks: Masks, request: SearchRequest, skip: str | None) -> int:
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
        mask &= mask_of(searcher, Term("term_ids", term_id), masks)
    if request.organization_id is not None:
        mask &= mask_of(searcher, Term("organization_id", request.organization_id), masks)
    if request.age is not None and skip != "alder":
        mask &= age_mask(masks, request.age)
    return mask


def _facet_counts(
    searcher: Searcher, masks: Masks, request: SearchRequest, facet: str, text_mask: int
) -> list[FacetCount]:
    others = text_mask & _filter_mask(searcher, masks, request, skip=facet)
    chosen = set(request.facets.get(facet, ()))
    counts = [
        FacetCount(code=code, count=(others & mask).bit_count(), selected=code in chosen)
        for code, mask in masks.by_code[facet].items()
    ]
    return [c for c in counts if c.count or c.selected]


def _suggest(text: str, masks: Masks, searcher: Searcher) -> str | None:
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
        candidates = [word for _, word in masks.nearby.within(folded, distance)]
        if candidates:
            best = max(candidates, key=lambda w: reader.doc_frequency("spell", w))
            fixed.append(masks.display.get(best, best))
            changed = True
        else:
            fixed.append(word)
    return " ".join(fixed) if changed else None
