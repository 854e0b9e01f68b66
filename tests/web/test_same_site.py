"""Links and redirects stay on this site whatever the path or the Host header says (issue 10):
a `//host` path gets the 404 page without the path, a forged Host never reaches a Location,
the language switch is always a same-site path, and static files never set a cookie."""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from httpx2 import Response

from app.config import Settings
from app.main import create_app

WALK = "aaaaaaaa-0000-4000-8000-000000000001"
HTMX = "/static/vendor/htmx-2.0.11.min.js"
# TestClient sends a full URL's path as it stands; a bare "//host/" would be read as a host.
ORIGIN = "http://testserver"
# Paths a browser (or a careless link builder) would read as another host.
HOSTILE_PATHS = [
    "//evil.example/",
    "//evil.example/?lang=en",
    "//evil.example/soeg/?q=evil.example",
    "//a.b/c",
    "///a.b",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%09/evil.example",
    "/%0D%0A/evil.example",
    "/soeg//evil.example/",
    "/tilbud//evil.example",
    "/static//evil.example",
    "/hsds//evil.example/",
]
LINK_ATTRIBUTES = ("href", "src", "action", "formaction")

pytestmark = pytest.mark.usefixtures("fixture_catalogue")


def _host_a_browser_sees(url: str) -> str:
    """The host a browser would ask for this link: it drops tabs and line breaks, trims control
    characters and spaces, and reads a backslash as a slash."""
    cleaned = "".join(c for c in url if c not in "\t\n\r").strip("\x00 ").replace("\\", "/")
    return urlsplit(cleaned).netloc.lower()


def _foreign_links(response: Response, *, ours: tuple[str, ...] = ("testserver",)) -> list[str]:
    """Every Location and link on the page that a browser would follow to another host."""
    urls = [response.headers["location"]] if "location" in response.headers else []
    if response.headers.get("content-type", "").startswith("text/html"):
        soup = BeautifulSoup(response.text, "html.parser")
        for attribute in LINK_ATTRIBUTES:
            urls += [str(el[attribute]) for el in soup.select(f"[{attribute}]")]
    return [url for url in urls if _host_a_browser_sees(url) not in ("", *ours)]


def _switch_href(response: Response) -> str:
    switch = BeautifulSoup(response.text, "html.parser").select_one("a.lang-switch")
    assert switch is not None
    return str(switch["href"])


def test_double_slash_path_gets_the_404_page_without_the_path(client: TestClient) -> None:
    response = client.get(f"{ORIGIN}//evil.example/", follow_redirects=False)
    assert response.status_code == 404
    assert "evil.example" not in response.text
    assert "location" not in response.headers
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Siden findes ikke"
    # The switch leads to the front page in the other language.
    assert _switch_href(response) == "/?lang=en"
    assert "content-security-policy" in response.headers


def test_double_slash_404_speaks_the_chosen_language(client: TestClient) -> None:
    client.get("/?lang=en")
    response = client.get(f"{ORIGIN}//evil.example/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.html is not None and soup.html["lang"] == "en"
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Page not found"
    assert _switch_href(response) == "/?lang=da"
    assert "cookie" in response.headers["vary"].lower()


def test_double_slash_404_honours_a_lang_switch(client: TestClient) -> None:
    response = client.get(f"{ORIGIN}//evil.example/?lang=en&q=evil.example")
    assert response.status_code == 404
    assert "evil.example" not in response.text
    assert response.headers["set-cookie"].startswith("lang=en;")
    assert _switch_href(response) == "/?lang=da"


def test_head_of_a_double_slash_path_is_404(client: TestClient) -> None:
    response = client.head(f"{ORIGIN}//evil.example/")
    assert response.status_code == 404
    assert "evil.example" not in response.text


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/soeg/?q=1", "/soeg?q=1"),
        ("/soeg/", "/soeg"),
        (f"/tilbud/{WALK}/", f"/tilbud/{WALK}"),
        ("/healthz/", "/healthz"),
        ("/hsds", "/hsds/"),
    ],
)
def test_redirect_with_a_forged_host_is_a_same_site_path(
    client: TestClient, path: str, target: str
) -> None:
    response = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
    assert response.status_code in (301, 307, 308)
    location = response.headers["location"]
    assert location == target
    assert "evil.example" not in location
    assert "content-security-policy" in response.headers


