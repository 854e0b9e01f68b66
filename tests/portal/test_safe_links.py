"""Safe links: whatever an offer's stored links say, the page links only to http(s), mailto, tel.

Data imported before the catalogue's rules existed may hold "javascript:" and the like, so the
rule is applied when a page is built, and tested here on arbitrary strings (issue 10).
"""

import re
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from app.catalogue.links import mailto_href, safe_web_url, tel_href
from app.db import session_scope
from app.i18n import UILocale
from app.models import Offer, Organization
from app.portal.search_cards import card
from app.search import Highlighter
from tests.factories import make_offer, make_organization

ATTACKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x00javascript:alert(1)",
    "java\nscript:alert(1)",
    "java\tscript:alert(1)",
    "java\rscript:alert(1)",
    "\u200bjavascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example",
    "///evil.example",
    "\\\\evil.example",
    "https:\\\\evil.example",
    "http:evil.example",
    "https:/evil.example",
    "https://",
    "https://kommune.dk@evil.example/",
    "https://evil .example",
    "https://evil\u3000.example",
    "https://kommune.dk:port/",
    "ftp://kommune.dk",
    "mailto:a@kommune.dk",
    "tel:112",
    "/tilbud/relative",
    "kommune.dk",
    "",
    "   ",
]
GOOD = {
    "https://kommune.dk": "https://kommune.dk",
    "http://kommune.dk/tilbud?id=1&sprog=da#tider": "http://kommune.dk/tilbud?id=1&sprog=da#tider",
    " HTTPS://Kommune.DK/ ": "HTTPS://Kommune.DK/",
    "https://københavn.dk/ældre": "https://københavn.dk/ældre",
    "https://kommune.dk:8443/": "https://kommune.dk:8443/",
    'https://kommune.dk/"><script>': 'https://kommune.dk/"><script>',  # escaped in the page
}
# The schemes a page may link to; anything else in an href is a failure.
ALLOWED = {"http", "https", "mailto", "tel"}
# Characters a browser drops from a URL (WHATWG URL: tab and newline anywhere, C0 and space
# at the ends): what is left decides the scheme the browser follows.
_DROPPED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")

# Text from anywhere: attacks, attacks with a character slipped in, URL-ish and random strings.
link_text = st.one_of(
    st.sampled_from(ATTACKS),
    st.builds(
        lambda attack, char, at: attack[:at] + char + attack[at:],
        st.sampled_from(ATTACKS),
        st.sampled_from("\x00\t\n\r\x0b\x0c \u00a0\u200b\u2028\u202e\ufeff\\/:@%"),
        st.integers(min_value=0, max_value=12),
    ),
    st.builds(
        lambda scheme, rest: scheme + rest,
        st.sampled_from(["http:", "https:", "HTTP://", "https://", "javascript:", "data:", "//"]),
        st.text(max_size=40),
    ),
    st.text(max_size=60),
)


def browser_scheme(href: str) -> str | None:
    """The scheme a browser would follow for this href, None for a relative one."""
    url = _DROPPED.sub("", href).strip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


@pytest.mark.parametrize("value", ATTACKS)
def test_safe_web_url_refuses_what_is_no_web_link(value: str) -> None:
    assert safe_web_url(value) is None


@pytest.mark.parametrize(("value", "expected"), GOOD.items())
def test_safe_web_url_keeps_web_links(value: str, expected: str) -> None:
    assert safe_web_url(value) == expected


def test_safe_web_url_of_nothing_is_nothing() -> None:
    assert safe_web_url(None) is None


@settings(max_examples=500, deadline=None)
@given(link_text)
def test_safe_web_url_only_ever_gives_http_links(value: str) -> None:
    url = safe_web_url(value)
    if url is not None:
        assert browser_scheme(url) in {"http", "https"}
        assert url[len(browser_scheme(url) or "") :].startswith("://")
        assert url == url.strip() and not any(c.isspace() or ord(c) < 0x20 for c in url)


@pytest.mark.parametrize(
    ("address", "href"),
    [
        ("rygestop@testkommune.example.dk", "mailto:rygestop@testkommune.example.dk"),
        (" Anne.Hansen+tilbud@kommune.dk ", "mailto:Anne.Hansen+tilbud@kommune.dk"),
        ("søren@kommune.dk", "mailto:s%C3%B8ren@kommune.dk"),
        ("a@kommune.dk?bcc=b@evil.example", None),
        ("a@kommune.dk?subject=Hej&body=Klik", None),
        ("a@kommune.dk,b@evil.example", None),
        ("a@kommune.dk;b@evil.example", None),
        ("a@kommune.dk%0Abcc:b@evil.example", None),
        ("a@kommune.dk\nbcc: b@evil.example", None),
        ("javascript:alert(1)//@kommune.dk", None),
        ('"a"@kommune.dk', None),
        ("a@kommune", None),
        ("kommune.dk", None),
        ("", None),
        (None, None),
    ],
)
def test_mailto_href_links_one_address_only(address: str | None, href: str | None) -> None:
    assert mailto_href(address) == href


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("+45 70 00 00 02", "tel:+4570000002"),
        ("70 00-00 02", "tel:70000002"),
        ("112", "tel:112"),
        ("+45 70 00 00 02;ext=javascript:alert(1)", "tel:+45700000021"),
        ("ring til kontoret", None),
        ("", None),
        (None, None),
    ],
)
def test_tel_href_is_digits_only(number: str | None, href: str | None) -> None:
    assert tel_href(number) == href


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.from_regex(r"[a-zæøå.+-]{1,10}@[a-z-]{1,10}\.dk[?&,;% ]?.*"))
def test_mailto_and_tel_hrefs_carry_nothing_else(value: str) -> None:
    mail = mailto_href(value)
    if mail is not None:
        rest = mail.removeprefix("mailto:")
        assert mail.startswith("mailto:") and rest.count("@") == 1
        assert not set(rest) & set('?&,;#"<> \t\r\n') and "%0" not in unquote(rest)
    tel = tel_href(value)
    assert tel is None or re.fullmatch(r"tel:\+?[0-9]+", tel)


