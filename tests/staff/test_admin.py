"""Admins create, disable and reset accounts, and create and revoke tokens, in the UI."""

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.models import Role
from tests.staff.support import PASSWORD, form_token, log_in

ADMIN = "admin@kommune.dk"
STAFF = "sagsbehandler@kommune.dk"


@pytest.fixture
def admin(client: TestClient, make_account: Callable[..., str]) -> TestClient:
    make_account(ADMIN, Role.ADMIN)
    log_in(client, ADMIN)
    return client


def _post(client: TestClient, path: str, page: str, **data: str) -> object:
    return client.post(
        path, data={"csrf_token": form_token(client, page), **data}, follow_redirects=False
    )


def _account_id(client: TestClient, email: str) -> str:
    soup = BeautifulSoup(client.get("/personale/konti").text, "html.parser")
    for row in soup.select("tbody tr"):
        if row.select_one("td") and row.select_one("td").text.strip() == email:  # type: ignore[union-attr]
            field = row.select_one('input[type="password"]')
            assert field is not None
            return str(field["id"]).removeprefix("pw-")
    raise AssertionError(f"{email} not listed")


def test_an_admin_creates_disables_and_resets_an_account(admin: FastAPI, app: FastAPI) -> None:
    client: TestClient = admin  # type: ignore[assignment]
    weak = _post(
        client, "/personale/konti", "/personale/konti", email=STAFF, role="staff", password="kort"
    )
    assert weak.status_code == 422  # type: ignore[attr-defined]
    assert "Adgangskoden skal have mindst 12 tegn." in weak.text  # type: ignore[attr-defined]
    made = _post(
        client, "/personale/konti", "/personale/konti", email=STAFF, role="staff", password=PASSWORD
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    staff_id = _account_id(client, STAFF)

    colleague = TestClient(app)
    log_in(colleague, STAFF)
    assert colleague.get("/personale/").status_code == 200
    _post(client, f"/personale/konti/{staff_id}/status", "/personale/konti", disabled="1")
    assert colleague.get("/personale/", follow_redirects=False).status_code == 303
    _post(client, f"/personale/konti/{staff_id}/status", "/personale/konti", disabled="0")
    log_in(colleague, STAFF)
    assert colleague.get("/personale/").status_code == 200
    _post(
        client, f"/personale/konti/{staff_id}/adgangskode", "/personale/konti",
        password="en-helt-ny-kode-2027",
    )  # fmt: skip
    assert colleague.get("/personale/", follow_redirects=False).status_code == 303
    assert log_in(colleague, STAFF, password="en-helt-ny-kode-2027").status_code == 303  # type: ignore[attr-defined]


def test_an_admin_cannot_disable_their_own_account(admin: TestClient) -> None:
    own = _account_id(admin, ADMIN)
    answer = _post(admin, f"/personale/konti/{own}/status", "/personale/konti", disabled="1")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert admin.get("/personale/").status_code == 200


@pytest.mark.usefixtures("fixture_catalogue")
def test_a_token_made_in_the_ui_works_until_it_is_revoked(admin: TestClient) -> None:
    made = _post(admin, "/personale/tokens", "/personale/tokens", email=ADMIN)
    token = BeautifulSoup(made.text, "html.parser").select_one("#new-token")  # type: ignore[attr-defined]
    assert token is not None
    value = token.text.strip()
    url = "/api/offers/aaaaaaaa-0000-4000-8000-000000000001"
    assert admin.get(url, headers={"Authorization": f"Bearer {value}"}).status_code == 200
    listed = admin.get("/personale/tokens").text
    assert value not in listed  # shown once only
    form = BeautifulSoup(listed, "html.parser").select_one('form[action$="/tilbagekald"]')
    assert form is not None
    _post(admin, str(form["action"]), "/personale/tokens")
    assert admin.get(url, headers={"Authorization": f"Bearer {value}"}).status_code == 401
