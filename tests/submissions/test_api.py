"""The JSON twins: POST /api/submissions and its edit URL; /api/moderation for staff tokens."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.accounts.store import create_token
from app.db import session_scope
from app.models import Account, Role

pytestmark = pytest.mark.usefixtures("fixture_catalogue")

SERVICE: dict[str, Any] = {
    "name": "Brætspilscafé",
    "description": "Vi spiller zyxbrætspil hver uge. Alle er velkomne.",
    "organization": {"name": "Spilleforeningen", "email": "spil@example.dk"},
    "email": "spil@example.dk",
    "attributes": [{"taxonomy_term": {"taxonomy": "tema", "code": "kultur-fritid"}}],
    "schedules": [{"freq": "WEEKLY", "byday": "TU", "opens_at": "18:00", "closes_at": "21:00"}],
    "service_at_locations": [
        {"location": {"name": "Biblioteket", "addresses": [
            {"address_1": "Bogvej 1", "postal_code": "4400", "city": "Testby"}]}}
    ],
}  # fmt: skip


@pytest.fixture
def staff_token(engine: Engine, make_account: Callable[..., str]) -> str:
    account_id = make_account("moderator@kommune.dk", Role.STAFF)
    with session_scope(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None
        return create_token(session, account)


def _found(client: TestClient, word: str) -> list[str]:
    return [
        s["id"] for s in client.get("/hsds/services", params={"search": word}).json()["contents"]
    ]


def test_submit_approve_and_find(client: TestClient, staff_token: str) -> None:
    created = client.post("/api/submissions", json=SERVICE)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "pending" and body["edit_url"].startswith("http")
    offer_id = body["id"]
    path = "/" + body["edit_url"].split("/", 3)[3]
    assert client.get(path).json() == {"id": offer_id, "status": "pending", "reason": None}
    assert _found(client, "zyxbrætspil") == []
    assert client.get(f"/tilbud/{offer_id}").status_code == 404

    auth = {"Authorization": f"Bearer {staff_token}"}
    queue = client.get("/api/moderation", headers=auth).json()
    item = next(i for i in queue if i["offer_id"] == offer_id)
    assert item["kind"] == "new" and set(item) == {"id", "kind", "offer_id", "created", "summary"}
    approved = client.post(f"/api/moderation/{item['id']}/approve", headers=auth)
    assert approved.status_code == 200
    assert _found(client, "zyxbrætspil") == [offer_id]
    assert client.get(path).json()["status"] == "approved"

    # A change through the edit URL stays private until approved.
    changed = client.put(path, json={**SERVICE, "description": "Nu med zyxskak om torsdagen."})
    assert changed.status_code == 202, changed.text
    assert _found(client, "zyxskak") == []
    change = next(
        i for i in client.get("/api/moderation", headers=auth).json() if i["kind"] == "change"
    )
    assert client.post(f"/api/moderation/{change['id']}/approve", headers=auth).status_code == 200
    assert _found(client, "zyxskak") == [offer_id]


def test_a_rejection_reason_is_told(client: TestClient, staff_token: str) -> None:
    body = client.post("/api/submissions", json=SERVICE).json()
    path = "/" + body["edit_url"].split("/", 3)[3]
    auth = {"Authorization": f"Bearer {staff_token}"}
    item = client.get("/api/moderation", headers=auth).json()[0]
    answer = client.post(
        f"/api/moderation/{item['id']}/reject", headers=auth, json={"reason": "Findes allerede."}
    )
    assert answer.status_code == 200
    assert client.get(path).json() == {
        "id": body["id"], "status": "rejected", "reason": "Findes allerede.",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "language", "words"),
    [
        ({"name": ""}, "name", "en", "needed"),
        ({"organization": {}}, "organization.name", "da", ""),
        ({"attributes": []}, "attributes", "en", "tema"),
        ({"email": None}, "email", "en", "phone"),
        ({"schedules": [{"opens_at": "25:99"}]}, "schedules.0.opens_at", "en", "time of day"),
        ({"schedules": [{"opens_at": "25:99"}]}, "schedules.0.opens_at", "da", "klokkeslæt"),
        ({"url": "javascript:alert(1)"}, "url", "en", "https://"),
        ({"attributes": [{"taxonomy_term": {"taxonomy": "tema", "code": "x"}}]}, "attributes.0",
         "en", "Unknown"),
        ({"name": "\u200b\u00ad"}, "name", "en", "empty"),
        ({"description": "\u200b"}, "description", "da", "tom"),
    ],
)  # fmt: skip
def test_bad_submissions_get_422_with_dotted_fields(
    client: TestClient, change: dict[str, Any], field: str, language: str, words: str
) -> None:
    body = {**SERVICE, **change}
    answer = client.post("/api/submissions", json=body, headers={"Accept-Language": language})
    assert answer.status_code == 422, answer.text
    error = answer.json()["errors"][0]
    assert error["field"].startswith(field) and words in error["message"]


def test_json_only_and_the_moderation_api_needs_a_token(client: TestClient) -> None:
    assert client.post("/api/submissions", data={"name": "x"}).status_code == 415
    assert client.get("/api/moderation").status_code == 401
    assert client.get("/api/submissions/nope").status_code == 404
