"""The minimal public pages: home with theme counts, and the offer page."""

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

WALK = "aaaaaaaa-0000-4000-8000-000000000001"
STOP_SMOKING = "aaaaaaaa-0000-4000-8000-000000000002"
CLOSED = "aaaaaaaa-0000-4000-8000-000000000003"
DRAFT = "aaaaaaaa-0000-4000-8000-000000000004"

pytestmark = pytest.mark.usefixtures("fixture_catalogue")


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


def test_site_identity_comes_from_settings(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(SITE_NAME="Hjælpekortet", MUNICIPALITY="Testkommune")
    with TestClient(create_app(settings)) as client:
        soup = _soup(client, "/")
    assert soup.title is not None and soup.title.get_text() == "Hjælpekortet"
    assert "Hjælpekortet drives af Testkommune." in soup.get_text(" ", strip=True)
    assert "Kalundborg" not in str(soup)


def test_health_check_answers(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_demo_identity_fills_unset_settings(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(DEMO=True)
    with TestClient(create_app(settings)) as client:
        text = _soup(client, "/").get_text(" ", strip=True)
    assert "Opslagstavlen drives af Kalundborg Kommune (demo)." in text
