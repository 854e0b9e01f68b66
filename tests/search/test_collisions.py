"""Words that stemming and folding would give one term though they mean different things:
every such pair of the product's catalogue and vocabulary is reviewed (app/search/lexicon/
senses.yaml), and the ones that differ stay apart in search and in highlighting."""

from collections.abc import Callable

import pytest
import yaml
from sqlalchemy import Engine

from app.search import SearchRequest, SearchService
from app.search.analysis import analyse
from app.search.collisions import Collision, collisions
from tests.conftest import FIXTURE_CATALOGUE, SEARCH_OFFERS, TESTS_DIR
from tests.search.test_generalises import GENERAL_OFFERS
from tests.search.test_search import names

CATALOGUE = TESTS_DIR.parent / "catalogue"


def _texts() -> list[str]:
    """Every text of the product's catalogue (offers, organisations, taxonomy, site), its
    vocabulary and the suite's own fixture offers."""
    files = [*CATALOGUE.glob("*.yaml"), *CATALOGUE.glob("offers/*.yaml")]
    files += [*FIXTURE_CATALOGUE.rglob("*.yaml"), SEARCH_OFFERS, GENERAL_OFFERS]
    return [path.read_text(encoding="utf-8") for path in files]


def test_every_collision_of_the_catalogue_and_vocabulary_is_reviewed() -> None:
    """A pair listed here meets after stemming and folding without being forms of one
    dictionary word: say in senses.yaml whether its words mean one thing or stay apart."""
    assert collisions(_texts()) == []


def test_the_check_finds_an_unreviewed_pair() -> None:
    # "tømme" (to empty) and "tomme" (empty): folding alone makes them meet.
    found = collisions(["Vi hjælper dig med at tømme dine tomme kasser."])
    assert Collision("tom", "tomme", "tømme") in found


@pytest.mark.parametrize(
    ("word", "same", "apart"),
    [
        ("gæld", ["gælden", "gælds"], ["gælder", "gældende"]),
        ("far", ["fars"], ["fare", "farer", "faren"]),
        ("ældre", ["aeldre"], ["alder", "aldre"]),
        ("kræft", ["kræften", "kraeft"], ["kræfter", "kraft"]),
        ("sammen", [], ["samme"]),
    ],
)
def test_forms_meet_and_other_meanings_stay_apart(
    word: str, same: list[str], apart: list[str]
) -> None:
    for other in same:
        assert analyse(other) == analyse(word), other
    for other in apart:
        assert analyse(other) != analyse(word), other


@pytest.fixture
def search(search_with: Callable[[str], SearchService]) -> SearchService:
    offers = [
        *yaml.safe_load(SEARCH_OFFERS.read_text(encoding="utf-8"))["offers"],
        *yaml.safe_load(GENERAL_OFFERS.read_text(encoding="utf-8"))["offers"],
    ]
    return search_with(yaml.safe_dump({"offers": offers}, allow_unicode=True))


def test_debt_does_not_find_or_mark_applies(search: SearchService, engine: Engine) -> None:
    found = names(engine, search.search(SearchRequest(text="gæld")))
    assert "Gældsrådgivning" in found[:2]
    assert "Lektiecafé" not in found
    text = "Tilbuddet gælder for alle med gæld."
    marked = [text[start:end] for start, end in search.highlighter("gæld").spans(text)]
    assert marked == ["gæld"]


def test_danger_is_not_marked_for_father(search: SearchService) -> None:
    text = "Der er ingen fare, siger min far."
    marked = [text[start:end] for start, end in search.highlighter("far").spans(text)]
    assert marked == ["far"]