def test_redirect_on_the_configured_base_url_keeps_it(
    client: TestClient, settings: Settings
) -> None:
    host = urlsplit(settings.BASE_URL).netloc
    response = client.get("/soeg/?q=1", headers={"Host": host}, follow_redirects=False)
    location = response.headers["location"]
    assert location == f"{settings.BASE_URL}/soeg?q=1"


def test_redirect_leads_to_the_page(client: TestClient) -> None:
    response = client.get("/soeg/?q=g%C3%A5tur", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert response.history and response.history[0].headers["location"].startswith("/soeg?")
    # A path: the browser stays on the host it asked, whatever the Host header claimed.
    assert response.url.host == "testserver" and response.url.path == "/soeg"


def test_redirect_behind_a_root_path_keeps_it(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings(BASE_URL="https://kommune.example/opslag"))
    with TestClient(app, root_path="/opslag") as client:
        response = client.get(
            "/opslag/soeg/?q=1", headers={"Host": "evil.example"}, follow_redirects=False
        )
        assert response.headers["location"] == "/opslag/soeg?q=1"
        page = client.get("/opslag/?lang=da", headers={"Host": "evil.example"})
        assert _switch_href(page) == "/opslag/?lang=en"


@pytest.mark.parametrize(
    "path", ["/", "/soeg?q=g%C3%A5tur", f"/tilbud/{WALK}", "/tilbud/nope", "/nope"]
)
def test_language_switch_is_same_site_with_a_forged_host(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Host": "evil.example"})
    href = _switch_href(response)
    assert href.startswith("/") and href[1:2] not in ("/", "\\")
    assert _host_a_browser_sees(href) == ""
    assert "evil.example" not in response.text


@pytest.mark.parametrize(
    ("path", "switch"),
    [
        ("/tilbud/\\evil.example", "/tilbud/%5Cevil.example?lang=en"),
        ("/tilbud/%09/evil.example", "/tilbud/%09/evil.example?lang=en"),
        ("/tilbud/g%C3%A5tur%3F%23", "/tilbud/g%C3%A5tur%3F%23?lang=en"),
        ("/soeg//x", "/soeg//x?lang=en"),
    ],
)
def test_language_switch_encodes_what_it_echoes(client: TestClient, path: str, switch: str) -> None:
    response = client.get(f"{ORIGIN}{path}")
    assert response.status_code == 404
    assert _switch_href(response) == switch


@pytest.mark.parametrize("path", HOSTILE_PATHS)
@pytest.mark.parametrize("host", ["testserver", "evil.example"])
def test_hostile_paths_never_fail_nor_link_elsewhere(
    client: TestClient, path: str, host: str
) -> None:
    for method in (client.get, client.head, client.post):
        response = method(f"{ORIGIN}{path}", headers={"Host": host}, follow_redirects=False)
        assert response.status_code < 500, (method, path)
        assert _foreign_links(response, ours=("testserver",)) == [], (method, path)
        if "location" in response.headers:
            assert "evil.example" not in response.headers["location"]


@pytest.mark.parametrize(
    "path", ["/static/site.css?lang=en", f"{HTMX}?lang=da", "/static/nope.css?lang=en"]
)
def test_static_files_never_set_a_cookie(client: TestClient, path: str) -> None:
    for method in (client.get, client.head):
        response = method(path)
        assert "set-cookie" not in response.headers, path
    # The same switch on a page is remembered.
    assert client.get("/?lang=en").headers["set-cookie"].startswith("lang=en;")


def test_static_file_with_a_csrf_cookie_missing_sets_none(client: TestClient) -> None:
    # A first visit with no cookies at all: neither the language nor the CSRF layer sets one.
    client.cookies.clear()
    response = client.get("/static/site.css?lang=en&csrf_token=x")
    assert response.status_code == 200
    assert response.headers["cache-control"].startswith("public")
    assert "set-cookie" not in response.headers
