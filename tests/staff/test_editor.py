"""The offer editor over HTTP: edit, find the change in search at once, see the history as a
readable diff, restore the version before; bad input keeps what was typed and saves nothing."""

import csv
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import Result

from app.config import TIMEZONE
from app.exchange.sheets import COLUMNS
from app.models import Offer, OfferRevision, StaffFacts
from tests.staff.support import editor_form, form_token

WALK = "aaaaaaaa-0000-4000-8000-000000000001"  # "Gåtur ved fjorden"
EDITOR = f"/personale/tilbud/{WALK}"


def _form(client: TestClient, path: str = EDITOR) -> dict[str, list[str]]:
    return editor_form(client, path)


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
        ("name", "\u200b\u00ad", "needs a name"),
        ("organization", "\u200b", "needs an organisation"),
        ("latitude", "nan", "not a number"),
        ("schedules", "hver " + "9" * 5000 + ". torsdag 17:00-19:00", "weekday"),
        ("state", "pending", "Choose a state"),
        ("state", "draft", "Choose a state"),
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


def test_access_facts_are_edited_and_survive_a_sheet_round_trip(
    staff: TestClient, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    form = _form(staff)
    form["tilgaengelighed"] = ["trinfri", "teleslynge"]
    assert staff.post(EDITOR, data=form, follow_redirects=False).status_code == 303
    assert _access(staff) == ["Trinfri adgang", "Teleslynge"]

    # Export, change the name in the sheet, import: the place keeps its facts.
    sheet = tmp_path / "tilbud.csv"
    assert run_cli("export-csv", sheet).exit_code == 0
    rows = list(csv.DictReader(sheet.read_text("utf-8-sig").splitlines(), delimiter=";"))
    for row in rows:
        if row["id"] == WALK:
            row["navn"] = "Gåtur ved stranden"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    result = run_cli("import-csv", sheet)
    assert result.exit_code == 0, result.output
    assert _access(staff) == ["Trinfri adgang", "Teleslynge"]
    assert "Gåtur ved stranden" in staff.get(f"/tilbud/{WALK}").text

    again = _form(staff)
    assert again["tilgaengelighed"] == ["trinfri", "teleslynge"]
    again["tilgaengelighed"] = ["handicaptoilet"]
    assert staff.post(EDITOR, data=again, follow_redirects=False).status_code == 303
    assert _access(staff) == ["Handicaptoilet"]


def test_access_facts_need_an_address(staff: TestClient) -> None:
    form = _form(staff)
    form.update(address=[""], postcode=[""], town=[""], latitude=[""], longitude=[""])
    form["tilgaengelighed"] = ["trinfri"]
    answer = staff.post(EDITOR, data=form, params={"lang": "en"})
    assert answer.status_code == 422 and "access facts are about" in answer.text


def _access(client: TestClient) -> list[str]:
    page = BeautifulSoup(client.get(f"/tilbud/{WALK}").text, "html.parser")
    facts = page.select_one(".accessibility")
    if facts is None:
        return []
    return [f.strip() for f in facts.text.split(":", 1)[1].split(",")]
