"""Which acute offers fit the crisis a query describes.

A crisis concept (thoughts of suicide, violence at home, an overdose …) puts acute offers
first, but only those of its kind: an emergency dentist or a night shelter is acute too, and
must not sit between a suicide line and a crisis centre. An acute offer fits when it carries
one of the concept's taxonomy terms besides "akut" and its text has a word of the query or of
the concept that tells acute offers apart (one most acute offers share, like "akut" or
"døgnet", tells nothing).
"""

from whoosh.query import Term
from whoosh.searching import Searcher

from app.search.masks import Masks, mask_of
from app.search.schema import TEXT
from app.search.vocabulary import Concept

_ACUTE = ("adgang", "akut")


def fitting_acute(
    searcher: Searcher, masks: Masks, concepts: list[Concept], typed: list[str]
) -> int:
    """The mask of acute offers that fit the query's crisis concepts (0 when none fires)."""
    acute = masks.akut & masks.live
    count = acute.bit_count()
    fits = 0
    for concept in (c for c in concepts if c.crisis):
        carried = 0
        for taxonomy, code in concept.terms:
            if (taxonomy, code) != _ACUTE:
                carried |= masks.by_code.get(taxonomy, {}).get(code, 0)
        words = {*typed, *concept.words}
        words.update(next(iter(p)) for p in concept.phrases if len(p) == 1)
        telling = 0
        for word in words:
            found = mask_of(searcher, Term(TEXT, word), masks) & acute
            if found and found.bit_count() * 2 <= count:
                telling |= found
        fits |= acute & carried & telling
    return fits
