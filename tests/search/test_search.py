"""Search over the fixture catalogue and the search offers through the real index in a temp dir."""

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.catalogue.taxonomy import Vocabulary
from app.catalogue.visibility import may_see
from app.config import Settings
from app.db import session_scope
from app.models import Offer, OfferState, SearchStat
from app.search import SearchRequest, SearchResult, SearchService
from app.statistics.search_counts import SearchCounter
from tests.conftest import SEARCH_OFFERS


@pytest.fixture
def search(search_with: Callable[[str], SearchService]) -> SearchService:
    """The fixture catalogue and the search offers (tests/data/search_offers.yaml), indexed."""
    service = search_with(SEARCH_OFFERS.read_text(encoding="utf-8"))
    service.ensure()
    return service


def names(engine: Engine, result: SearchResult) -> list[str]:
    with Session(engine) as session:
        found = {o.id: o.name for o in session.exec(select(Offer)).all()}
    return [found[hit.offer_id] for hit in result.hits]


def test_search_finds_offers_by_their_words(search: SearchService, engine: Engine) -> None:
    result = search.search(SearchRequest(text="gældsrådgivning"))
    assert result.total >= 1
    assert "gæld" in names(engine, result)[0].lower()


def test_ascii_spelling_finds_danish_words(search: SearchService) -> None:
    danish = search.search(SearchRequest(text="gæld"))
    ascii_ = search.search(SearchRequest(text="gaeld"))
    assert [h.offer_id for h in danish.hits] == [h.offer_id for h in ascii_.hits]
    assert danish.total > 0


def test_empty_query_browses_every_public_offer_by_name(
    search: SearchService, engine: Engine
) -> None:
    result = search.search(SearchRequest(text="", limit=None))
    with Session(engine) as session:
        public = session.exec(select(Offer).where(Offer.state != OfferState.DRAFT)).all()
    assert result.total == len([o for o in public if may_see(o.state)])
    listed = names(engine, result)
    assert listed == sorted(listed, key=str.lower)


def test_facet_counts_are_disjunctive(search: SearchService) -> None:
    everything = search.search(SearchRequest(text=""))
    counts = {c.code: c.count for c in everything.facets["tema"]}
    chosen = search.search(SearchRequest(text="", facets={"tema": ("motion",)}))
    # Choosing a theme leaves the other themes' counts as they were (OR within a facet) ...
    assert {c.code: c.count for c in chosen.facets["tema"]} == counts
    assert chosen.total == counts["motion"]
    # ... and narrows the other facets (AND across facets).
    groups = {c.code: c.count for c in chosen.facets["maalgruppe"]}
    assert sum(groups.values()) <= sum(c.count for c in everything.facets["maalgruppe"])
    both = search.search(SearchRequest(text="", facets={"tema": ("motion", "mad")}))
    assert both.total <= counts["motion"] + counts["mad"]
    assert both.total >= max(counts["motion"], counts["mad"])


def test_term_ids_require_every_term(search: SearchService, vocabulary: Vocabulary) -> None:
    motion = vocabulary.term("tema", "motion")
    free = vocabulary.term("adgang", "gratis")
    assert motion and free
    one = search.search(SearchRequest(text="", term_ids=(motion.id,), limit=None))
    both = search.search(SearchRequest(text="", term_ids=(motion.id, free.id), limit=None))
    free_offers = search.search(SearchRequest(text="", facets={"adgang": ("gratis",)}, limit=None))
    expected = {h.offer_id for h in one.hits} & {h.offer_id for h in free_offers.hits}
    assert {h.offer_id for h in both.hits} == expected
    assert 0 < both.total < one.total  # the second term really narrows


def test_offers_without_age_limit_match_any_age(search: SearchService, engine: Engine) -> None:
    result = search.search(SearchRequest(text="", age=10, limit=None))
    with Session(engine) as session:
        for hit in result.hits:
            offer = session.get(Offer, hit.offer_id)
            assert offer is not None
            assert offer.minimum_age is None or offer.minimum_age <= 10
            assert offer.maximum_age is None or offer.maximum_age >= 10
        public = [o for o in session.exec(select(Offer)).all() if may_see(o.state)]
    unlimited = {o.id for o in public if o.minimum_age is None and o.maximum_age is None}
    assert unlimited <= {hit.offer_id for hit in result.hits}
    assert len(unlimited) < len(public)  # some offers have limits that leave 10-year-olds out


def test_zero_hits_suggest_a_spelling(search: SearchService) -> None:
    result = search.search(SearchRequest(text="kaffee"))
    assert result.total == 0
    assert result.suggestion == "kaffe"
    assert search.search(SearchRequest(text="kaffe")).total > 0


def test_zero_hits_count_what_each_relaxed_filter_would_give(search: SearchService) -> None:
    unfiltered = search.search(SearchRequest(text="gæld")).total
    with_free = search.search(SearchRequest(text="gæld", facets={"adgang": ("gratis",)})).total
    result = search.search(
        SearchRequest(text="gæld", facets={"town": ("Ingenby",), "adgang": ("gratis",)})
    )
    assert result.total == 0
    assert result.relaxed == {"town": with_free, "adgang": 0}
    assert 0 < with_free <= unfiltered


def test_nonsense_finds_nothing(search: SearchService) -> None:
    result = search.search(SearchRequest(text="xylofonundervisning"))
    assert result.total == 0 and result.hits == []


