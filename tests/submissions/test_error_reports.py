"""Error reports end to end: a visitor reports, staff see it in the queue and resolve it, the
answer goes to the visitor's e-mail through the outbox; what was typed is only ever text."""

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import MailStatus, OutboxMail, Role, Submission, SubmissionStatus
from tests.staff.support import form_token, log_in

WALK = "aaaaaaaa-0000-4000-8000-000000000001"
FORM = f"/tilbud/{WALK}/fejl"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> Tiden er forkert'

pytestmark = pytest.mark.usefixtures("fixture_catalogue")


def _report(client: TestClient, text: str, email: str = "", **extra: str) -> object:
    token = form_token(client, FORM)
    data = {"csrf_token": token, "text": text, "email": email, **extra}
    return client.post(FORM, data=data)


def test_a_report_reaches_the_queue_and_its_answer_the_reporter(
    app: FastAPI, client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    offer_page = client.get(f"/tilbud/{WALK}")
    assert f'href="{FORM}"' in offer_page.text
    sent = _report(client, HOSTILE, "borger@example.dk")
    assert sent.status_code == 200  # type: ignore[attr-defined]
    assert "Tak" in sent.text  # type: ignore[attr-defined]

    staff = TestClient(app)
    make_account("sagsbehandler@kommune.dk", Role.STAFF)
    log_in(staff, "sagsbehandler@kommune.dk")
    queue = staff.get("/personale/moderation")
    assert "<script>" not in queue.text and "&lt;script&gt;" in queue.text
    soup = BeautifulSoup(queue.text, "html.parser")
    form = soup.select_one("form.decision")
    assert form is not None
    token = str(soup.select_one('input[name="csrf_token"]')["value"])  # type: ignore[index]
    answer = staff.post(
        str(form["action"]),
        data={"csrf_token": token, "reason": "Tak! Vi har rettet tiden til kl. 10."},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "Tiden er forkert" not in staff.get("/personale/moderation").text  # decided: gone

    with Session(engine) as session:
        report = session.exec(select(Submission)).one()
        assert report.status == SubmissionStatus.APPROVED
        assert report.decided_by == "sagsbehandler@kommune.dk"
        mail = session.exec(select(OutboxMail)).one()
        assert mail.recipient == "borger@example.dk"
        assert "Vi har rettet tiden" in mail.body
        assert mail.status == MailStatus.QUEUED  # no SMTP server in the tests


def test_an_admin_sees_the_outbox_with_text_only(
    app: FastAPI, client: TestClient, make_account: Callable[..., str], engine: Engine
) -> None:
    _report(client, "Forkert nummer", "borger@example.dk")
    admin = TestClient(app)
    make_account("admin@kommune.dk", Role.ADMIN)
    log_in(admin, "admin@kommune.dk")
    queue = BeautifulSoup(admin.get("/personale/moderation").text, "html.parser")
    form = queue.select_one("form.decision")
    token = str(queue.select_one('input[name="csrf_token"]')["value"])  # type: ignore[index]
    admin.post(
        str(form["action"]).replace("godkend", "afvis"),  # type: ignore[index]
        data={"csrf_token": token, "reason": "<b>Nummeret</b> er rigtigt."},
    )
    outbox = admin.get("/personale/udbakke")
    assert outbox.status_code == 200
    assert "&lt;b&gt;Nummeret&lt;/b&gt;" in outbox.text
    with Session(engine) as session:
        assert session.exec(select(Submission)).one().status == SubmissionStatus.REJECTED


@pytest.mark.parametrize(
    ("text", "email", "words"),
    [("", "", "Skriv, hvad der er forkert."), ("x", "ikke-en-adresse", "e-mailadresse"),
     ("Ring \u202e1234", "", "skriftretningen")],
)  # fmt: skip
def test_a_bad_report_keeps_what_was_typed(
    client: TestClient, engine: Engine, text: str, email: str, words: str
) -> None:
    answer = _report(client, text, email)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert words in answer.text  # type: ignore[attr-defined]
    if email:
        assert f'value="{email}"' in answer.text  # type: ignore[attr-defined]
    with Session(engine) as session:
        assert session.exec(select(Submission)).all() == []


def test_a_robot_filling_the_honeypot_is_thanked_and_ignored(
    client: TestClient, engine: Engine
) -> None:
    answer = _report(client, "Køb billige ure", website="http://spam.example")
    assert answer.status_code == 200  # type: ignore[attr-defined]
    with Session(engine) as session:
        assert session.exec(select(Submission)).all() == []


def test_reports_need_a_csrf_token_and_are_rate_limited(client: TestClient) -> None:
    client.get(FORM)
    assert client.post(FORM, data={"text": "x"}).status_code == 403
    codes = [_report(client, f"Fejl {n}").status_code for n in range(11)]  # type: ignore[attr-defined]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_only_visible_offers_can_be_reported(client: TestClient) -> None:
    assert client.get("/tilbud/aaaaaaaa-0000-4000-8000-000000000004/fejl").status_code == 404
    assert client.get(f"/tilbud/{'x' * 100}/fejl").status_code == 404
