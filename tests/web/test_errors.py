"""Friendly 404 and 500 pages in the user's language; JSON errors under /hsds; no traceback."""

import logging

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.hsds import api as hsds_api
from app.web.security import CONTENT_SECURITY_POLICY


def _soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


@pytest.fixture
def failing_app(app: FastAPI) -> FastAPI:
    """The real app with one extra route that fails as a bug would."""

    def explode() -> None:
        raise RuntimeError("database password is hunter2")

    app.add_api_route("/test-explode", explode)
    return app


def test_404_says_what_happened_and_offers_search_and_home(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    soup = _soup(response.text)
    assert soup.html is not None and soup.html["lang"] == "da"
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Siden findes ikke"
    form = soup.select_one('form[role="search"]')
    assert form is not None and form["action"] == "/soeg" and form["method"] == "get"
    field = form.select_one('input[type="search"][name="q"]')
    assert field is not None
    label = soup.select_one(f'label[for="{field["id"]}"]')
    assert label is not None and label.get_text(strip=True) == "Søg efter et tilbud"
    assert soup.select_one('main a[href="/"]') is not None


def test_404_in_english(client: TestClient) -> None:
    response = client.get("/no/such/page?lang=en")
    assert response.status_code == 404
    soup = _soup(response.text)
    assert soup.html is not None and soup.html["lang"] == "en"
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Page not found"
    assert "Search for an offer" in soup.get_text()


def test_unexpected_error_is_a_friendly_500_without_a_traceback(
    failing_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="opslagstavle.error"):
        # raise_server_exceptions stays on: a failure that escaped would fail this test.
        with TestClient(failing_app) as client:
            response = client.get("/test-explode?q=gæld")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    soup = _soup(response.text)
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Der gik noget galt"
    assert soup.select_one('form[role="search"][action="/soeg"]') is not None
    assert "Traceback" not in response.text
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    # The traceback goes to the log instead, with the path but not the search words.
    record = next(r for r in caplog.records if r.name == "opslagstavle.error")
    assert record.exc_info is not None and "/test-explode" in record.getMessage()
    assert "gæld" not in record.getMessage()


def test_unexpected_error_in_english(failing_app: FastAPI) -> None:
    with TestClient(failing_app, cookies={"lang": "en"}) as client:
        response = client.get("/test-explode")
    assert response.status_code == 500
    soup = _soup(response.text)
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Something went wrong"


def test_hsds_keeps_json_errors(client: TestClient) -> None:
    for path in ("/hsds/services/nope", "/hsds/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/json")
        assert "detail" in response.json()
    bad = client.get("/hsds/services?page=0")
    assert bad.status_code in (400, 422)
    assert bad.headers["content-type"].startswith("application/json")


def test_wrong_method_keeps_the_allow_header(client: TestClient) -> None:
    response = client.post("/")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert response.headers["content-type"].startswith("text/html")


def test_unexpected_error_in_the_api_is_json(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(**_kwargs: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(hsds_api, "list_taxonomies", explode)
    with caplog.at_level(logging.ERROR, logger="opslagstavle.error"):
        response = client.get("/hsds/taxonomies")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal error"}
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert any(r.name == "opslagstavle.error" and r.exc_info for r in caplog.records)
