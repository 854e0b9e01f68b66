"""Search beyond the vocabulary's phrases, on the suite's own offers: legal references in
every notation, the fitting acute offers for each kind of crisis, nothing marked for a
negation."""

from collections.abc import Callable

import pytest
import yaml
from sqlalchemy import Engine

from app.search import SearchRequest, SearchService
from app.search.analysis import analyse
from app.search.understand import Understanding
from app.search.vocabulary import Concept, matching_concepts
from tests.conftest import SEARCH_OFFERS, TESTS_DIR
from tests.search.test_search import names

GENERAL_OFFERS = TESTS_DIR / "data" / "general_offers.yaml"


def _without(search_with: Callable[[str], SearchService], *names: str) -> SearchService:
    """A search over the suite's search and general offers, but those named."""
    offers = [
        offer
        for path in (SEARCH_OFFERS, GENERAL_OFFERS)
        for offer in yaml.safe_load(path.read_text(encoding="utf-8"))["offers"]
        if offer["name"] not in names
    ]
    return search_with(yaml.safe_dump({"offers": offers}, allow_unicode=True))


@pytest.fixture
def search(search_with: Callable[[str], SearchService]) -> SearchService:
    return _without(search_with)


def _first(search: SearchService, engine: Engine, text: str) -> str:
    found = names(engine, search.search(SearchRequest(text=text)))
    assert found, text
    return found[0]


@pytest.mark.parametrize(
    "text",
    ["§ 99", "§99", "99 stk. 1", "paragraf 99", "hjælp til at komme ud blandt andre § 99"],
)
def test_a_paragraph_in_any_notation_ranks_its_offers_first(
    search: SearchService, engine: Engine, text: str
) -> None:
    """Two laws have a § 99 here; without a law named, both come first, before offers that
    only share words ("ud blandt andre")."""
    found = names(engine, search.search(SearchRequest(text=text)))
    assert sorted(found[:2]) == ["Samværsstøtte", "Støttekontaktperson"], found[:4]


@pytest.mark.parametrize(
    "text",
    ["SEL 99", "serviceloven paragraf 99", "Serviceloven § 99, stk. 1",
     "hjælp til at komme ud blandt andre efter SEL § 99"],
)  # fmt: skip
def test_a_named_law_ranks_its_paragraph_first(
    search: SearchService, engine: Engine, text: str
) -> None:
    assert _first(search, engine, text) == "Støttekontaktperson"
    assert (
        _first(
            search,
            engine,
            text.replace("SEL", "SUL")
            .replace("Serviceloven", "Sundhedsloven")
            .replace("serviceloven", "sundhedsloven"),
        )
        == "Samværsstøtte"
    )


@pytest.mark.parametrize("text", ["83a", "83 a", "§ 83a", "§83 a", "SEL 83 a"])
def test_a_paragraph_letter_meets_written_together_or_apart(
    search: SearchService, engine: Engine, text: str
) -> None:
    assert _first(search, engine, text) == "Rehabiliteringsforløb i hjemmet"


@pytest.mark.parametrize(
    ("text", "fitting"),
    [
        ("min kæreste slår mig", {"Krisecenter for kvinder"}),
        ("tanker om selvmord", {"Krisetelefonen", "Psykiatrisk akutmodtagelse"}),
        ("mit barn bliver slået", {"Børnetelefonen"}),
        ("jeg blev voldtaget til en fest", {"Center for voldtægtsofre"}),
        ("har ingen steder at sove i nat", {"Nødovernatning i Testby"}),
    ],
)
def test_each_crisis_puts_its_own_acute_offers_first(
    search: SearchService, engine: Engine, text: str, fitting: set[str]
) -> None:
    result = search.search(SearchRequest(text=text))
    assert result.crisis, text
    found = names(engine, result)
    head = found[: len(fitting)]
    assert set(head) <= fitting and head, (text, found[:5])
    # An acute offer of another kind never sits among them: not the dentist, nor a suicide
    # line that shares only how it is reached ("anonym", "hele døgnet").
    others = {"Tandlægevagten", "Krisetelefonen"} - fitting
    assert not others & set(found[: len(fitting) + 1]), (text, found[:5])


def test_without_an_acute_offer_of_its_kind_a_crisis_lifts_none_of_another(
    search_with: Callable[[str], SearchService], engine: Engine
) -> None:
    """No child line or crisis centre listed: a child at risk gets the family offers, not the
    dentist or the suicide line for being acute."""
    search = _without(search_with, "Børnetelefonen", "Krisecenter for kvinder")
    result = search.search(SearchRequest(text="mit barn bliver slået"))
    assert result.crisis
    assert not any(hit.akut for hit in result.hits[:8]), names(engine, result)[:8]


def test_without_an_acute_offer_of_its_kind_one_of_its_theme_comes_first(
    search_with: Callable[[str], SearchService], engine: Engine
) -> None:
    """No centre for sexual assault listed: the acute offers for mental health come first."""
    search = _without(search_with, "Center for voldtægtsofre")
    found = names(engine, search.search(SearchRequest(text="jeg blev voldtaget til en fest")))
    assert found[0] in {"Psykiatrisk akutmodtagelse", "Krisetelefonen"}, found[:5]
    assert "Tandlægevagten" not in found[:3]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("min nabo drikker for meget", "Alkoholbehandling"),
        ("min kollega har gæld", "Gældsrådgivning"),
        ("my neighbour drinks too much", "Alkoholbehandling"),
    ],
)
def test_who_asks_never_outweighs_what_is_asked(
    search: SearchService, engine: Engine, text: str, topic: str
) -> None:
    found = names(engine, search.search(SearchRequest(text=text)))
    assert topic in found[:2], found[:5]
    assert found.index(topic) < min(
        found.index(n) if n in found else 99 for n in ("Nabohjælp i Testby", "Kollegaer i netværk")
    )


