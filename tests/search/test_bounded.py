"""Search work is bounded whatever the text, and text that looks the same finds the same."""

import json
import unicodedata
from collections.abc import Callable

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.search import SearchRequest, SearchService
from app.search.analysis import (
    MAX_SPLIT_LOOKUPS,
    MAX_TERM,
    MAX_TOKENS,
    analyse,
    known_tail,
    split_compound,
)
from app.search.highlight import MAX_HIGHLIGHT, Highlighter
from tests.conftest import SEARCH_OFFERS


class CountingSet(set[str]):
    """A set that counts how often it is asked."""

    lookups = 0

    def __contains__(self, item: object) -> bool:
        self.lookups += 1
        return super().__contains__(item)


def test_a_very_long_word_is_analysed_only_up_to_a_fixed_length() -> None:
    terms = analyse("x" * 100_000 + " gældsrådgivning")
    assert len(terms) == 2
    assert all(len(term) <= MAX_TERM for term in terms)


def test_tokens_per_field_are_capped() -> None:
    assert len(analyse("fællesskab " * (MAX_TOKENS * 3))) == MAX_TOKENS


@pytest.mark.parametrize("word", ["a" * 100_000, "sorg" * 25_000, "abc" * 33_333])
def test_compound_candidates_per_word_are_capped(word: str) -> None:
    # Every prefix and suffix is "known": the worst case for splitting.
    known = CountingSet(word[:cut] for cut in range(1, 60))
    known |= {word[-cut:] for cut in range(1, 60)}
    split_compound(word, known)
    assert known.lookups <= MAX_SPLIT_LOOKUPS + 2
    known.lookups = 0
    known_tail(word, known)
    assert known.lookups <= MAX_TERM


def test_highlighting_reads_a_bounded_part_of_a_text() -> None:
    highlighter = Highlighter.for_query("gæld", frozenset(analyse("gæld rådgivning")))
    text = "ord " * (MAX_HIGHLIGHT // 4) + "gæld " * 10_000
    assert highlighter.spans(text) == []
    assert highlighter.spans("Hjælp til gæld") == [(10, 14)]


def test_a_worst_case_offer_is_indexed_with_bounded_words(
    search_with: Callable[[str], SearchService],
) -> None:
    long_word = "ø" * 15_000
    extra = {
        "offers": [
            {
                "id": "eeeeeeee-0000-4000-8000-000000000001",
                "name": "Ordblindecafé " + "b" * 250,
                "organization": "testforening",
                "description": f"Hjælp til ordblinde. {long_word} " + "læsning " * 500,
                "tema": ["job-uddannelse"],
                "maalgruppe": ["voksne"],
                "kanal": ["fysisk"],
            }
        ]
    }
    service = search_with(yaml.safe_dump(extra, allow_unicode=True))
    service.ensure()
    words = json.loads((service.store.current / "words.json").read_text(encoding="utf-8"))  # type: ignore[operator]
    assert max(len(term) for term in words["known"]) <= MAX_TERM
    assert max(len(word) for word in words["display"]) <= MAX_TERM
    result = service.search(SearchRequest(text="ordblinde " + long_word))
    assert [hit.offer_id for hit in result.hits][:1] == ["eeeeeeee-0000-4000-8000-000000000001"]
    service.highlighter(long_word).spans(extra["offers"][0]["description"])


# ----------------------------------------------------------- the same text, other code points

_FULLWIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def _forms(word: str) -> dict[str, str]:
    middle = len(word) // 2
    return {
        "nfd": unicodedata.normalize("NFD", word),
        "fullwidth": word.translate(_FULLWIDTH),
        "soft hyphen": word[:middle] + "\u00ad" + word[middle:],
        "zero-width space": word[:middle] + "\u200b" + word[middle:],
        "capitals": word.upper(),
    }


def _words() -> list[str]:
    offers = yaml.safe_load(SEARCH_OFFERS.read_text(encoding="utf-8"))["offers"]
    words = {
        word.strip(".,:;!?()").lower()
        for offer in offers
        for word in f"{offer['name']} {offer['description']}".split()
    }
    # Danish letters are the point: å, æ and ø decompose or fold.
    return sorted(w for w in words if len(w) >= 4 and w.isalpha() and set(w) & set("æøå"))


@pytest.fixture
def indexed(search_with: Callable[[str], SearchService]) -> SearchService:
    service = search_with(SEARCH_OFFERS.read_text(encoding="utf-8"))
    service.ensure()
    return service


def test_the_property_words_hold_danish_letters() -> None:
    assert len(_words()) >= 10


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(word=st.sampled_from(_words()), form=st.sampled_from(list(_forms("x"))))
def test_any_form_of_a_word_finds_the_same_offers(
    indexed: SearchService, word: str, form: str
) -> None:
    expected = [hit.offer_id for hit in indexed.search(SearchRequest(text=word)).hits]
    typed = _forms(word)[form]
    assert [hit.offer_id for hit in indexed.search(SearchRequest(text=typed)).hits] == expected
    nfc = unicodedata.normalize("NFC", typed)
    assert [hit.offer_id for hit in indexed.search(SearchRequest(text=nfc)).hits] == expected
