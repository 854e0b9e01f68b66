"""The public pages: the shared layout, home and the offer page."""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.catalogue.taxonomy import Vocabulary
from app.config import Settings
from app.db import session_scope
from app.main import create_app
from app.models import OfferState
from app.routes.public.offer import current_time
from app.web.templating import STATIC_DIR
from tests.factories import make_location, make_offer

WALK = "aaaaaaaa-0000-4000-8000-000000000001"
STOP_SMOKING = "aaaaaaaa-0000-4000-8000-000000000002"
CLOSED = "aaaaaaaa-0000-4000-8000-000000000003"
DRAFT = "aaaaaaaa-0000-4000-8000-000000000004"

pytestmark = pytest.mark.usefixtures("fixture_catalogue")

# Monday 23 November 2026, 12:00 in Copenhagen.
NOW = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(app: FastAPI) -> None:
    app.dependency_overrides[current_time] = lambda: NOW


def _soup(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    return BeautifulSoup(response.text, "html.parser")


def test_home_lists_every_theme_with_its_count(client: TestClient) -> None:
    soup = _soup(client, "/")
    assert soup.html is not None and soup.html["lang"] == "da"
    themes = {li.get_text(" ", strip=True) for li in soup.select("ul.themes li")}
    assert "Motion og bevægelse (1)" in themes
    assert "Fællesskab og netværk (2)" in themes  # the walk and the closed garden
    assert "Sundhed og helbred (1)" in themes  # the draft does not count
    assert "Bolig og hjemløshed (0)" in themes
    assert len(themes) == 14


def test_home_links_to_public_offers_only(client: TestClient) -> None:
    soup = _soup(client, "/")
    links = {a["href"] for a in soup.select("ul.offer-list a")}
    assert f"/tilbud/{WALK}" in links
    assert f"/tilbud/{DRAFT}" not in links


def test_offer_page_shows_what_when_where_and_how(client: TestClient) -> None:
    soup = _soup(client, f"/tilbud/{WALK}")
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Gåtur ved fjorden"
    text = soup.get_text(" ", strip=True)
    assert "Hver tirsdag kl. 10:00-11:00" in text
    assert "Hver anden torsdag kl. 17:00-19:00" in text
    assert "Lørdag den 5. december 2026 kl. 10:00-14:00" in text
    assert "Kirkevej 1" in text and "4400 Testby" in text
    assert "Mød op ved kirken." in text
    assert soup.select_one('a[href="tel:+4570000001"]') is not None
    assert soup.select_one('a[href^="geo:55.68,11.09"]') is not None
    assert "Sidst bekræftet" in text and "1. oktober 2026" in text


def test_offer_page_shows_legal_basis_and_age(client: TestClient) -> None:
    text = _soup(client, f"/tilbud/{STOP_SMOKING}").get_text(" ", strip=True)
    assert "Sundhedsloven § 119" in text
    assert "Fra 18 år." in text
    assert "Første onsdag i måneden kl. 16:00-18:00" in text


def test_offer_page_never_shows_staff_facts(client: TestClient) -> None:
    html = client.get(f"/tilbud/{WALK}").text
    assert "Kontaktpersonen er på ferie" not in html
    assert "Ingen visitation." not in html


def test_temporarily_closed_offer_says_so(client: TestClient) -> None:
    text = _soup(client, f"/tilbud/{CLOSED}").get_text(" ", strip=True)
    assert "Tilbuddet er lukket i en periode." in text


def test_unknown_or_unpublished_offer_is_a_friendly_404(client: TestClient) -> None:
    for offer_id in (DRAFT, "no-such-offer", "%27%3Cscript%3E"):
        soup = _soup(client, f"/tilbud/{offer_id}", status=404)
        assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Siden findes ikke"
        assert "<script>" not in str(soup)


def test_site_identity_comes_from_settings(
    make_settings: Callable[..., Settings], demo_catalogue_dir: Path
) -> None:
    # Without the demo on, the catalogue folder's site.yaml is never read.
    settings = make_settings(
        SITE_NAME="Hjælpekortet", MUNICIPALITY="Testkommune", CATALOGUE_DIR=demo_catalogue_dir
    )
    with TestClient(create_app(settings)) as client:
        soup = _soup(client, "/")
    assert soup.title is not None and soup.title.get_text() == "Hjælpekortet"
    assert "Hjælpekortet drives af Testkommune." in soup.get_text(" ", strip=True)
    assert "Prøvetavlen" not in str(soup) and "kontakt@testkommune" not in str(soup)


def test_health_check_answers(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_demo_identity_fills_unset_settings(
    make_settings: Callable[..., Settings], demo_catalogue_dir: Path
) -> None:
    # With the demo on, site.yaml fills what the settings leave unset, and only that.
    settings = make_settings(
        DEMO=True, CATALOGUE_DIR=demo_catalogue_dir, CONTACT_PHONE="+45 70 00 00 55"
    )
    with TestClient(create_app(settings)) as client:
        soup = _soup(client, "/")
    assert soup.title is not None and soup.title.get_text() == "Prøvetavlen"
    text = soup.get_text(" ", strip=True)
    assert "Prøvetavlen drives af Testby Kommune (prøve)." in text
    assert soup.select_one('footer a[href="mailto:kontakt@testkommune.example.dk"]') is not None
    assert soup.select_one('footer a[href="tel:+4570000055"]') is not None
    assert "+45 70 00 00 99" not in text


def _assert_no_inline_code(soup: BeautifulSoup) -> None:
    assert not soup.find_all("style")
    assert not soup.find_all(style=True)
    for script in soup.find_all("script"):
        assert script.get("src"), "scripts must be files"
        assert not script.get_text(strip=True)
    assert not soup.find_all(attrs={"onclick": True})
    assert not [tag for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)], (
        "no inline event handlers"
    )


PAGES = ["/", "/?lang=en", f"/tilbud/{WALK}", f"/tilbud/{WALK}?lang=en", "/tilbud/nothing"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_landmarks_skip_link_and_no_inline_code(client: TestClient, url: str) -> None:
    response = client.get(url)
    soup = BeautifulSoup(response.text, "html.parser")
    _assert_no_inline_code(soup)
    assert soup.select_one("body > header") is not None
    assert soup.select_one("header nav") is not None
    assert soup.select_one("main#main") is not None
    assert soup.select_one("body > footer") is not None
    skip = soup.select_one("a.skip-link")
    assert skip is not None and skip["href"] == "#main"
    assert soup.body is not None and soup.body.find("a") is skip  # the first thing to tab to
    assert soup.select_one("header a.lang-switch") is not None
    assert soup.select_one('header a[href="/soeg"]') is not None  # the site search
    assert soup.select_one('meta[name="htmx-config"]') is not None
    assert soup.select_one('script[src$="htmx-2.0.11.min.js"][defer]') is not None
    assert len(soup.find_all("h1")) == 1
    # Every link and asset stays on our own host.
    for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src"), ("use", "href")):
        for element in soup.find_all(tag):
            assert str(element[attribute]).startswith(("/", "data:")), element


def test_footer_says_what_the_site_is_and_who_runs_it(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(SITE_NAME="Hjælpekortet", MUNICIPALITY="Testkommune")
    with TestClient(create_app(settings)) as client:
        footer = _soup(client, "/tilbud/nothing", status=404).footer
    assert footer is not None
    text = footer.get_text(" ", strip=True)
    assert "Hjælpekortet samler hjælp og fællesskaber fra kommunen" in text
    assert "Hjælpekortet drives af Testkommune." in text


def test_home_has_one_big_search_field(client: TestClient) -> None:
    soup = _soup(client, "/")
    form = soup.select_one('main form[role="search"]')
    assert form is not None
    assert form["action"] == "/soeg" and form["method"] == "get"
    field = form.select_one('input#home-q[type="search"][name="q"]')
    assert field is not None
    label = form.select_one('label[for="home-q"]')
    assert label is not None and label.get_text(strip=True) == "Hvad har du brug for hjælp til?"
    assert form.select_one('button[type="submit"]') is not None


def test_home_offers_life_situation_shortcuts(client: TestClient) -> None:
    soup = _soup(client, "/")
    shortcuts = {a.get_text(strip=True): a["href"] for a in soup.select("ul.shortcuts a")}
    assert shortcuts["Jeg føler mig ensom"] == "/soeg?q=ensom"
    assert shortcuts["Jeg har gæld"] == "/soeg?q=g%C3%A6ld"
    assert shortcuts["Jeg er pårørende"] == "/soeg?q=p%C3%A5r%C3%B8rende"
    assert shortcuts["Jeg vil gerne i bevægelse"] == "/soeg?q=motion"
    assert shortcuts["Jeg har brug for hjælp nu"] == "/soeg?q=akut+hj%C3%A6lp"
    assert len(shortcuts) >= 5


def test_home_themes_link_to_the_search_with_icons(
    client: TestClient, vocabulary: Vocabulary
) -> None:
    soup = _soup(client, "/")
    links = {a["href"]: a for a in soup.select("ul.themes a")}
    motion = links["/soeg?tema=motion"]
    assert motion.get_text(" ", strip=True) == "Motion og bevægelse (1)"
    assert "/soeg?tema=bolig" not in links  # no offers: shown, but not a link
    # Each theme has its own icon in our sprite, hidden from screen readers.
    sprite = (STATIC_DIR / "icons" / "themes.svg").read_text(encoding="utf-8")
    for code in vocabulary.codes("tema"):
        assert f'id="{code}"' in sprite
    icon = motion.select_one('svg[aria-hidden="true"] use')
    assert icon is not None and icon["href"] == "/static/icons/themes.svg#motion"


def test_home_shows_the_newest_published_offers(client: TestClient, engine: Engine) -> None:
    with session_scope(engine) as session:
        for n in range(1, 9):
            created = datetime(2030, 1, n, tzinfo=UTC)
            make_offer(session, name=f"Nyt tilbud {n}", terms=["tema/motion"], created_at=created)
        newest = datetime(2030, 1, 20, tzinfo=UTC)
        make_offer(session, name="Ny kladde", state=OfferState.DRAFT, created_at=newest)
    soup = _soup(client, "/")
    section = soup.find("h2", string="Nye tilbud")
    assert section is not None
    names = [a.get_text(strip=True) for a in section.find_next("ul").select("a")]
    assert names == [f"Nyt tilbud {n}" for n in (8, 7, 6, 5, 4, 3)]


def test_home_is_small(client: TestClient) -> None:
    # The whole first view (page, CSS, icons, htmx) stays under 50 KB even uncompressed,
    # apart from htmx, which is about 17 KB compressed.
    page = client.get("/", headers={"Accept-Encoding": "identity"}).content
    css = (STATIC_DIR / "site.css").read_bytes()
    icons = (STATIC_DIR / "icons" / "themes.svg").read_bytes()
    assert len(page) + len(css) + len(icons) < 30_000


def test_offer_page_shows_the_next_dates(client: TestClient) -> None:
    soup = _soup(client, f"/tilbud/{WALK}")
    dates = soup.select("ul.next-dates time")
    assert [t["datetime"] for t in dates] == [
        "2026-11-24T10:00:00+01:00",
        "2026-11-26T17:00:00+01:00",  # every other Thursday from 12 November
        "2026-12-01T10:00:00+01:00",
    ]
    assert dates[0].get_text(strip=True) == "Tirsdag den 24. november 2026 kl. 10:00-11:00"


def test_offer_page_drops_events_that_are_over(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[current_time] = lambda: datetime(2026, 12, 7, 12, tzinfo=UTC)
    text = _soup(client, f"/tilbud/{WALK}").get_text(" ", strip=True)
    assert "Lørdag den 5. december" not in text
    assert "Hver tirsdag kl. 10:00-11:00" in text


def test_offer_page_has_one_tap_call_mail_and_map(client: TestClient) -> None:
    soup = _soup(client, f"/tilbud/{STOP_SMOKING}")
    call = soup.select_one('ul.actions a[href^="tel:"]')
    assert call is not None and call["href"] == "tel:+4570000002"
    mail = soup.select_one('ul.actions a[href^="mailto:"]')
    assert mail is not None and mail["href"] == "mailto:rygestop@testkommune.example.dk"
    place = soup.select_one("address.place")
    assert place is not None and "Sundhedsvej 2" in place.get_text(" ", strip=True)
    assert soup.select_one('a.map-link[href^="geo:55.681,11.091?q="]') is not None


def test_map_link_searches_the_address_without_a_position(
    client: TestClient, engine: Engine
) -> None:
    with session_scope(engine) as session:
        # A place with an address but no latitude and longitude.
        hall = make_location(session, name="Hallen", address_1="Skolevej 3", city="Testby")
        offer_id = make_offer(session, name="Uden kort", locations=[hall]).id
    link = _soup(client, f"/tilbud/{offer_id}").select_one("a.map-link")
    assert link is not None
    assert link["href"] == "geo:0,0?q=Skolevej%203%2C%204400%20Testby%2C%20Danmark"


def test_similar_offers_share_themes_and_groups(client: TestClient, engine: Engine) -> None:
    with session_scope(engine) as session:
        poles = make_offer(session, name="Stavgang", terms=["tema/motion", "maalgruppe/seniorer"])
        dance = make_offer(session, name="Seniordans", terms=["tema/motion", "tema/faellesskab"])
        make_offer(session, name="Strikkeklub", terms=["tema/kultur-fritid"])
        make_offer(session, name="Kun for seniorer", terms=["maalgruppe/seniorer"])
        for name, state in (
            ("Gåkladde", OfferState.DRAFT),
            ("Gammel gåtur", OfferState.RETIRED),
            ("Afventer", OfferState.PENDING),
        ):
            make_offer(session, name=name, terms=["tema/motion"], state=state)
        expected = [f"/tilbud/{dance.id}", f"/tilbud/{poles.id}"]
    soup = _soup(client, f"/tilbud/{WALK}")
    section = soup.select_one("section.similar")
    assert section is not None
    links = [a["href"] for a in section.select("a")]
    # Most shared first; a theme must be shared; never the offer itself or a non-public one.
    assert links == expected
    assert f"/tilbud/{WALK}" not in links


def test_similar_offers_leave_out_non_public_ones(client: TestClient) -> None:
    # The fixture's closed garden and draft share themes, but are not published.
    for offer_id in (WALK, STOP_SMOKING):
        assert _soup(client, f"/tilbud/{offer_id}").select_one("section.similar") is None


def test_offer_page_reads_well_on_a_small_screen(client: TestClient) -> None:
    # Nothing in the markup forces a width; the CSS is mobile first.
    html = client.get(f"/tilbud/{WALK}").text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert not re.search(r"\bwidth=\"\d{3,}", html)
    css = (STATIC_DIR / "site.css").read_text(encoding="utf-8")
    assert not re.search(r"(?<!-)width:\s*\d{3,}px", css)
    assert "overflow-wrap: anywhere" in css


def test_static_assets_of_the_pages_exist() -> None:
    for path in ("site.css", "icons/themes.svg", "vendor/htmx-2.0.11.min.js"):
        assert Path(STATIC_DIR / path).is_file()
