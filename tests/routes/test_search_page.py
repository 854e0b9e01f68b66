"""The search page /soeg over the fixture catalogue and the search offers: real database, real
index, as a browser sees it without JavaScript, and as htmx asks for it."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlmodel import Session, col, select

from app.catalogue.taxonomy import Vocabulary
from app.catalogue.visibility import visible
from app.db import session_scope
from app.exchange.yaml_catalogue import load_catalogue
from app.models import Offer, OfferTerm, Taxonomy, TaxonomyTerm
from app.portal.search_cards import load_cards
from app.portal.search_cards import summary as search_page_summary
from app.search import Highlighter
from tests.conftest import FIXTURE_CATALOGUE, SEARCH_OFFERS
from tests.factories import make_offer

HX = {"HX-Request": "true", "HX-Target": "search-body", "HX-Current-URL": "http://testserver/soeg"}

# An offer whose name and description try to inject markup; it must stay text.
HOSTILE_OFFER = """\
offers:
  - id: 0f0f0f0f-0000-4000-8000-0000000000aa
    name: "<script>alert('navn')</script> Gældshjælp"
    organization: testkommune
    description: >-
      Vi hjælper med <b>gæld</b> & regninger. Gældsrådgivning for alle, der har brug for det.
    tema: [oekonomi]
    maalgruppe: [voksne]
    kanal: [fysisk]
    adgang: [gratis]
