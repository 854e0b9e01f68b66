"""Edit, then approve, in one step: staff correct what was sent in the editor and their version
is what gets published; the sender hears about it; an error report is resolved the same way."""

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.models import (
    Offer,
    OfferRevision,
    OfferState,
    OutboxMail,
    Role,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from tests.staff.support import editor_form, form_token, log_in
from tests.submissions.test_new_offers import FORM

pytestmark = pytest.mark.usefixtures("fixture_catalogue")

WALK = "aaaaaaaa-0000-4000-8000-000000000001"


def _send(client: TestClient, path: str = "/opret", **changes: object) -> object:
    data: dict[str, object] = {**FORM, **changes, "action": "send"}
    data["csrf_token"] = form_token(client, path)
    return client.post(path, data=data, follow_redirects=False)


def _staff(app: FastAPI, make_account: Callable[..., str]) -> TestClient:
    staff = TestClient(app)
    make_account("sagsbehandler@kommune.dk", Role.STAFF)
    log_in(staff, "sagsbehandler@kommune.dk")
    return staff


def _edit_link(staff: TestClient) -> str:
    queue = BeautifulSoup(staff.get("/personale/moderation").text, "html.parser")
    link = queue.select_one('a[href$="/rediger"]')
    assert link is not None
    return str(link["href"])


def _found(client: TestClient, word: str) -> list[str]:
    return [
        s["id"] for s in client.get("/hsds/services", params={"search": word}).json()["contents"]
    ]


def test_staff_correct_a_new_offer_and_publish_it_in_one_step(
    app: FastAPI, client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    _send(client)
    staff = _staff(app, make_account)
    edit = _edit_link(staff)
    form = editor_form(staff, edit)
    assert form["description"] == [FORM["description"]]  # what was sent
    assert "state" not in form  # approving decides the state
    form["description"] = ["Vi strikker zyxvanter og drikker kaffe."]
    form["reason"] = ["Vi har rettet teksten lidt."]
    answer = staff.post(edit, data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:3000]

    assert len(_found(client, "zyxvanter")) == 1 and _found(client, "zyxmasker") == []
    with Session(engine) as session:
        submission = session.exec(select(Submission)).one()
        assert submission.status == SubmissionStatus.APPROVED
        offer = session.get(Offer, submission.offer_id)
        assert offer is not None and offer.state == OfferState.PUBLISHED
        kinds = session.exec(
            select(OfferRevision.kind).where(col(OfferRevision.offer_id) == offer.id)
        ).all()
        assert "moderation" in kinds
        letters = session.exec(select(OutboxMail).where(OutboxMail.kind == "decision")).all()
        assert len(letters) == 1 and "Vi har rettet teksten lidt." in letters[0].body
    assert "Strikkeforeningen Zyx" not in staff.get("/personale/moderation").text
    assert staff.get(edit).status_code == 404  # decided: nothing left to edit


def test_a_proposed_change_is_approved_as_staff_corrected_it(
    app: FastAPI, client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    sent = _send(client, action="send")
    link = BeautifulSoup(sent.text, "html.parser").select_one("#edit-link")  # type: ignore[attr-defined]
    assert link is not None
    own = str(link["href"]).replace("http://127.0.0.1:8000", "")
    staff = _staff(app, make_account)
    edit = _edit_link(staff)
    staff.post(edit, data=editor_form(staff, edit), follow_redirects=False)

    answer = _send(client, own + "/ret", description="Vi strikker zyxhuer nu. Klik her!!!")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    edit = _edit_link(staff)
    form = editor_form(staff, edit)
    assert form["description"] == ["Vi strikker zyxhuer nu. Klik her!!!"]  # the proposal
    form["description"] = ["Vi strikker zyxhuer nu."]
    assert staff.post(edit, data=form, follow_redirects=False).status_code == 303
    with Session(engine) as session:
        change = session.exec(
            select(Submission).where(Submission.kind == SubmissionKind.CHANGE)
        ).one()
        assert change.status == SubmissionStatus.APPROVED
        offer = session.get(Offer, change.offer_id)
        assert offer is not None and offer.description == "Vi strikker zyxhuer nu."
        assert offer.state == OfferState.PUBLISHED


def test_an_error_report_is_resolved_by_correcting_the_offer(
    app: FastAPI, client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    report = f"/tilbud/{WALK}/fejl"
    text = "Turen starter kl. 9, ikke kl. 10."
    client.post(report, data={"csrf_token": form_token(client, report), "text": text})
    staff = _staff(app, make_account)
    edit = _edit_link(staff)
    page = staff.get(edit, params={"lang": "en"}).text
    assert text in page and "Save and mark as resolved" in page
    form = editor_form(staff, edit)
    form["name"] = ["Gåtur ved fjorden kl. 9"]
    assert staff.post(edit, data=form, follow_redirects=False).status_code == 303
    with Session(engine) as session:
        assert session.exec(select(Submission)).one().status == SubmissionStatus.APPROVED
        offer = session.get(Offer, WALK)
        assert offer is not None and offer.name == "Gåtur ved fjorden kl. 9"
        assert offer.state == OfferState.PUBLISHED


def test_bad_input_keeps_the_item_open_and_what_was_typed(
    app: FastAPI, client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    _send(client)
    staff = _staff(app, make_account)
    edit = _edit_link(staff)
    form = editor_form(staff, edit)
    form["url"] = ["javascript:alert(1)"]
    form["description"] = ["Rettet <script>alert(1)</script> tekst"]
    answer = staff.post(edit, data=form, params={"lang": "en"})
    assert answer.status_code == 422 and "https://" in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    assert "Save and approve" in answer.text  # still the approval form
    with Session(engine) as session:
        submission = session.exec(select(Submission)).one()
        assert submission.status == SubmissionStatus.OPEN
        offer = session.get(Offer, submission.offer_id)
        assert offer is not None and offer.state == OfferState.PENDING
    assert _found(client, "zyxmasker") == []
    del form["csrf_token"]
    assert staff.post(edit, data=form).status_code == 403
