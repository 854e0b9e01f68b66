"""Log-in, sessions, lock-out and log-out, over HTTP with the real database."""

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.accounts.store import set_disabled, set_password
from app.config import Settings
from app.db import session_scope
from app.main import create_app
from app.models import Account, Role
from tests.staff.support import PASSWORD, form_token, log_in

STAFF = "sagsbehandler@kommune.dk"
DRAFT = "aaaaaaaa-0000-4000-8000-000000000004"  # "Kladde til nyt tilbud"
WALK = "aaaaaaaa-0000-4000-8000-000000000001"  # "Gåtur ved fjorden", has staff facts


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(
    client: TestClient, make_account: Callable[..., str]
) -> None:
    make_account(STAFF)
    first = client.get("/personale/?q=gåtur", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"].startswith("/log-ind?naeste=")
    back_to = parse_qs(urlsplit(first.headers["location"]).query)["naeste"][0]
    assert back_to == "/personale/?q=g%C3%A5tur"
    answer = log_in(client, STAFF, back_to=back_to)
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == back_to  # type: ignore[attr-defined]
    cookie = answer.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


@pytest.mark.usefixtures("fixture_catalogue")
def test_staff_see_every_offer_and_the_staff_facts(
    client: TestClient, make_account: Callable[..., str]
) -> None:
    make_account(STAFF)
    assert client.get(f"/tilbud/{DRAFT}").status_code == 404
    public = client.get(f"/tilbud/{WALK}")
    assert "Kontaktpersonen er på ferie" not in public.text
    log_in(client, STAFF)
    dashboard = client.get("/personale/")
    assert dashboard.status_code == 200
    assert "Kladde til nyt tilbud" in dashboard.text and "<td>Kladde</td>" in dashboard.text
    assert dashboard.headers["cache-control"] == "no-store"
    assert client.get(f"/tilbud/{DRAFT}").status_code == 200
    staff_view = client.get(f"/tilbud/{WALK}")
    assert 'id="staff-facts"' in staff_view.text
    assert "Kontaktpersonen er på ferie i uge 7." in staff_view.text
    assert staff_view.headers["cache-control"] == "no-store"


def test_the_session_id_changes_at_every_log_in(
    client: TestClient, make_account: Callable[..., str]
) -> None:
    make_account(STAFF)
    first = log_in(client, STAFF).cookies["sid"]  # type: ignore[attr-defined]
    second = log_in(client, STAFF).cookies["sid"]  # type: ignore[attr-defined]
    assert first != second
    client.cookies.clear()
    client.cookies.set("sid", first)
    assert client.get("/personale/", follow_redirects=False).status_code == 303


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    client: TestClient, make_account: Callable[..., str]
) -> None:
    make_account(STAFF)
    wrong = log_in(client, STAFF, password="forkert-kode-forkert")
    unknown = log_in(client, "ingen@kommune.dk", password="forkert-kode-forkert")
    assert wrong.status_code == unknown.status_code == 400  # type: ignore[attr-defined]
    message = "E-mailadressen eller adgangskoden er forkert."
    assert message in wrong.text and message in unknown.text  # type: ignore[attr-defined]


def test_repeated_failures_lock_the_account_for_a_while(
    app: FastAPI, client: TestClient, make_account: Callable[..., str]
) -> None:
    make_account(STAFF)
    store = app.state.rate_limits
    now = [1_800_000_000.0]
    store.clock = lambda: now[0]
    for _ in range(5):
        assert log_in(client, STAFF, password="forkert-kode-forkert").status_code == 400  # type: ignore[attr-defined]
    locked = log_in(client, STAFF)
    assert locked.status_code == 429  # type: ignore[attr-defined]
    assert "For mange forkerte forsøg" in locked.text  # type: ignore[attr-defined]
    # The lock-out says nothing about whether the e-mail exists: an unknown one locks alike.
    for _ in range(5):
        log_in(client, "ingen@kommune.dk", password="forkert-kode-forkert")
    assert log_in(client, "ingen@kommune.dk").status_code == 429  # type: ignore[attr-defined]
    now[0] += 15 * 60
    assert log_in(client, STAFF).status_code == 303  # type: ignore[attr-defined]


def test_disabling_an_account_or_resetting_its_password_ends_its_sessions(
    client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    account_id = make_account(STAFF)
    log_in(client, STAFF)
    assert client.get("/personale/").status_code == 200
    with session_scope(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None
        set_disabled(session, account, True)
    assert client.get("/personale/", follow_redirects=False).status_code == 303
    assert log_in(client, STAFF).status_code == 400  # type: ignore[attr-defined]

    with session_scope(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None
        set_disabled(session, account, False)
    log_in(client, STAFF)
    with session_scope(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None
        set_password(session, account, "en-helt-ny-kode-2027")
    assert client.get("/personale/", follow_redirects=False).status_code == 303


def test_log_out_ends_the_session(client: TestClient, make_account: Callable[..., str]) -> None:
    make_account(STAFF)
    log_in(client, STAFF)
    token = form_token(client, "/personale/")
    answer = client.post("/log-ud", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    assert client.get("/personale/", follow_redirects=False).status_code == 303


def test_log_in_without_a_csrf_token_is_refused(
    client: TestClient, make_account: Callable[..., str]
) -> None:
    make_account(STAFF)
    client.get("/log-ind")
    answer = client.post("/log-ind", data={"email": STAFF, "password": PASSWORD})
    assert answer.status_code == 403


@pytest.mark.parametrize("back_to", ["//evil.example/", "https://evil.example/", "/\\evil", "x"])
def test_log_in_only_returns_to_this_site(
    client: TestClient, make_account: Callable[..., str], back_to: str
) -> None:
    make_account(STAFF, Role.STAFF)
    answer = log_in(client, STAFF, back_to=back_to)
    assert answer.headers["location"] == "/personale/"  # type: ignore[attr-defined]


def test_the_session_cookie_is_secure_over_https(
    make_settings: Callable[..., Settings], make_account: Callable[..., str]
) -> None:
    make_account(STAFF)
    app = create_app(make_settings(BASE_URL="https://opslag.kommune.dk"))
    with TestClient(app, base_url="https://testserver") as client:
        cookie = log_in(client, STAFF).headers["set-cookie"]  # type: ignore[attr-defined]
    assert "; Secure" in cookie or "; secure" in cookie