"""


# Plain offers that match none of the tests' words, so browsing fills more than two pages.
FILLERS = 25


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """The fixture catalogue, the search offers and the hostile offer, in a temp folder."""
    folder = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, folder)
    shutil.copy(SEARCH_OFFERS, folder / "offers" / "search.yaml")
    (folder / "offers" / "hostile.yaml").write_text(HOSTILE_OFFER, encoding="utf-8")
    return folder


@pytest.fixture
def client(
    app: FastAPI, engine: Engine, vocabulary: Vocabulary, catalogue_dir: Path
) -> Iterator[TestClient]:
    with session_scope(engine) as session:
        load_catalogue(session=session, directory=catalogue_dir, vocabulary=vocabulary)
        for n in range(1, FILLERS + 1):
            make_offer(
                session,
                name=f"Klub nummer {n:02d}",
                description="Vi mødes i klubben og hygger os.",
                terms=["tema/kultur-fritid", "maalgruppe/alle"],
            )
    app.state.search.ensure()
    with TestClient(app) as client:
        yield client


def _get(client: TestClient, url: str, **headers: str) -> BeautifulSoup:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return BeautifulSoup(response.text, "html.parser")


def _count(soup: BeautifulSoup) -> int:
    status = soup.select_one("#result-count")
    assert status is not None
    found = re.search(r"\d+", status.get_text().replace(".", ""))
    return int(found.group(0)) if found else 0


def _ids(soup: BeautifulSoup) -> list[str]:
    links = soup.select("#results > li.card h3 a")
    return [str(a["href"]).removeprefix("/tilbud/") for a in links]


def _label_count(soup: BeautifulSoup, input_id: str) -> int | None:
    label = soup.select_one(f'label[for="{input_id}"]')
    if label is None:
        return None
    found = re.search(r"\((\d+)\)", label.get_text())
    assert found, label.get_text()
    return int(found.group(1))


def _all_ids(client: TestClient, url: str) -> list[str]:
    """Every offer of a search, page by page."""
    ids: list[str] = []
    while url:
        soup = _get(client, url)
        ids += _ids(soup)
        more = soup.select_one("a.more")
        url = str(more["href"]) if more else ""
    return ids


def _offers_with(engine: Engine, taxonomy: str, codes: set[str]) -> set[str]:
    """The public offers carrying any of these codes, straight from the database."""
    with Session(engine) as session:
        rows = session.exec(
            select(OfferTerm.offer_id)
            .join(TaxonomyTerm, col(TaxonomyTerm.id) == OfferTerm.term_id)
            .join(Taxonomy, col(Taxonomy.id) == TaxonomyTerm.taxonomy_id)
            .join(Offer, col(Offer.id) == OfferTerm.offer_id)
            .where(Taxonomy.name == taxonomy, col(TaxonomyTerm.code).in_(codes))
            .where(visible())
        ).all()
    return set(rows)


def test_the_form_without_javascript_gives_results_with_counts(client: TestClient) -> None:
    soup = _get(client, "/soeg?q=g%C3%A6ld")
    form = soup.select_one("form#search-form")
    assert form is not None
    assert form["action"] == "/soeg" and form["method"] == "get" and form["role"] == "search"
    assert form.select_one('input#q[type="search"][name="q"]')["value"] == "gæld"  # type: ignore[index]
    assert form.select_one('button[type="submit"]') is not None
    assert soup.h1 is not None and "gæld" in soup.h1.get_text()
    assert soup.title is not None and "gæld" in soup.title.get_text()
    total = _count(soup)
    cards = soup.select("#results > li.card")
    assert 0 < len(cards) <= 20 and total >= len(cards)
    assert "gæld" in cards[0].get_text().lower()
    # One fieldset with a legend per facet, checkboxes with counts.
    legends = [legend.get_text(strip=True) for legend in soup.select("fieldset > legend")]
    assert "Tema" in legends and "Målgruppe" in legends and "Adgang" in legends
    economy = soup.select_one('input#f-tema-oekonomi[type="checkbox"][name="tema"]')
    assert economy is not None and economy["value"] == "oekonomi"
    assert (_label_count(soup, "f-tema-oekonomi") or 0) >= 1
    # Every card links to its offer and says who runs it.
    for card in cards:
        assert card.select_one('h3 a[href^="/tilbud/"]') is not None
        assert card.select_one(".org") is not None


def test_checkboxes_are_or_within_a_facet_and_and_across(
    client: TestClient, engine: Engine
) -> None:
    everything = _get(client, "/soeg")
    motion_count = _label_count(everything, "f-tema-motion")
    food_count = _label_count(everything, "f-tema-mad")
    assert motion_count and food_count

    either = _all_ids(client, "/soeg?tema=motion&tema=mad")
    assert set(either) == _offers_with(engine, "tema", {"motion", "mad"})
    soup = _get(client, "/soeg?tema=motion&tema=mad")
    assert _count(soup) == len(either)
    assert soup.select_one("#f-tema-motion").has_attr("checked")  # type: ignore[union-attr]
    assert soup.select_one("#f-tema-mad").has_attr("checked")  # type: ignore[union-attr]
    summary = soup.select_one("details#filters > summary")
    assert summary is not None and summary.get_text(strip=True) == "Vælg filtre (2 valgt)"
    # Counts inside the chosen facet stay as they were (choosing adds offers) ...
    assert _label_count(soup, "f-tema-motion") == motion_count
    assert _label_count(soup, "f-tema-mad") == food_count

    # ... and another facet narrows: theme AND channel.
    phone = _offers_with(engine, "kanal", {"telefon"})
    both = _all_ids(client, "/soeg?tema=motion&tema=mad&kanal=telefon")
    assert set(both) == set(either) & phone
    online_label = _label_count(soup, "f-kanal-online")
    online = _offers_with(engine, "kanal", {"online"}) & set(either)
    assert (online_label or 0) == len(online)


def test_htmx_gets_only_the_fragment_and_the_same_results(client: TestClient) -> None:
    url = "/soeg?q=ensom&tema=faellesskab"
    fragment = client.get(url, headers=HX)
    assert fragment.status_code == 200
    assert "HX-Request" in fragment.headers["vary"]
    assert "<html" not in fragment.text and "<header" not in fragment.text
    part = BeautifulSoup(fragment.text, "html.parser")
    body = part.select_one("div#search-body")
    assert body is not None
    # The count and heading come along out of band, the title too.
    assert part.select_one('#result-count[hx-swap-oob="innerHTML"]') is not None
    assert part.select_one('#search-heading[hx-swap-oob="innerHTML"]') is not None
    assert part.title is not None and "ensom" in part.title.get_text()
    # The language switch follows the new address, so switching keeps this search.
    switch = part.select_one('a#lang-switch[hx-swap-oob="true"]')
    assert switch is not None and "tema=faellesskab" in str(switch["href"])
    # Search words stay out of disk and shared caches.
    assert fragment.headers["cache-control"] == "no-store"

    page = client.get(url)
    assert page.status_code == 200 and "HX-Request" in page.headers["vary"]
    assert page.headers["cache-control"] == "no-store"
    full = BeautifulSoup(page.text, "html.parser")
    assert full.select_one("header") is not None
    assert _ids(full) and _ids(full) == _ids(part)
    assert _count(full) == _count(part)

    # The form tells htmx what to do.
    form = full.select_one("form#search-form")
    assert form is not None
    assert form["hx-get"] == "/soeg" and form["hx-target"] == "#search-body"
    assert form["hx-push-url"] == "true" and "change" in str(form["hx-trigger"])

    # Going back in history asks for the whole page.
    restore = client.get(url, headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_show_more_appends_the_next_twenty(client: TestClient) -> None:
    first = _get(client, "/soeg")
    more = first.select_one("a.more")
    assert more is not None
    href = str(more["href"])
    assert parse_qs(urlsplit(href).query)["side"] == ["2"]
    assert more["hx-get"] == href and more["hx-target"] == "#results"
    assert more["hx-swap"] == "beforeend"

    second = _get(client, href)
    first_ids, second_ids = _ids(first), _ids(second)
    assert len(first_ids) == 20 and len(second_ids) == 20
    assert not set(first_ids) & set(second_ids)
    assert second.select_one("ol#results")["start"] == "21"  # type: ignore[index]
    # Browsing lists every offer by name, across pages.
    names = [a.get_text(strip=True).lower() for a in first.select("#results h3 a")]
    names += [a.get_text(strip=True).lower() for a in second.select("#results h3 a")]
    assert names == sorted(names)

    # With htmx, "Vis flere" gets only the next cards and the next link.
    appended = client.get(href, headers={**HX, "HX-Target": "results"})
    part = BeautifulSoup(appended.text, "html.parser")
    assert part.select_one("#search-body") is None and part.select_one("fieldset") is None
    assert _ids(part) == second_ids
    assert part.select_one("#more a.more") is not None


def _tail_ids(soup: BeautifulSoup) -> list[str]:
    links = soup.select("#results-tail > li.card h3 a")
    return [str(a["href"]).removeprefix("/tilbud/") for a in links]


def test_offers_that_may_fit_are_kept_apart(client: TestClient) -> None:
    """ "motion": the exercise offers first; offers that only share a word come after a heading
    of their own, numbered on from the first list."""
    first = _get(client, "/soeg?q=motion")
    clear, tail = _ids(first), _tail_ids(first)
    assert clear and tail and len(clear) + len(tail) == _count(first)
    heading = first.select_one("#tail-block > h2.tail-heading")
    assert heading is not None and heading.get_text(strip=True) == "Andre tilbud, der måske passer"
    names = [a.get_text(strip=True) for a in first.select("#results h3 a")]
    assert "Gåtur ved fjorden" in names, names
    tail_names = [a.get_text(strip=True) for a in first.select("#results-tail h3 a")]
    assert "Rygestop på hold" in tail_names, tail_names
    tail_ol = first.select_one("ol#results-tail")
    assert tail_ol is not None and tail_ol["start"] == str(len(clear) + 1)
    # Browsing without words has no such line.
    assert _tail_ids(_get(client, "/soeg")) == []


def test_show_more_brings_the_heading_when_the_tail_starts_later(
    client: TestClient, engine: Engine
) -> None:
    """Twenty-two dance teams fit "zumba" alike; offers that are only about exercise in
    general are no clear fit. Page 1 has only teams; "Vis flere" brings the last two (and any
    clear fit), then the heading and the offers that may fit."""
    with session_scope(engine) as session:
        for n in range(1, 23):
            make_offer(
                session,
                name=f"Zumbahold {n:02d}",
                description="Zumba for alle. Vi danser zumba hver uge.",
                terms=["tema/motion", "maalgruppe/alle"],
            )
    client.app.state.search.rebuild()  # type: ignore[attr-defined]
    first = _get(client, "/soeg?q=zumba")
    assert len(_ids(first)) == 20 and _tail_ids(first) == []
    assert first.select_one("h2.tail-heading") is None
    more = first.select_one("a.more")
    assert more is not None and more["hx-target"] == "#results"
    assert "#tail-block" in str(more["hx-select-oob"])

    appended = client.get(str(more["href"]), headers={**HX, "HX-Target": "results"})
    part = BeautifulSoup(appended.text, "html.parser")
    clear = [a.get_text(strip=True) for a in part.select("#results h3 a")]
    assert sum(name.startswith("Zumbahold") for name in clear) == 2, clear
    tail = [a.get_text(strip=True) for a in part.select("#results-tail h3 a")]
    assert tail and not any(name.startswith("Zumbahold") for name in tail), tail
    assert part.select_one("#tail-block > h2.tail-heading") is not None


def test_highlights_match_our_analysis_and_escape_everything(client: TestClient) -> None:
    response = client.get("/soeg?q=g%C3%A6ld")
    assert "<script>alert" not in response.text
    soup = BeautifulSoup(response.text, "html.parser")
    hostile = soup.select_one('a[href="/tilbud/0f0f0f0f-0000-4000-8000-0000000000aa"]')
    assert hostile is not None
    assert hostile.get_text() == "<script>alert('navn')</script> Gældshjælp"
    card = hostile.find_parent("li")
    assert isinstance(card, Tag)
    summary = card.select_one(".summary")
    assert summary is not None
    assert "<b>gæld</b> & regninger" in summary.get_text()
    assert summary.select_one("b") is None
    marked = [m.get_text() for m in summary.select("mark")]
    assert "Gældsrådgivning" in marked
    # The typed word is marked wherever the analysis finds it, in any card.
    everywhere = {m.get_text().lower() for m in soup.select("#results mark")}
    assert any(word.startswith("gæld") for word in everywhere)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("alder=abc", "Alderen skal være et helt tal"),
        ("alder=999", "Alderen skal være et helt tal"),
        ("side=-1", "Der er ingen side -1"),
        ("side=abc", "Der er ingen side abc"),
        ("side=99999", "Der er ingen side 99999"),
        ("side=4000", "Der er ingen side 4000"),
    ],
)
def test_bad_numbers_get_a_clear_message(client: TestClient, query: str, message: str) -> None:
    soup = _get(client, f"/soeg?q=kaffe&{query}")
    assert message in soup.get_text(" ", strip=True)
    assert _ids(soup)  # the search still shows offers


def test_unknown_values_are_left_out_quietly(client: TestClient) -> None:
    plain = _ids(_get(client, "/soeg?q=kaffe"))
    for query in (
        "tema=findes-ikke",
        "maalgruppe=%3Cscript%3E",
        "by=Ingenby",
        "uden_visitation=maaske",
        "kanal=",
        "alder=",
        "side=",
    ):
        soup = _get(client, f"/soeg?q=kaffe&{query}")
        assert _ids(soup) == plain, query
        assert soup.select_one(".problems") is None, query


def test_odd_input_never_breaks_the_page(client: TestClient) -> None:
    for query in (
        "q=" + "x" * 5000,
        "q=%00%00",
        "q=%FF%FE",
        "q=%25%28words%29s",
        "q=<script>alert(1)</script>",
        "q=&q=gæld",
        "tema=motion&tema=motion",
        "side=1&side=2",
        "alder=" + "9" * 5000,
        "side=" + "9" * 5000,
        "alder=%D9%A3",  # an Arabic-Indic digit three
        "side=%C2%B2",  # a superscript two
    ):
        response = client.get(f"/soeg?{query}")
        assert response.status_code == 200, query
        assert "<script>alert" not in response.text
        client.get(f"/soeg?{query}", headers=HX).raise_for_status()


def test_zero_hits_suggest_a_spelling_relax_a_filter_and_show_themes(client: TestClient) -> None:
    soup = _get(client, "/soeg?q=kaffee")
    assert _count(soup) == 0 and not _ids(soup)
    suggestion = soup.select_one("a.suggestion")
    assert suggestion is not None and suggestion.get_text() == "kaffe"
    assert "Mente du" in suggestion.parent.get_text()  # type: ignore[union-attr]
    assert _ids(_get(client, str(suggestion["href"])))
    themes = soup.select(".no-results .themes a")
    assert len(themes) == 14 and themes[0]["href"] == "/soeg?tema=faellesskab"

    soup = _get(client, "/soeg?q=kaffe&by=Ubby&adgang=anonym")
    assert _count(soup) == 0
    relax = soup.select(".relax a")
    assert relax, soup.select_one(".no-results")
    texts = {a.get_text(" ", strip=True): str(a["href"]) for a in relax}
    town = next(text for text in texts if "Ubby" in text)
    count = int(re.findall(r"(\d+) tilbud", town)[0])
    relaxed = _get(client, texts[town])
    assert _count(relaxed) == count > 0
    assert "by=" not in texts[town]


def test_a_crisis_search_shows_a_calm_box_and_acute_offers_first(client: TestClient) -> None:
    soup = _get(client, "/soeg?q=tanker+om+selvmord")
    box = soup.select_one("section.crisis")
    assert box is not None
    assert "112" in box.get_text() and box.select_one('a[href="tel:112"]') is not None
    assert box.select('a[href^="tel:"]')[1:]  # acute offers to call now
    cards = soup.select("#results > li.card")
    acute = ["card-akut" in (card.get("class") or []) for card in cards]
    assert acute[0] and acute == sorted(acute, reverse=True)
    assert "Akut" in cards[0].get_text()
    assert soup.select_one("section.crisis") is not None
    assert _get(client, "/soeg?q=kaffe").select_one("section.crisis") is None


def test_cards_show_badges_next_time_and_town(client: TestClient) -> None:
    soup = _get(client, "/soeg?q=v%C3%A6restedet+fristedet")
    card = soup.select_one("#results > li.card")
    assert card is not None
    badges = {b.get_text(strip=True) for b in card.select(".badge")}
    assert {"Gratis", "Anonym", "Uden visitation"} <= badges
    assert "Næste gang" in card.get_text() or "Åben nu" in card.get_text()
    assert card.select_one(".town") is not None


def test_without_referral_leaves_out_offers_that_need_one(
    client: TestClient, engine: Engine
) -> None:
    referral = _offers_with(engine, "adgang", {"kraever-visitation"})
    assert referral
    everything = _all_ids(client, "/soeg")
    free_to_join = _all_ids(client, "/soeg?uden_visitation=1")
    assert set(free_to_join) == set(everything) - referral
    soup = _get(client, "/soeg?uden_visitation=1")
    assert soup.select_one("#f-uden-visitation").has_attr("checked")  # type: ignore[union-attr]


def test_a_town_with_a_space_in_its_name_filters(client: TestClient) -> None:
    soup = _get(client, "/soeg")
    towns = [option["value"] for option in soup.select("select#by option")]
    assert "Jerslev Sjælland" in towns and "Sjælland" not in towns
    soup = _get(client, "/soeg?by=Jerslev+Sj%C3%A6lland")
    assert _count(soup) == 1
    assert "Jerslev Sjælland" in soup.select_one(".town").get_text()  # type: ignore[union-attr]


def test_the_page_has_no_inline_script_or_style(client: TestClient) -> None:
    for url in ("/soeg?q=tanker+om+selvmord", "/soeg?q=kaffee", "/soeg?tema=motion"):
        soup = _get(client, url)
        assert all(script.get("src") for script in soup.select("script"))
        assert soup.select("style") == [] and soup.select("[style]") == []
        assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)


@pytest.mark.usefixtures("client")  # the catalogue, loaded
def test_cards_load_in_two_queries(engine: Engine) -> None:
    with Session(engine) as session:
        ids = [o.id for o in session.exec(select(Offer).limit(20)).all()]
    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("query")

    event.listen(engine, "before_cursor_execute", count)
    try:
        with Session(engine) as session:
            data = load_cards(session, ids)
            for offer in data.offers.values():
                _ = [s.freq for s in offer.schedules] + [p.number for p in offer.phones]
                _ = [a.city for sal in offer.service_at_locations for a in sal.location.addresses]
                _ = offer.organization.name
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(data.offers) == 20 and set(data.codes) == set(ids)
    assert all(("tema", "") not in codes and codes for codes in data.codes.values())
    assert len(statements) <= 2


def test_filters_alone_that_find_nothing_offer_to_drop_one(client: TestClient) -> None:
    soup = _get(client, "/soeg?tema=bolig&by=Ubby")
    assert _count(soup) == 0
    links = {a.get_text(" ", strip=True): str(a["href"]) for a in soup.select(".relax a")}
    assert any("Bolig og hjemløshed" in text for text in links)
    assert soup.select_one("a.suggestion") is None
    # The filter panel starts closed, so the ways out come right after the search field.
    assert not soup.select_one("details#filters").has_attr("open")  # type: ignore[union-attr]


def test_the_page_in_english_marks_danish_offer_texts(client: TestClient) -> None:
    soup = _get(client, "/soeg?q=g%C3%A6ld&lang=en")
    assert soup.html is not None and soup.html["lang"] == "en"
    assert soup.h1 is not None and soup.h1.get_text() == "Results for “gæld”"
    assert re.fullmatch(r"\d+ offers", soup.select_one("#result-count").get_text())  # type: ignore[union-attr]
    card = soup.select_one("#results > li.card")
    assert card is not None
    assert card.select_one("h3 a")["lang"] == "da"  # type: ignore[index]
    assert card.select_one(".summary")["lang"] == "da"  # type: ignore[index]
    badges = {b.get_text() for b in soup.select(".badge")}
    assert "Free" in badges and "Gratis" not in badges
    legends = [legend.get_text(strip=True) for legend in soup.select("fieldset > legend")]
    assert "Theme" in legends


def test_a_summary_starts_near_the_first_match_and_escapes_the_rest() -> None:
    words = Highlighter.for_query("gæld", frozenset({"gald", "radgivning"}))
    text = "Vi er en forening. " * 8 + "Har du <gæld>? Få Gældsrådgivning & hjælp. " + "Mere. " * 30
    summary = str(search_page_summary(text, words))
    assert summary.startswith("…Har du &lt;<mark>gæld</mark>&gt;?")
    assert "<mark>Gældsrådgivning</mark> &amp; hjælp." in summary
    assert summary.endswith("…") and len(summary) < 260
    assert str(search_page_summary("Kort & godt.", words)) == "Kort &amp; godt."


def test_nothing_about_the_topic_puts_every_offer_apart(client: TestClient) -> None:
    """ "gratis frisør": no offer is about a hairdresser; the free offers may still help, but
    none is shown as a clear fit. "gratis gåtur" has one."""
    nothing = _get(client, "/soeg?q=gratis+frisør")
    assert _count(nothing) > 0
    assert _ids(nothing) == [] and _tail_ids(nothing)
    assert nothing.select_one("#tail-block > h2.tail-heading") is not None
    names = [
        a.get_text(strip=True) for a in _get(client, "/soeg?q=gratis+gåtur").select("#results h3 a")
    ]
    assert "Gåtur ved fjorden" in names, names
    # A situation told in several words is understood, whatever words the offers use.
    told = _get(client, "/soeg?q=min+søn+skriver+at+han+ikke+orker+at+leve")
    assert "Krisetelefonen" in [a.get_text(strip=True) for a in told.select("#results h3 a")]