def test_a_role_word_alone_still_finds_its_offers(search: SearchService, engine: Engine) -> None:
    assert names(engine, search.search(SearchRequest(text="nabo")))[0] == "Nabohjælp i Testby"


def test_most_of_a_phrase_fires_its_concept_and_one_word_of_it_does_not() -> None:
    """Our own tiny vocabulary: "sover dårligt om natten" also fires for other forms with
    most of its telling words; a word several concepts share is not enough."""
    concepts = (
        Concept("sleep", (frozenset(analyse("sover dårligt om natten")),), (), ()),
        Concept("night-shelter", (frozenset(analyse("sove udenfor om natten")),), (), ()),
        Concept("night-work", (frozenset(analyse("arbejde om natten")),), (), ()),
    )
    fired = [c.id for c in matching_concepts(set(analyse("får ikke sovet dårligt")), concepts)]
    assert fired == ["sleep"]
    assert matching_concepts(set(analyse("om natten")), concepts) == []
    assert matching_concepts(set(analyse("sover")), concepts) == []


def test_words_only_the_vocabulary_knows_are_split_and_corrected() -> None:
    """Our own words: a compound no offer uses splits against the vocabulary's words (or the
    Danish dictionary's), and a misspelling of a vocabulary word is corrected; short words
    are left alone."""
    understanding = Understanding(analyse("pensionist alkoholiker skilt ensom forsørgere"))
    known = frozenset(analyse("ny førtid"))
    assert set(analyse("pensionist")) <= understanding.concept_terms(
        analyse("førtidspensionist"), known
    )
    assert set(analyse("skilt")) <= understanding.concept_terms(analyse("nyskilt"), known)
    # Neither knows "ene"; the Danish dictionary does.
    assert set(analyse("forsørgere")) <= understanding.concept_terms(
        analyse("eneforsørgere"), known
    )
    assert understanding.correction(analyse("alkaholiker")[0]) == analyse("alkoholiker")[0]
    assert understanding.correction(analyse("alkoholikker")[0]) == analyse("alkoholiker")[0]
    assert understanding.correction(analyse("ensum")[0]) is None  # too short to guess
    assert understanding.correction(analyse("alkymist")[0]) is None
    # Two parts with a long tail beat short known pieces: "ene" + "for" + "sorg" is no grief.
    pieces = Understanding(analyse("sorg for forsørgere"))
    split = pieces.concept_terms(analyse("eneforsørger"), frozenset({"ene", "for"}))
    assert set(analyse("forsørger")) <= split
    assert not set(analyse("sorg")) & split
    # A misspelling nearer the word as written than its stem: "ensomhd" is one edit from
    # "ensomhed", two from the stem "ensom".
    written = Understanding(analyse("ensomhed"), ["ensomhed"])
    assert written.correction(analyse("ensomhd")[0]) is None
    assert set(analyse("ensomhed")) <= written.concept_terms(
        analyse("ensomhd"), frozenset(), ["ensomhd"]
    )


def test_a_misspelt_life_situation_finds_its_offers(search: SearchService, engine: Engine) -> None:
    assert _first(search, engine, "min far er alkaholiker") in (
        "Gruppe for pårørende til misbrugere",
        "Alkoholbehandling",
    )


@pytest.mark.parametrize(
    ("text", "fitting", "repeating"),
    [
        ("enlig far med gæld", ["Gældsrådgivning", "Økonomisk rådgivning for familier"],
         "Fars legestue"),
        ("pensioneret og savner noget at lave", ["Seniorklub med kortspil"], "Lav din egen mad"),
    ],
)  # fmt: skip
def test_several_needs_beat_one_common_word_repeated(
    search: SearchService, engine: Engine, text: str, fitting: list[str], repeating: str
) -> None:
    found = names(engine, search.search(SearchRequest(text=text)))
    assert repeating in found, found
    for name in fitting:
        assert found.index(name) < found.index(repeating), found[:6]


def test_a_situation_told_in_several_words_has_clear_fits(search: SearchService) -> None:
    # No offer says "slår"; the crisis centre is still a clear fit, not "may fit".
    result = search.search(SearchRequest(text="min kæreste slår mig"))
    assert result.clear is None or result.clear >= 1
    # No offer is about a hairdresser: the free offers are shown apart.
    assert search.search(SearchRequest(text="gratis frisør")).clear == 0


def test_a_query_in_english_puts_offers_that_help_in_english_first(
    search: SearchService, engine: Engine
) -> None:
    english = names(engine, search.search(SearchRequest(text="I feel lonely, where can I go")))
    assert english.index("Snakkecafé i Østby") < english.index("Snakkecafé i Vestby"), english
    danish = names(engine, search.search(SearchRequest(text="jeg føler mig ensom")))
    assert danish.index("Snakkecafé i Vestby") < danish.index("Snakkecafé i Østby"), danish
