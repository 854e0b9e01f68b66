"""Danish by default, English on request: ?lang= switches and is remembered, Accept-Language
decides a first visit, <html lang> follows, Danish offer text is marked, Babel formats."""

from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.i18n import UILocale, choose_language
from app.routes.public.offer import current_time

WALK = "aaaaaaaa-0000-4000-8000-000000000001"
STOP_SMOKING = "aaaaaaaa-0000-4000-8000-000000000002"

pytestmark = pytest.mark.usefixtures("fixture_catalogue")


@pytest.fixture(autouse=True)
def fixed_clock(app: FastAPI) -> None:
    # Monday 23 November 2026, 12:00 in Copenhagen.
    app.dependency_overrides[current_time] = lambda: datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def _page(client: TestClient, url: str, **headers: str) -> BeautifulSoup:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def _lang(soup: BeautifulSoup) -> str:
    assert soup.html is not None
    return str(soup.html["lang"])


def test_first_visit_without_preferences_is_danish(client: TestClient) -> None:
    response = client.get("/")
    soup = BeautifulSoup(response.text, "html.parser")
    assert _lang(soup) == "da"
    assert "set-cookie" not in response.headers
    switch = soup.select_one("a.lang-switch")
    assert switch is not None
    assert switch["href"] == "/?lang=en"
    assert switch["hreflang"] == "en" and switch["lang"] == "en"
    assert switch.get_text(strip=True) == "English"
    assert switch.get("hx-boost") == "false"


def test_lang_parameter_switches_and_is_remembered_in_a_cookie(client: TestClient) -> None:
    response = client.get("/?lang=en")
    assert _lang(BeautifulSoup(response.text, "html.parser")) == "en"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lang=en;")
    assert "Max-Age=31536000" in cookie
    assert "Path=/" in cookie
    assert "SameSite=Lax" in cookie

    # The next page, without ?lang, stays English; the switch leads back to Danish.
    soup = _page(client, f"/tilbud/{WALK}")
    assert _lang(soup) == "en"
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Gåtur ved fjorden"
    switch = soup.select_one("a.lang-switch")
    assert switch is not None and switch["href"] == f"/tilbud/{WALK}?lang=da"
    assert switch.get_text(strip=True) == "Dansk" and switch["lang"] == "da"

    response = client.get("/?lang=da")
    assert response.headers["set-cookie"].startswith("lang=da;")
    assert _lang(_page(client, "/")) == "da"


def test_cookie_is_only_set_when_the_choice_changes(client: TestClient) -> None:
    client.get("/?lang=en")
    assert "set-cookie" not in client.get("/?lang=en").headers


