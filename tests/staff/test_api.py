"""The staff JSON API with real tokens: read and change an offer with its staff facts."""

import json
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import Engine
from sqlmodel import select

from app.accounts.store import create_token, revoke_token, set_disabled
from app.db import session_scope
from app.models import Account, ApiToken

WALK = "aaaaaaaa-0000-4000-8000-000000000001"
URL = f"/api/offers/{WALK}"


@pytest.fixture
def token(engine: Engine, make_account: Callable[..., str], fixture_catalogue: None) -> str:  # noqa: ARG001
    account_id = make_account("integration@kommune.dk")
    with session_scope(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None
        return create_token(session, account)


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def test_get_returns_hsds_with_staff_facts_and_workflow(client: TestClient, token: str) -> None:
    answer = client.get(URL, headers=_auth(token))
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == WALK and body["name"] == "Gåtur ved fjorden"
    assert body["staff"]["staff_note"] == "Kontaktpersonen er på ferie i uge 7."
    assert body["workflow"] == {"status": "published", "assured_date": "2026-10-01"}
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer opt_wrong"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer "},
    ],
)
@pytest.mark.usefixtures("token")
def test_without_a_valid_token_the_answer_is_401(
    client: TestClient, headers: dict[str, str]
) -> None:
    answer = client.get(URL, headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert "staff" not in answer.text


def test_a_revoked_token_or_a_disabled_account_stops_working(
    client: TestClient, token: str, engine: Engine
) -> None:
    assert client.get(URL, headers=_auth(token)).status_code == 200
    with session_scope(engine) as session:
        account = session.exec(select(Account)).one()
        set_disabled(session, account, True)
    assert client.get(URL, headers=_auth(token)).status_code == 401
    with session_scope(engine) as session:
        account = session.exec(select(Account)).one()
        set_disabled(session, account, False)
        row = session.exec(select(ApiToken)).one()
        revoke_token(session, row.id)
    assert client.get(URL, headers=_auth(token)).status_code == 401


def test_patch_changes_facts_and_fields_and_search_follows(client: TestClient, token: str) -> None:
    answer = client.patch(
        URL,
        headers=_auth(token),
        json={
            "staff_note": "Ny note.",
            "staff": {"referral_procedure": "Ring først."},
            "description": "Vi går en tur langs zyxfjordstien.",
            "workflow": {"status": "temporarily_closed", "assured_date": "2026-12-01"},
        },
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["staff"] == {
        "referral_procedure": "Ring først.",
        "professional_contact": None,
        "staff_note": "Ny note.",
    }
    assert body["workflow"] == {"status": "temporarily_closed", "assured_date": "2026-12-01"}
    found = client.get("/hsds/services", params={"search": "zyxfjordstien"}).json()["contents"]
    assert [s["id"] for s in found] == [WALK]


@pytest.mark.parametrize(
    ("body", "field", "language", "words"),
    [
        ({"url": "javascript:alert(1)"}, "url", "en", "https://"),
        ({"url": "javascript:alert(1)"}, "url", "da", "webadresse"),
        ({"phones": [{"id": "x", "number": "1"}]}, "phones", "en", ""),
        ({"workflow": {"status": "gone"}}, "workflow.status", "en", "one of"),
        ({"staff": {"secret": "x"}}, "staff.secret", "en", "Unknown"),
        ({"staff_note": "\u202eBAD"}, "staff.staff_note", "da", "skriftretningen"),
        ({"id": "bbbbbbbb-0000-4000-8000-000000000009"}, "id", "en", "cannot change"),
        ([1, 2], "", "en", "object"),
        ({"extra": json.loads('{"a":' * 500 + "1" + "}" * 500)}, "extra", "en", "nested"),
    ],
)
def test_bad_patches_get_422_with_fields_in_the_readers_language(
    client: TestClient, token: str, body: Any, field: str, language: str, words: str
) -> None:
    before = client.get(URL, headers=_auth(token)).json()
    answer = client.patch(URL, headers=_auth(token, **{"Accept-Language": language}), json=body)
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert errors and errors[0]["field"].startswith(field)
    assert words in errors[0]["message"]
    assert client.get(URL, headers=_auth(token)).json() == before


def test_patch_accepts_only_json(client: TestClient, token: str) -> None:
    answer = client.patch(URL, headers=_auth(token), data={"name": "x"})
    assert answer.status_code == 415
    broken = client.patch(
        URL, headers=_auth(token, **{"Content-Type": "application/json"}), content=b"{nope"
    )
    assert broken.status_code == 422


@pytest.mark.usefixtures("client")  # the app started, as it serves
def test_the_api_keeps_its_contract(app: FastAPI, token: str) -> None:
    """Schemathesis over the API's own OpenAPI document, with a real token: no 5xx, and every
    answer matches the document. A body the document allows may still break the input rules
    (a `javascript:` link, a name of 301 characters), which no schema says, so acceptance of
    every schema-valid body is not checked."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=_auth(token), excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Exception as exc:
            raise AssertionError(f"{operation.label}: {exc}") from exc
