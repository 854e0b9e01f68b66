"""Which acute offers fit the crisis a query describes.

A crisis concept (thoughts of suicide, violence at home, an overdose …) puts acute offers
first, but only those of its kind: an emergency dentist or a night shelter is acute too, and
must not sit between a suicide line and a crisis centre. An acute offer fits when it carries
one of the concept's taxonomy terms besides "akut" and its text has a word that says what the
crisis is about: a word of the concept, or a typed word of its phrases. Words that only say
how or when an offer is reached ("anonym", "døgnet") and words many concepts share
("samtale") tell no kind apart.
"""

from functools import lru_cache

from whoosh.query import Term
from whoosh.searching import Searcher

from app.search.analysis import analyse
from app.search.masks import Masks, mask_of
from app.search.schema import TEXT
from app.search.vocabulary import Concept, topics

ACUTE = ("adgang", "akut")
# How and when an offer is reached, not what it is for.
_REACH = (
    "akut akutte døgnet døgn døgnåben døgnåbent nat natten aften weekend anonym anonymt gratis "
    "telefon ring ringe chat skriv"
)
# A word in the words of more than this share of the concepts is a general one.
_GENERAL_SHARE = 0.05


@lru_cache(maxsize=1)
def reach_terms() -> frozenset[str]:
    """The index terms of words that say how or when an offer is reached."""
    return frozenset(analyse(_REACH))


@lru_cache(maxsize=4)
def _general_terms(concepts: tuple[Concept, ...]) -> frozenset[str]:
    spread: dict[str, int] = {}
    for concept in concepts:
        for term in set(concept.words):
            spread[term] = spread.get(term, 0) + 1
    return frozenset(t for t, n in spread.items() if n > _GENERAL_SHARE * len(concepts))


def fitting_acute(
    searcher: Searcher,
    masks: Masks,
    fired: list[Concept],
    typed: list[str],
    every: tuple[Concept, ...],
) -> int:
    """The mask of acute offers that fit the query's crisis concepts (0 when none fires).

    :param every: all concepts of the vocabulary, to tell general words from telling ones.
    """
    acute = masks.akut & masks.live
    untelling = reach_terms() | _general_terms(every)
    fits = 0
    for concept in (c for c in fired if c.crisis):
        carried = 0
        for taxonomy, code in concept.terms:
            if (taxonomy, code) != ACUTE:
                carried |= masks.by_code.get(taxonomy, {}).get(code, 0)
        in_phrases = {t for phrase in concept.phrases for t in phrase}
        words = {t for t in typed if t in in_phrases} | set(concept.words)
        words.update(next(iter(p)) for p in concept.phrases if len(p) == 1)
        telling = 0
        for word in words - untelling:
            telling |= mask_of(searcher, Term(TEXT, word), masks) & acute
        fits |= acute & carried & telling
    return fits


def related_acute(masks: Masks, fired: list[Concept]) -> int:
    """The acute offers that carry a theme or group of one of the crisis concepts: the next
    best when none fits the kind of crisis by its words (a psychiatric emergency line for a
    sexual assault where no centre for it is listed)."""
    related = 0
    for concept in (c for c in fired if c.crisis):
        for taxonomy, code in topics(concept):
            related |= masks.by_code.get(taxonomy, {}).get(code, 0)
    return related & masks.akut & masks.live