def test_accept_language_decides_the_first_visit(client: TestClient) -> None:
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,da;q=0.5"})
    assert _lang(BeautifulSoup(english.text, "html.parser")) == "en"
    assert "set-cookie" not in english.headers  # only a switch is remembered
    danish = _page(client, "/", **{"Accept-Language": "da-DK,da;q=0.9,en;q=0.8"})
    assert _lang(danish) == "da"
    # A language we do not have falls through to the next, then to Danish.
    assert _lang(_page(client, "/", **{"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})) == "en"
    assert _lang(_page(client, "/", **{"Accept-Language": "sv,nb;q=0.8"})) == "da"
    assert _lang(_page(client, "/", **{"Accept-Language": "en;q=0, da"})) == "da"


def test_a_remembered_choice_beats_accept_language(client: TestClient) -> None:
    client.get("/?lang=da")
    assert _lang(_page(client, "/", **{"Accept-Language": "en"})) == "da"


@pytest.mark.parametrize("value", ["fr", "", "EN'><script>", "da,en"])
def test_unknown_lang_values_are_ignored(client: TestClient, value: str) -> None:
    response = client.get("/", params={"lang": value})
    assert response.status_code == 200
    assert _lang(BeautifulSoup(response.text, "html.parser")) == "da"
    assert "set-cookie" not in response.headers
    assert "<script>" not in response.text


@pytest.mark.parametrize(
    "header",
    ["", ",,,", "en;q=abc", "*", "x" * 5000, "en;q=1;q=2, ;q=0.5", "en;q=-1, da;q=2", b"\xff\xfe"],
)
def test_odd_accept_language_headers_never_fail(client: TestClient, header: str | bytes) -> None:
    assert client.get("/", headers={"Accept-Language": header}).status_code == 200


def test_switch_keeps_the_path_and_query(client: TestClient) -> None:
    soup = _page(client, "/?q=gåtur&tema=motion&tema=sundhed&lang=da")
    switch = soup.select_one("a.lang-switch")
    assert switch is not None
    assert switch["href"] == "/?q=g%C3%A5tur&tema=motion&tema=sundhed&lang=en"


def test_pages_vary_on_the_language_inputs(client: TestClient) -> None:
    vary = client.get("/").headers["vary"].lower()
    assert "cookie" in vary and "accept-language" in vary


def test_error_pages_speak_the_chosen_language(client: TestClient) -> None:
    client.get("/?lang=en")
    response = client.get("/tilbud/no-such-offer")
    assert response.status_code == 404
    soup = BeautifulSoup(response.text, "html.parser")
    assert _lang(soup) == "en"
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Page not found"


def test_english_offer_page_marks_danish_offer_text(client: TestClient) -> None:
    soup = _page(client, f"/tilbud/{STOP_SMOKING}?lang=en")
    danish = {el.get_text(" ", strip=True) for el in soup.select('main [lang="da"]')}
    assert "Rygestop på hold" in danish  # the name
    assert any(text.startswith("Du får hjælp til at stoppe") for text in danish)  # description
    assert "Ring og meld dig til." in danish  # how to start
    assert "Gratis." in danish  # price
    assert "Sundhedsloven § 119" in danish  # legal basis
    assert "Testkommune – Sundhed" in danish  # who runs it
    # The page's own words are English and not marked Danish.
    headings = {h.get_text(strip=True) for h in soup.select("main h2")}
    assert {"What it is", "Who it is for", "When", "How to get started", "Price"} <= headings
    assert not soup.select('main h2[lang="da"]')


def test_danish_offer_page_needs_no_language_marks(client: TestClient) -> None:
    soup = _page(client, f"/tilbud/{STOP_SMOKING}")
    assert not soup.select("main [lang]")


def test_dates_are_formatted_by_babel_in_the_page_language(client: TestClient) -> None:
    danish = _page(client, f"/tilbud/{WALK}").get_text(" ", strip=True)
    assert "Sidst bekræftet 1. oktober 2026" in danish
    assert "Tirsdag den 24. november 2026 kl. 10:00-11:00" in danish
    english = _page(client, f"/tilbud/{WALK}?lang=en").get_text(" ", strip=True)
    assert "Last confirmed October 1, 2026" in english
    assert "Tuesday, November 24, 2026 at 10:00-11:00" in english
    assert "Every Tuesday at 10:00-11:00" in english
    assert "Saturday, December 5, 2026 at 10:00-14:00" in english


def test_offer_languages_are_named_in_the_page_language(client: TestClient) -> None:
    danish = _page(client, f"/tilbud/{WALK}").get_text(" ", strip=True)
    assert "Sprog Dansk, Engelsk" in danish
    english = _page(client, f"/tilbud/{WALK}?lang=en").get_text(" ", strip=True)
    assert "Languages Danish, English" in english


def test_home_page_is_complete_in_english(client: TestClient) -> None:
    soup = _page(client, "/?lang=en")
    label = soup.select_one('label[for="home-q"]')
    assert label is not None and label.get_text(strip=True) == "What do you need help with?"
    themes = {li.get_text(" ", strip=True) for li in soup.select("ul.themes li")}
    assert "Exercise and movement (1)" in themes
    shortcut = soup.find("a", string="I feel lonely")
    assert shortcut is not None and shortcut["href"] == "/soeg?q=lonely"


def test_babel_formats_numbers_and_dates_per_language() -> None:
    danish, english = UILocale("da"), UILocale("en")
    assert danish.format_number(1234) == "1.234"
    assert english.format_number(1234) == "1,234"
    assert danish.format_date(date(2026, 10, 1)) == "1. oktober 2026"
    assert english.format_date(date(2026, 10, 1)) == "October 1, 2026"
    # A moment in UTC is shown in Danish time: 23:30 UTC in winter is 00:30 the next day.
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert danish.format_time(late, "HH:mm") == "00:30"
    assert danish.format_date(late) == "24. november 2026"


@pytest.mark.parametrize(
    ("asked", "cookie", "header", "expected"),
    [
        (None, None, None, "da"),
        ("en", "da", "da", "en"),
        (None, "en", "da", "en"),
        ("xx", "en", None, "en"),
        (None, "xx", "en-US,en;q=0.8", "en"),
        (None, None, "da;q=0.1, en;q=0.9", "en"),
        (None, None, "fr, de", "da"),
    ],
)
def test_choose_language_order(
    asked: str | None, cookie: str | None, header: str | None, expected: str
) -> None:
    assert choose_language(asked, cookie, header) == expected


def test_switch_survives_odd_query_strings(client: TestClient) -> None:
    for url in ("/?q=%ff%fe", "/?lang", "/?=&&lang=en&lang=da", "/?q=a%00b"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert BeautifulSoup(response.text, "html.parser").select_one("a.lang-switch")
