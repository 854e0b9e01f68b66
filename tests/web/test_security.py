"""Security headers on every kind of response, compression, and cache headers on static files."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from app.config import Settings
from app.main import create_app
from app.web.security import CONTENT_SECURITY_POLICY

HTMX = "/static/vendor/htmx-2.0.11.min.js"

# One of each kind: a page, a static file, HSDS JSON, HSDS JSON 404, a page 404, a static 404.
EVERY_KIND = ["/", "/static/site.css", HTMX, "/hsds/", "/hsds/services/nope", "/nope", "/static/x"]


def _assert_strict(response: Response) -> None:
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    csp = headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert "geolocation=()" in headers["permissions-policy"]


@pytest.mark.parametrize("path", EVERY_KIND)
def test_every_kind_of_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404)
    _assert_strict(response)
    # The site is served over plain http here, so no HSTS: it would lock browsers out.
    assert "strict-transport-security" not in response.headers


def test_kinds_answer_what_they_are(client: TestClient) -> None:
    assert client.get("/").headers["content-type"].startswith("text/html")
    assert client.get("/hsds/").headers["content-type"].startswith("application/json")
    missing = client.get("/hsds/services/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/json")
    assert client.get("/nope").headers["content-type"].startswith("text/html")


@pytest.mark.usefixtures("engine")
def test_https_sites_send_hsts(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(BASE_URL="https://opslag.example.dk")
    with TestClient(create_app(settings)) as client:
        for path in ("/", HTMX, "/hsds/", "/nope"):
            response = client.get(path)
            _assert_strict(response)
            hsts = response.headers["strict-transport-security"]
            assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31536000


def test_pages_and_scripts_are_compressed(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in page.headers["vary"].lower()
    assert "<html" in page.text  # the client unpacked it
    script = client.get(HTMX, headers={"Accept-Encoding": "gzip"})
    assert script.headers["content-encoding"] == "gzip"
    # htmx is about 51 KB; compressed it must be a fraction of that on the wire.
    assert int(script.headers["content-length"]) < len(script.content) / 2


def test_no_compression_when_the_browser_cannot_unpack(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in page.headers


def test_versioned_vendor_file_is_cached_for_a_year(client: TestClient) -> None:
    response = client.get(HTMX)
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_own_static_files_are_revalidated(client: TestClient) -> None:
    response = client.get("/static/site.css")
    assert response.status_code == 200
    cache = response.headers["cache-control"]
    assert "must-revalidate" in cache and "immutable" not in cache
    assert int(cache.split("max-age=")[1].split(",")[0]) <= 3600
    assert response.headers["etag"] and response.headers["last-modified"]
    # Revalidation: the same file answers 304 with no body and keeps its cache rule.
    again = client.get("/static/site.css", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["cache-control"] == cache
    _assert_strict(again)
