"""Ranking: turn analysed words and concepts into a weighted query, score it, reorder it.

Scores are BM25 over the text field, computed with numpy over postings cached in the masks;
the concepts' taxonomy terms then lift the offers that carry them.
"""

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from whoosh.query import Or, Prefix, Query, Term
from whoosh.searching import Searcher

from app.search.analysis import (
    analyse,
    excess_terms,
    fold,
    known_tail,
    negation_terms,
    role_terms,
    split_compound,
)
from app.search.masks import Masks
from app.search.schema import FACETS, PARAGRAPHS, TEXT
from app.search.thesaurus import Thesaurus
from app.search.vocabulary import Concept

# Weights of the kinds of query terms, relative to a word the person typed.
_PART_WEIGHT = 0.3
_CONCEPT_WEIGHT = 0.35
# A concept's one-word phrases are its synonyms: offers may use them too ("skolevægring").
_SYNONYM_WEIGHT = 0.5
# A typed word that is part of a longer phrase a concept recognised ("hjælpe andre" is
# volunteering) counts less on its own: the concept now says what the person means.
_PHRASE_WORD_WEIGHT = 0.5
_TYPO_WEIGHT = 0.7
_ROLE_WORD_WEIGHT = 0.25
# General synonyms (the Danish thesaurus) of a word no offer uses and no concept covers.
_THESAURUS_WEIGHT = 0.5
# The least weight of a query term that says what the query is about: typed words, their
# spelling fixes and synonyms; the concepts' wider words, parts and role words weigh less.
TOPIC_WEIGHT = min(_SYNONYM_WEIGHT, _PHRASE_WORD_WEIGHT, _THESAURUS_WEIGHT)
_TERM_LIFT = 1.0
# BM25's usual constants (Whoosh's defaults).
_B, _K1 = 0.75, 1.2
# How much an offer carrying all of the query's concept terms gains over one carrying none.
_CONCEPT_FIT = 1.0
# A role's terms beside a topic, against a topic's.
_ROLE_FIT = 0.25
# How many text matches the concepts may reorder.
RERANK = 100


def build_query(
    terms: list[str],
    concepts: list[Concept],
    masks: Masks,
    searcher: Searcher,
    thesaurus: Thesaurus,
    paragraphs: Iterable[str] = (),
) -> Query | None:
    """The weighted query for the analysed words, the concepts they match and the legal
    paragraphs named ("§85"), or None."""
    weighted: dict[str, float] = {}
    heads: list[str] = []

    def add(term: str, weight: float) -> None:
        weighted[term] = max(weighted.get(term, 0.0), weight)

    # A word that alone names a concept ("hash") stays a topic inside a longer phrase.
    names = {next(iter(p)) for concept in concepts for p in concept.phrases if len(p) == 1}
    in_phrases = {
        term
        for concept in concepts
        for phrase in concept.phrases
        if len(phrase) > 1 and phrase <= set(terms)
        for term in phrase
        if term not in names
    }
    # Words a concept already understood get its words; the others get general synonyms.
    covered = {
        term
        for concept in concepts
        for phrase in concept.phrases
        if phrase <= set(terms)
        for term in phrase
    } | {term for concept in concepts for term in concept.with_words}
    roles = role_terms()
    # Who asks ("min nabo") is not what is asked: beside a topic a role word counts little.
    topic = any(
        t not in roles and t not in negation_terms() and t not in excess_terms() for t in terms
    )
    for term in terms:
        if topic and (term in roles or term in excess_terms()):
            add(term, _ROLE_WORD_WEIGHT)
        else:
            add(term, _PHRASE_WORD_WEIGHT if term in in_phrases else 1.0)
        for part in split_compound(term, masks.known):
            add(part, _PART_WEIGHT)
        if term not in masks.known:
            # A real word no offer uses ("rullestol") stands for its synonyms that offers do
            # use ("kørestol"); only a word the thesaurus does not know either may be a typo.
            known_synonyms = (
                []
                if term in covered
                else [synonym for synonym in thesaurus.synonyms(term) if synonym in masks.known]
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
    clauses += [Term(PARAGRAPHS, key, boost=_TERM_LIFT) for key in paragraphs]
    if not clauses:
        return None
    return Or(clauses)


def _typo_fixes(term: str, masks: Masks, searcher: Searcher) -> Iterable[str]:
    """Known terms a longer unknown word was probably meant as; never for short words."""
    if len(term) < 6:
        return []
    reader = searcher.reader()
    distance = 1 if len(term) < 9 else 2
    candidates = [word for _, word in masks.nearby.within(fold(term), distance)]
    if not candidates:
        return []
    best = max(candidates, key=lambda word: reader.doc_frequency("spell", word))
    return analyse(masks.display[best])


def top(
    searcher: Searcher, masks: Masks, query: Query, matched: int, head: int | None
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
        # Keep every offer tied with the last place, then cut in one total order (score, then
        # index order): a longer head must begin with the shorter one, or pages would repeat
        # or skip offers.
        cut = -np.partition(-values, head - 1)[head - 1]
        keep = values >= cut
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))[:head]
    return [(int(candidates[i]), float(values[i])) for i in order]


def _add_bm25(searcher: Searcher, masks: Masks, scores: Any, text: str, boost: float) -> None:
    docnums, tf = _postings(searcher, masks, TEXT, text)
    if not len(docnums):
        return
    reader = searcher.reader()
    idf = math.log(reader.doc_count_all() / (reader.doc_frequency(TEXT, text) + 1)) + 1
    lengths = masks.lengths[docnums]
    norm = _K1 * ((1 - _B) + _B * lengths / masks.avg_length)
    scores[docnums] += boost * idf * (tf * (_K1 + 1)) / (tf + norm)


def _postings(searcher: Searcher, masks: Masks, field_name: str, text: str) -> tuple[Any, Any]:
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


def rerank(
    scored: list[tuple[int, float]], concepts: list[Concept], masks: Masks
) -> list[tuple[int, float]]:
    """Multiply each text score by how many of the concepts' terms the offer carries; the
    terms of a role ("pårørende", "gratis") beside a topic lift only a little, so they order
    the fitting offers without putting an offer for the group above the topic."""
    topical = any(not concept.role for concept in concepts)
    weights: dict[tuple[str, str], float] = {}
    for concept in concepts:
        weight = _ROLE_FIT if concept.role and topical else 1.0
        for pair in concept.terms:
            if pair[0] in masks.by_code:
                weights[pair] = max(weights.get(pair, 0.0), weight)
    if not weights:
        return scored
    total = sum(weights.values())
    head, rest = scored[:RERANK], scored[RERANK:]
    lifted = []
    for docnum, score in head:
        carried = sum(
            w for (t, c), w in weights.items() if masks.by_code[t].get(c, 0) >> docnum & 1
        )
        lifted.append((docnum, score * (1 + _CONCEPT_FIT * carried / total)))
    return sorted(lifted, key=lambda item: -item[1]) + rest


def lift(scored: list[tuple[int, float]], mask: int, factor: float) -> list[tuple[int, float]]:
    """The best RERANK matches with the scores of those in the mask multiplied, reordered."""
    head, rest = scored[:RERANK], scored[RERANK:]
    lifted = [(d, score * factor if mask >> d & 1 else score) for d, score in head]
    return sorted(lifted, key=lambda item: -item[1]) + rest
