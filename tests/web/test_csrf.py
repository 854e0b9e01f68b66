"""CSRF: a per-browser secret in a cookie, a freshly masked token on every page, and forms that
change something refused without a valid token. No production form exists yet, so these tests
add a small form to the real app, rendered through the real templates."""

import re
from collections.abc import Callable, Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient
from jinja2 import ChoiceLoader, DictLoader

from app.config import Settings
from app.main import create_app
from app.web.csrf import COOKIE_NAME, CsrfProtect
from app.web.security import CONTENT_SECURITY_POLICY
from app.web.templating import render

FORM_PAGE = """{% extends "base.html" %}{% block content %}
<form method="post" action="/test-form">{{ csrf_input() }}<button>Send</button></form>
<div id="for-htmx" data-token="{{ csrf_token() }}"></div>
{% endblock %}"""


def _with_form(app: FastAPI) -> FastAPI:
    templates = app.state.templates.env
    templates.loader = ChoiceLoader([DictLoader({"test_form.html": FORM_PAGE}), templates.loader])
    router = APIRouter()

    @router.get("/test-form", response_class=HTMLResponse)
    def show_form(request: Request) -> HTMLResponse:
        return render(request, "test_form.html", {})

    @router.post("/test-form", dependencies=[CsrfProtect])
    def receive_form() -> PlainTextResponse:
        return PlainTextResponse("received")

    @router.api_route("/test-either", methods=["GET", "POST"], dependencies=[CsrfProtect])
    def either() -> PlainTextResponse:
        return PlainTextResponse("fine")

    app.include_router(router)
    return app


@pytest.fixture
def form_client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(_with_form(app)) as client:
        yield client


def _token(client: TestClient) -> str:
    soup = BeautifulSoup(client.get("/test-form").text, "html.parser")
    field = soup.select_one('form input[type="hidden"][name="csrf_token"]')
    assert field is not None
    return str(field["value"])


def test_form_page_sets_a_private_cookie_and_carries_a_token(form_client: TestClient) -> None:
    response = form_client.get("/test-form")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here; https sites get Secure (below)
    # A page with a token is one browser's: no shared or stored copy.
    assert response.headers["cache-control"] == "no-store"
    assert 'name="csrf_token"' in response.text
    # The same secret is kept: a second page sets no new cookie.
    assert "set-cookie" not in form_client.get("/test-form").headers


def test_pages_without_forms_set_no_cookie(form_client: TestClient) -> None:
    response = form_client.get("/")
    assert f"{COOKIE_NAME}=" not in response.headers.get("set-cookie", "")


def test_token_is_masked_afresh_on_every_page(form_client: TestClient) -> None:
    tokens = {_token(form_client) for _ in range(5)}
    assert len(tokens) == 5
    secret = form_client.cookies[COOKIE_NAME].split(".")[0]
    for token in tokens:
        assert secret not in token
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    # Every one of them works.
    for token in tokens:
        assert form_client.post("/test-form", data={"csrf_token": token}).text == "received"


def test_post_without_token_gets_a_friendly_403_in_danish(form_client: TestClient) -> None:
    form_client.get("/test-form")
    response = form_client.post("/test-form", data={"name": "x"})
    assert response.status_code == 403
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Formularen kunne ikke sendes"
    assert "hent siden igen" in soup.get_text()


def test_403_in_english(form_client: TestClient) -> None:
    form_client.cookies.set("lang", "en")
    form_client.get("/test-form")
    response = form_client.post("/test-form", data={"csrf_token": "nonsense"})
    assert response.status_code == 403
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "The form could not be sent"


def test_htmx_sends_the_token_in_a_header(form_client: TestClient) -> None:
    soup = BeautifulSoup(form_client.get("/test-form").text, "html.parser")
    tag = soup.select_one("#for-htmx")
    assert tag is not None
    ok = form_client.post("/test-form", headers={"X-CSRF-Token": str(tag["data-token"])})
    assert ok.status_code == 200
    assert form_client.post("/test-form", headers={"X-CSRF-Token": "x" * 86}).status_code == 403


def test_token_without_its_cookie_is_refused(form_client: TestClient) -> None:
    token = _token(form_client)
    form_client.cookies.clear()
    assert form_client.post("/test-form", data={"csrf_token": token}).status_code == 403


def test_another_browsers_token_is_refused(app: FastAPI, form_client: TestClient) -> None:
    theirs = _token(form_client)
    with TestClient(app) as other:
        _token(other)  # this browser has a secret of its own
        assert other.post("/test-form", data={"csrf_token": theirs}).status_code == 403
        assert other.post("/test-form", data={"csrf_token": _token(other)}).status_code == 200


def test_a_planted_cookie_does_not_verify(form_client: TestClient) -> None:
    # An attacker who can set a cookie (a sibling subdomain) but not sign it gets nowhere.
    token = _token(form_client)
    secret, _, signature = form_client.cookies[COOKIE_NAME].partition(".")
    for planted in (f"{secret}.{signature[::-1]}", secret, f"{secret}."):
        form_client.cookies.clear()
        form_client.cookies.set(COOKIE_NAME, planted)
        assert form_client.post("/test-form", data={"csrf_token": token}).status_code == 403
    form_client.cookies.clear()
    form_client.cookies.set(COOKIE_NAME, f"{secret}.{signature}")
    assert form_client.post("/test-form", data={"csrf_token": token}).status_code == 200


def test_safe_methods_need_no_token(form_client: TestClient) -> None:
    assert form_client.get("/test-either").text == "fine"
    assert form_client.post("/test-either").status_code == 403


def test_multipart_forms_are_checked_too(form_client: TestClient) -> None:
    token = _token(form_client)
    response = form_client.post(
        "/test-form", data={"csrf_token": token}, files={"f": ("a.txt", b"hi", "text/plain")}
    )
    assert response.text == "received"


@pytest.mark.usefixtures("engine")
def test_https_sites_get_a_secure_cookie(make_settings: Callable[..., Settings]) -> None:
    app = _with_form(create_app(make_settings(BASE_URL="https://opslag.example.dk")))
    with TestClient(app) as client:
        cookie = client.get("/test-form").headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_forms_from_another_key_do_not_verify(
    make_settings: Callable[..., Settings], form_client: TestClient
) -> None:
    # A cookie signed by another site's key (another deployment) is no cookie at all.
    token = _token(form_client)
    other = _with_form(create_app(make_settings(SECRET_KEY="another site's key")))
    with TestClient(other, cookies=dict(form_client.cookies)) as client:
        assert client.post("/test-form", data={"csrf_token": token}).status_code == 403
