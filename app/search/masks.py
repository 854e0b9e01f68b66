"""Sets of documents as bit masks (bit n is document n), cached per index generation.

Filters, facet counts and text matches combine as ANDs and ORs of these masks.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh.query import Or, Prefix, Query, Term
from whoosh.searching import Searcher

from app.search.schema import FACETS, TEXT
from app.search.spelling import Nearby


@dataclass
class Masks:
    """Per index generation: a bit mask of documents for every facet value and more."""

    live: int
    by_code: dict[str, dict[str, int]]
    akut: int
    ids: dict[int, str]
    english: int  # offers that help in English
    known: frozenset[str]
    display: dict[str, str]
    nearby: Nearby  # the display words, for spelling fixes
    ages: dict[int, tuple[int, int]]
    by_age: dict[int, int] = field(default_factory=dict)
    terms: dict[tuple[str, str], int] = field(default_factory=dict)
    postings: dict[tuple[str, str], tuple[Any, Any]] = field(default_factory=dict)
    size: int = 0
    lengths: Any = None
    avg_length: float = 1.0


def build_masks(searcher: Searcher, words: dict[str, Any]) -> Masks:
    """The masks of the index this searcher reads.

    :param words: the index's word lists (`IndexStore.words()`): "known" and "display".
    """
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
            codes[value] = _mask(reader, facet, value) & live
        by_code[facet] = codes
    return Masks(
        live=live,
        by_code=by_code,
        akut=by_code["adgang"].get("akut", 0),
        ids=ids,
        english=_mask(reader, "languages", "en") & live,
        known=frozenset(words["known"]),
        display=words["display"],
        nearby=Nearby(words["display"]),
        ages=ages,
        size=reader.doc_count_all(),
        lengths=np.array(
            [reader.doc_field_length(d, TEXT, 0) for d in range(reader.doc_count_all())],
            dtype=np.float64,
        ),
        avg_length=searcher.avg_field_length(TEXT) or 1.0,
    )


def _mask(reader: Any, field_name: str, value: str) -> int:
    """The documents whose field has the value (0 when none has)."""
    mask = 0
    if (field_name, value) in reader:
        for docnum in reader.postings(field_name, value).all_ids():
            mask |= 1 << docnum
    return mask


def docnums(mask: int) -> set[int]:
    """The document numbers of a mask's set bits."""
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


def mask_of(searcher: Searcher, query: Query, masks: Masks) -> int:
    """The documents a query matches, as a bit mask; term masks are cached per index."""
    if isinstance(query, Term):
        return _term_mask(searcher, masks, query.fieldname, query.text)
    if isinstance(query, Prefix):
        found = 0
        for term in searcher.reader().expand_prefix(query.fieldname, query.text):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            found |= _term_mask(searcher, masks, query.fieldname, text)
        return found
    if isinstance(query, Or):
        found = 0
        for sub in query.subqueries:
            found |= mask_of(searcher, sub, masks)
        return found
    return _mask_from_ids(query.docs(searcher), searcher.doc_count_all())


def _term_mask(searcher: Searcher, masks: Masks, field_name: str, text: str) -> int:
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


def age_mask(masks: Masks, age: int) -> int:
    """The documents whose age limits include this age."""
    if age not in masks.by_age:
        mask = 0
        for docnum, (lowest, highest) in masks.ages.items():
            if lowest <= age <= highest:
                mask |= 1 << docnum
        masks.by_age[age] = mask
    return masks.by_age[age]
