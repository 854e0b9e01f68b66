"""Danish analysis: folding, stop words, stemming and compounds."""

import pytest

from app.search.analysis import (
    analyse,
    excess_terms,
    fold,
    head_and_tail,
    in_english,
    split_compound,
    with_compound_parts,
)
from app.search.highlight import Highlighter
from app.search.lexicon.words import lexicon_terms


@pytest.mark.parametrize(("spellings"), [("gæld", "gaeld", "gald"), ("bostøtte", "bostotte")])
def test_spellings_of_danish_letters_meet(spellings: tuple[str, ...]) -> None:
    assert len({tuple(analyse(word)) for word in spellings}) == 1


def test_fold_keeps_plain_words() -> None:
    assert fold("mental") == "mental"


def test_stop_words_and_filler_are_dropped() -> None:
    assert analyse("Jeg er så alene") == analyse("alene")


def test_inflections_share_a_stem() -> None:
    assert analyse("grupper") == analyse("gruppe")
    assert analyse("ensomhed")[0].startswith(analyse("ensom")[0])


def test_compound_splits_into_known_words() -> None:
    known = set(analyse("gå fællesskab sorg gruppe gæld rådgivning"))
    assert split_compound(analyse("gåfællesskab")[0], known) == analyse("gå fællesskab")
    assert split_compound(analyse("sorggrupper")[0], known) == analyse("sorg gruppe")
    assert split_compound(analyse("gældsrådgivning")[0], known) == analyse("gæld rådgivning")


def test_words_are_not_split_into_unknown_or_tiny_parts() -> None:
    known = set(analyse("mental sund"))
    assert split_compound(analyse("mentalt")[0], known) == []
    assert with_compound_parts(["sundhed"], known) == ["sundhed"]


def test_negations_count_but_are_never_marked() -> None:
    """ "kan ikke sove": "ikke" stays a search word, yet a summary is not built around it."""
    assert "ikk" in analyse("kan ikke sove")
    text = "Du er ikke alene. Kan du ikke sove om natten?"
    marked = [text[a:b] for a, b in Highlighter.for_query("kan ikke sove", frozenset()).spans(text)]
    assert marked == ["sove"]
    assert Highlighter.for_query("ikke", frozenset()).spans(text) == []


def test_a_compound_splits_in_head_and_tail_against_the_dictionary() -> None:
    lexicon = lexicon_terms()
    for compound, parts in [
        ("førtidspensionist", ["førtid", "pensionist"]),
        ("eneforsørgere", ["ene", "forsørgere"]),
        ("selvmordstanker", ["selvmord", "tanker"]),
    ]:
        expected = [analyse(part)[0] for part in parts]
        assert head_and_tail(analyse(compound)[0], lexicon) == expected, compound
    assert head_and_tail(analyse("handicap")[0], lexicon) == []


def test_too_much_is_one_word_and_for_alone_is_a_stop_word() -> None:
    assert analyse("drikker for meget") == analyse("drikker alt for meget")
    assert analyse("drikker for meget") == analyse("drikker for mange")
    assert len(analyse("drikker for meget")) == 2
    assert analyse("plads for alle") == analyse("plads alle")
    assert analyse("for") == []


def test_more_than_is_good_is_too_much() -> None:
    assert analyse("jeg drikker mere end jeg har godt af") == analyse("jeg drikker for meget")
    assert analyse("spiser mere end godt er") == analyse("spiser for meget")
    # "mere end" without "godt" is only a comparison.
    assert not set(analyse("mere end to timer om ugen")) & excess_terms()


def test_question_words_are_no_topic() -> None:
    assert analyse("hvordan kan jeg hjælpe hende") == analyse("hjælpe hende")
    assert analyse("where can I find a job") == analyse("find a job")


def test_kids_are_not_young_people() -> None:
    # "unger" (kids) and "unge" (young people) stem alike but mean different things.
    assert analyse("unger") != analyse("unge")
    assert analyse("unger") == analyse("ungerne")
    assert analyse("unge") == analyse("ung")


def test_a_fixed_expression_means_its_plain_word() -> None:
    # "røre sig" is to exercise; "røre i gryden" is stirring a pot.
    assert analyse("jeg vil gerne røre mig") == analyse("jeg vil gerne motionere")
    assert analyse("røre i gryden") != analyse("motionere i gryden")


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("feeling depressed and lonely", True),
        ("where can I learn Danish", True),
        ("my neighbour drinks too much", True),
        ("jeg vil ikke leve mere", False),
        ("min nabo drikker for meget", False),
        ("hjælp til at søge job", False),
        ("SEL 85", False),
    ],
)
def test_a_query_in_english_is_told_by_its_small_words(text: str, english: bool) -> None:
    assert in_english(text) is english
