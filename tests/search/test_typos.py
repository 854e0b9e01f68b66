"""Typo tolerance is conservative: known words stay as typed, only long unknown words bend."""

from collections.abc import Callable

import pytest

from app.search import SearchRequest, SearchService
from app.search.spelling import Nearby

MENTAL = "bbbbbbbb-0000-4000-8000-000000000001"
RENTAL = "bbbbbbbb-0000-4000-8000-000000000002"
EXTRA = f"""
offers:
  - id: {MENTAL}
    name: Mental sundhed i hverdagen
    organization: testkommune
    description: Et kursus om at have det godt.
    tema: [psykisk-trivsel]
    maalgruppe: [voksne]
  - id: {RENTAL}
    name: Rental af cykler
    organization: testforening
    description: Lej en cykel for en dag.
    tema: [kultur-fritid]
    maalgruppe: [alle]
"""


@pytest.fixture
def search(search_with: Callable[[str], SearchService]) -> SearchService:
    return search_with(EXTRA)


def ids(service: SearchService, text: str) -> list[str]:
    return [hit.offer_id for hit in service.search(SearchRequest(text=text)).hits]


def test_known_word_never_drifts(search: SearchService) -> None:
    assert ids(search, "mental") == [MENTAL]
    assert ids(search, "rental") == [RENTAL]


def test_long_unknown_word_finds_the_word_meant(search: SearchService) -> None:
    assert ids(search, "mentual") == [MENTAL]


def test_short_unknown_word_is_not_bent_but_suggested(search: SearchService) -> None:
    result = search.search(SearchRequest(text="mentl"))
    assert result.total == 0
    assert result.suggestion == "mental"


def test_nearby_words_keep_the_first_letter_and_count_swaps_only_when_asked() -> None:
    nearby = Nearby(["behandling", "bevægelse", "gæld", "rehandling"])
    assert nearby.within("behnadling", 2) == [(2, "behandling")]
    assert nearby.within("behnadling", 1) == []
    assert nearby.within("behnadling", 1, swaps=True) == [(1, "behandling")]
    # "rehandling" is one edit from "behandling" but starts with another letter.
    assert nearby.within("behandling", 1) == [(0, "behandling")]
