"""The offer editor over HTTP: edit, find the change in search at once, see the history as a
readable diff, restore the version before; bad input keeps what was typed and saves nothing."""

from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import TIMEZONE
from app.models import Offer, OfferRevision, StaffFacts
from tests.staff.support import form_token

WALK = "aaaaaaaa-0000-4000-8000-000000000001"  # "Gåtur ved fjorden"
EDITOR = f"/personale/tilbud/{WALK}"


def _form(client: TestClient, path: str = EDITOR) -> dict[str, list[str]]:
    """The editor's form as a browser would send it unchanged."""
    soup = BeautifulSoup(client.get(path).text, "html.parser")
    form = soup.select_one("form.editor")
    assert form is not None
    data: dict[str, list[str]] = {}
    for field in form.select("input, textarea, select"):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            value = field.text
        elif field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            value = str(chosen["value"]) if chosen else ""
        elif field.get("type") == "checkbox":
            if not field.has_attr("checked"):
                continue
            value = str(field["value"])
        else:
            value = str(field.get("value", ""))
        data.setdefault(str(name), []).append(value)
    return data


def _hits(client: TestClient, word: str) -> list[str]:
    return [
        s["id"] for s in client.get("/hsds/services", params={"search": word}).json()["contents"]
    ]


def test_an_edit_is_searchable_at_once_and_can_be_undone(staff: TestClient, engine: Engine) -> None:
    form = _form(staff)
    original = form["description"][0]
    form["description"] = [original + " Vi slutter med kaffe i zyxpavillonen."]
    form["internal_note"] = ["Ny note til kolleger."]
    saved = staff.post(EDITOR, data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:2000]
    assert "gemt=1" in saved.headers["location"]
    assert _hits(staff, "zyxpavillonen") == [WALK]

    history = staff.get(f"{EDITOR}/historik")
    assert history.status_code == 200
    assert (
        "<ins>zyxpavillonen.</ins>" in history.text.replace("\n", " ")
        or "zyxpavillonen" in history.text
    )
    assert "sagsbehandler@kommune.dk" in history.text
    soup = BeautifulSoup(history.text, "html.parser")
    first = soup.select_one("#version-1 form")
    assert first is not None
    token = form_token(staff, f"{EDITOR}/historik")
    restored = staff.post(str(first["action"]), data={"csrf_token": token}, follow_redirects=False)
    assert restored.status_code == 303
    assert _hits(staff, "zyxpavillonen") == []
    with Session(engine) as session:
        offer = session.get(Offer, WALK)
        assert offer is not None and offer.description == original
        facts = session.get(StaffFacts, WALK)
        assert facts is not None and facts.internal_note == "Kontaktpersonen er på ferie i uge 7."
        kinds = [r.kind for r in session.exec(select(OfferRevision).order_by(OfferRevision.number))]
        assert kinds == ["before", "edit", "restore"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("url", "javascript:alert(1)", "https://"),
        ("min_age", "tre", "whole number"),
        ("name", "", "needs a name"),
        ("schedules", "hver XX kl. 10", "tirsdag"),
        ("description", "Ring \u202e1234", "direction"),
        ("name", "N" * 301, "300"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_saves_nothing(
    staff: TestClient, engine: Engine, field: str, value: str, words: str
) -> None:
    form = _form(staff)
    form[field] = [value]
    form["fees"] = ["Det her må ikke gå tabt"]
    answer = staff.post(EDITOR, data=form, follow_redirects=False, params={"lang": "en"})
    assert answer.status_code == 422
    assert words in answer.text
    assert "Det her må ikke gå tabt" in answer.text
    with Session(engine) as session:
        assert session.exec(select(OfferRevision)).all() == []
        offer = session.get(Offer, WALK)
        assert offer is not None and offer.fees_description != "Det her må ikke gå tabt"


def test_confirm_today_sets_the_assured_date(staff: TestClient, engine: Engine) -> None:
    token = form_token(staff, EDITOR)
    answer = staff.post(f"{EDITOR}/bekraeft", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    with Session(engine) as session:
        offer = session.get(Offer, WALK)
        assert offer is not None
        assert offer.assured_date == datetime.now(TIMEZONE).date()


def test_a_post_without_csrf_token_changes_nothing(staff: TestClient) -> None:
    form = _form(staff)
    form.pop("csrf_token")
    assert staff.post(EDITOR, data=form).status_code == 403


def test_fields_the_sheet_has_no_column_for_are_edited_too(
    staff: TestClient, engine: Engine
) -> None:
    form = _form(staff)
    form["alternate_name"] = ["Fjordturen"]
    form["languages"] = ["da, en, ar"]
    form["place_name"] = ["Kirkens sal"]
    form["org_website"] = ["https://forening.example.dk"]
    assert staff.post(EDITOR, data=form, follow_redirects=False).status_code == 303
    page = staff.get(f"/tilbud/{WALK}").text
    assert "Kirkens sal" in page and 'href="https://forening.example.dk"' in page
    with Session(engine) as session:
        offer = session.get(Offer, WALK)
        assert offer is not None and offer.alternate_name == "Fjordturen"
        assert sorted(lang.code for lang in offer.languages if lang.code) == ["ar", "da", "en"]
    again = _form(staff)
    again["org_website"] = ["javascript:alert(1)"]
    again["languages"] = ["dansk!"]
    answer = staff.post(EDITOR, data=again, params={"lang": "en"})
    assert answer.status_code == 422 and "language code" in answer.text
