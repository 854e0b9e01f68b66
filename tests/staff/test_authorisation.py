"""Every staff route refuses whoever may not use it: the test walks the app's own route table,
so a new route under /personale/ (or a staff API) cannot be forgotten."""

import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.accounts.store import create_token
from app.db import session_scope
from app.models import Account, Role
from tests.staff.support import log_in

STAFF_PAGES = ("/personale",)
STAFF_APIS = ("/api/",)
# Public on purpose: the API's own description holds no data.
PUBLIC = frozenset({"/api/openapi.json"})
# Public on purpose: associations post without an account (rate limited, never public until
# approved); the private edit URL is the token itself.
PUBLIC_PREFIXES = ("/api/submissions",)
# Routes only admins may use; staff get 403.
ADMIN_ONLY = re.compile(r"^/personale/(konti|tokens|udbakke)")


def api_routes(routes: list[Any], prefix: str = "") -> list[tuple[str, APIRoute]]:
    """Every APIRoute with its full path, also inside included routers."""
    found: list[tuple[str, APIRoute]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path, route))
        elif hasattr(route, "original_router"):
            inner = prefix + route.include_context.prefix
            found.extend(api_routes(route.original_router.routes, inner))
    return found


def _staff_routes(app: FastAPI) -> list[tuple[str, str]]:
    found = []
    for full_path, route in api_routes(app.routes):
        public = full_path in PUBLIC or full_path.startswith(PUBLIC_PREFIXES)
        if full_path.startswith(STAFF_PAGES + STAFF_APIS) and not public:
            path = re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", full_path)
            found.extend((method, path) for method in sorted(route.methods))
    return found


def test_the_app_has_staff_routes(app: FastAPI) -> None:
    assert ("GET", "/personale/") in _staff_routes(app)


def test_anonymous_requests_are_sent_to_log_in_or_refused(app: FastAPI, client: TestClient) -> None:
    for method, path in _staff_routes(app):
        answer = client.request(method, path, follow_redirects=False)
        if path.startswith(STAFF_APIS):
            assert answer.status_code == 401, (method, path, answer.status_code)
        elif method == "GET":
            assert answer.status_code == 303, (method, path, answer.status_code)
            assert answer.headers["location"].startswith("/log-ind?naeste=")
        else:
            # A form post without a session: refused before anything is read (CSRF or log-in).
            assert answer.status_code in (303, 403), (method, path, answer.status_code)


def test_staff_may_not_use_admin_routes(
    app: FastAPI, client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    account_id = make_account("sagsbehandler@kommune.dk", Role.STAFF)
    log_in(client, "sagsbehandler@kommune.dk")
    with session_scope(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None
        token = create_token(session, account)
    for method, path in _staff_routes(app):
        headers = {"Authorization": f"Bearer {token}"} if path.startswith(STAFF_APIS) else {}
        answer = client.request(method, path, headers=headers, follow_redirects=False)
        if ADMIN_ONLY.match(path):
            assert answer.status_code == 403, (method, path, answer.status_code)
            if method == "GET":  # says why, not the advice for a refused form
                assert "Kun for administratorer" in answer.text, path
        else:
            assert answer.status_code not in (401, 303), (method, path, answer.status_code)


def test_every_staff_form_post_needs_a_csrf_token(
    app: FastAPI, client: TestClient, make_account: Callable[..., str]
) -> None:
    """Logged in as an admin (who may use every route), a post without a token is refused."""
    make_account("admin@kommune.dk", Role.ADMIN)
    log_in(client, "admin@kommune.dk")
    posts = [(m, p) for m, p in _staff_routes(app) if m == "POST" and not p.startswith(STAFF_APIS)]
    assert len(posts) >= 8
    for method, path in [*posts, ("POST", "/log-ud"), ("POST", "/log-ind")]:
        answer = client.request(method, path, data={"x": "1"}, follow_redirects=False)
        assert answer.status_code == 403, (method, path, answer.status_code)
    assert client.get("/personale/").status_code == 200  # still logged in: nothing happened