def test_a_committed_change_is_found_at_once(search: SearchService, engine: Engine) -> None:
    assert search.search(SearchRequest(text="zyxwolk")).total == 0
    with session_scope(engine) as session:
        offer = session.exec(select(Offer).where(Offer.state == OfferState.PUBLISHED)).first()
        assert offer is not None
        offer.description += " Vi spiller også i en zyxwolk."
        changed_id = offer.id
    result = search.search(SearchRequest(text="zyxwolk"))
    assert [h.offer_id for h in result.hits] == [changed_id]

    with session_scope(engine) as session:
        offer = session.get(Offer, changed_id)
        assert offer is not None
        offer.state = OfferState.RETIRED
    assert search.search(SearchRequest(text="zyxwolk")).total == 0


def test_a_corrupt_index_is_rebuilt_on_start(
    search: SearchService, settings: Settings, engine: Engine
) -> None:
    before = search.search(SearchRequest(text="gæld")).total
    search.close()
    folder = search.store.current
    assert folder is not None
    for segment in folder.glob("*.seg"):
        segment.write_bytes(b"garbage")
    for toc in folder.glob("*.toc"):
        toc.write_bytes(b"garbage")
    fresh = SearchService(settings, engine)
    assert fresh.ensure() == "rebuilt"
    assert fresh.search(SearchRequest(text="gæld")).total == before
    fresh.close()


def test_a_missing_index_is_built_on_first_search(settings: Settings, engine: Engine) -> None:
    service = SearchService(settings, engine)
    assert service.search(SearchRequest(text="")).total == 0
    service.close()


@pytest.mark.parametrize("text", ["tanker om selvmord", "jeg vil ikke leve mere", "want to die"])
def test_crisis_query_puts_acute_offers_first(search: SearchService, text: str) -> None:
    result = search.search(SearchRequest(text=text))
    assert result.crisis
    assert result.hits and result.hits[0].akut
    acute = [hit.akut for hit in result.hits]
    assert acute == sorted(acute, reverse=True)  # every acute offer before the others


@pytest.mark.parametrize("text", ["gåtur", "vil gerne leve mere sundt"])
def test_ordinary_query_is_no_crisis(search: SearchService, text: str) -> None:
    assert not search.search(SearchRequest(text=text)).crisis


def test_life_situation_words_find_fitting_offers(search: SearchService, engine: Engine) -> None:
    result = search.search(SearchRequest(text="uden tag over hovedet"))
    assert result.total > 0
    assert any(
        word in name.lower()
        for name in names(engine, result)[:3]
        for word in ("herberg", "bolig", "hjem")
    )


def test_hsds_search_ranks_by_relevance(search: SearchService, settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(create_app(settings)) as client:
        page = client.get("/hsds/services", params={"search": "gældsrådgivning", "per_page": 3})
        assert page.status_code == 200
        contents = page.json()["contents"]
    ours = search.search(SearchRequest(text="gældsrådgivning", limit=3))
    assert [item["id"] for item in contents] == [hit.offer_id for hit in ours.hits]


def test_writing_about_a_family_members_addiction_finds_help_for_relatives(
    search: SearchService, engine: Engine
) -> None:
    # No phrase of the vocabulary says "brother takes drugs": the relative is inferred from a
    # family word beside a problem.
    result = search.search(SearchRequest(text="min bror tager stoffer"))
    assert "paaroerende" in result.concepts
    assert any("pårørende" in name.lower() for name in names(engine, result)[:3])


def test_a_family_word_alone_does_not_make_a_relative(search: SearchService) -> None:
    result = search.search(SearchRequest(text="min bror spiller fodbold"))
    assert "paaroerende" not in result.concepts


def test_a_role_beside_a_topic_does_not_widen_the_results(search: SearchService) -> None:
    # "telefon" says how to get help, not what with: offers that only share its words ("ring",
    # "samtale") but are neither about debt nor phone offers stay out.
    topic = search.search(SearchRequest(text="gæld", limit=None))
    phone = search.search(SearchRequest(text="telefon om gæld", limit=None))
    only_topic = {hit.offer_id for hit in topic.hits}
    phone_offers = search.search(
        SearchRequest(text="", facets={"kanal": ("telefon",)}, limit=None)
    ).hits
    assert {hit.offer_id for hit in phone.hits} <= only_topic | {h.offer_id for h in phone_offers}
    assert phone.hits[0].offer_id == topic.hits[0].offer_id


def test_a_length_of_time_is_no_age(search: SearchService, engine: Engine) -> None:
    # "i 10 år" says how long, not how old: adult offers stay in.
    found = names(engine, search.search(SearchRequest(text="har drukket for meget i 10 år")))
    assert "Alkoholbehandling" in found
    young = names(engine, search.search(SearchRequest(text="12 år og drikker alkohol")))
    assert "Alkoholbehandling" not in young  # an age the person states still counts


@pytest.mark.usefixtures("search")
def test_a_search_answers_when_statistics_cannot_be_written(
    settings: Settings, engine: Engine
) -> None:
    counted = SearchService(settings, engine, recorder=SearchCounter(engine))
    SearchStat.__table__.drop(engine)  # type: ignore[attr-defined]
    result = counted.search(SearchRequest(text="gældsrådgivning"), counted=True)
    counted.close()
    assert result.total >= 1