# ------------------------------------------------------------------------ the page itself

OFFER_NAME = "Tilbud med links"
NOW = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


@pytest.fixture
def offer_id(engine: Engine) -> str:
    """One published offer with a phone, an e-mail, a website and an organisation's site."""
    with session_scope(engine) as session:
        org = make_organization(session, name="Linkforeningen", website="https://forening.dk")
        offer = make_offer(
            session,
            name=OFFER_NAME,
            organization=org,
            url="https://tilbud.dk",
            email="tilbud@kommune.dk",
            phones=["+45 70 00 00 00"],
        )
        return offer.id


def _store(
    engine: Engine, offer_id: str, *, url: str, website: str, email: str, phone: str
) -> None:
    with Session(engine) as session:
        offer = session.get(Offer, offer_id)
        assert offer is not None
        offer.url, offer.email = url, email
        organization = session.get(Organization, offer.organization_id)
        assert organization is not None
        organization.website = website
        for row in offer.phones:
            row.number = phone
            session.add(row)
        session.add_all([offer, organization])
        session.commit()


def _hrefs(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    hrefs = []
    for element in soup.find_all(href=True):
        # The layout's own empty favicon ("data:,") keeps browsers from asking for one.
        if element.name == "link" and element.get("rel") == ["icon"]:
            continue
        hrefs.append(str(element["href"]))
    return hrefs


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # one offer, updated
)
@given(
    url=link_text,
    website=link_text,
    email=st.one_of(st.just("tilbud@kommune.dk?bcc=x@evil.example"), link_text),
    phone=st.one_of(st.just("+45 70;javascript:alert(1)"), st.text(max_size=30)),
)
@example(url="JaVaScRiPt:alert(1)", website="java\tscript:alert(1)", email="x", phone="1")
@example(url="//evil.example", website="data:text/html,hej", email="a@b.dk", phone="112")
def test_offer_page_links_only_to_safe_schemes(
    client: TestClient,
    engine: Engine,
    offer_id: str,
    url: str,
    website: str,
    email: str,
    phone: str,
) -> None:
    # PostgreSQL refuses NUL in text; the rule itself is tested with NUL above.
    url, website, email, phone = (v.replace("\x00", "") for v in (url, website, email, phone))
    _store(engine, offer_id, url=url, website=website, email=email, phone=phone)
    response = client.get(f"/tilbud/{offer_id}")
    assert response.status_code == 200

    hrefs = _hrefs(response.text)
    for href in hrefs:
        scheme = browser_scheme(href)
        if scheme is None:
            # Browsers read "/\host" as "//host": another site.
            assert href.startswith(("/", "#", "?")), href
            assert not href.replace("\\", "/").startswith("//"), href
        else:
            assert scheme in ALLOWED, href
    # What is safe is still a link, and links nowhere else.
    for value in (url, website):
        if safe_web_url(value) is not None:
            assert safe_web_url(value) in hrefs
    assert [h for h in hrefs if h.startswith("mailto:")] == [mailto_href(email)] * 2 * bool(
        mailto_href(email)
    )
    assert all(re.fullmatch(r"tel:\+?[0-9]+", h) for h in hrefs if h.startswith("tel:"))


def test_offer_page_shows_an_unsafe_website_as_text(
    client: TestClient, engine: Engine, offer_id: str
) -> None:
    _store(
        engine,
        offer_id,
        url="javascript:alert(1)",
        website=" JaVaScRiPt:alert(document.cookie)",
        email="x@kommune.dk?bcc=y@evil.example",
        phone="+45 70 00 00 00",
    )
    soup = BeautifulSoup(client.get(f"/tilbud/{offer_id}").text, "html.parser")
    facts = soup.select_one("dl.facts")
    assert facts is not None and "Linkforeningen" in facts.get_text()
    assert facts.select("a") == []
    contact = soup.select_one("ul.contact")
    assert contact is not None
    assert "x@kommune.dk?bcc=y@evil.example" in contact.get_text()  # shown, not linked
    assert [a["href"] for a in contact.select("a")] == ["tel:+4570000000"]
    assert soup.select('ul.actions a[href^="mailto:"]') == []
    assert "javascript" not in " ".join(_hrefs(str(soup))).lower()


def test_search_card_calls_its_first_callable_number(engine: Engine) -> None:
    with session_scope(engine) as session:
        offer_id = make_offer(session, name="Rådgivning", phones=["ingen", "+45 70 11 22 33"]).id
    with Session(engine) as session:
        offer = session.get(Offer, offer_id)
        assert offer is not None
        view = card(offer, set(), Highlighter.for_query("", frozenset()), UILocale("da"), NOW)
    assert view.phone is not None and view.phone.href == "tel:+4570112233"
