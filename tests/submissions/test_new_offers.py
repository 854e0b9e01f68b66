"""An association posts an offer without an account: preview, send, nothing public until staff
approve it; then it is found at once. A rejection's reason reaches the submitter."""

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Offer, OfferState, OutboxMail, Role, Submission
from tests.staff.support import form_token, log_in

pytestmark = pytest.mark.usefixtures("fixture_catalogue")

FORM = {
    "name": "Strikkecafé <b>i Testby</b>",
    "organization": "Strikkeforeningen Zyx",
    "description": "Vi strikker zyxmasker og drikker kaffe. Alle er velkomne.",
    "how": "Mød bare op.",
    "fees": "Gratis.",
    "tema": ["faellesskab", "kultur-fritid"],
    "maalgruppe": ["alle"],
    "schedules": "tirsdag 10:00-12:00",
    "address": "Kirkevej 1",
    "postcode": "4400",
    "town": "Testby",
    "modtages": "ja",
    "ledsager": "ja",
    "email": "strik@example.dk",
    "consent": "ja",
}


def _post(client: TestClient, action: str, **changes: object) -> object:
    data: dict[str, object] = {**FORM, **changes, "action": action}
    data["csrf_token"] = form_token(client, "/opret")
    return client.post("/opret", data=data)


def _found(client: TestClient, word: str) -> list[str]:
    return [
        s["id"] for s in client.get("/hsds/services", params={"search": word}).json()["contents"]
    ]


def _moderate(app: FastAPI, make_account: Callable[..., str], decision: str, reason: str) -> None:
    staff = TestClient(app)
    make_account("sagsbehandler@kommune.dk", Role.STAFF)
    log_in(staff, "sagsbehandler@kommune.dk")
    queue = BeautifulSoup(staff.get("/personale/moderation").text, "html.parser")
    form = queue.select_one("form.decision")
    assert form is not None
    token = str(queue.select_one('input[name="csrf_token"]')["value"])  # type: ignore[index]
    action = str(form["action"]).replace("godkend", decision)
    answer = staff.post(
        action, data={"csrf_token": token, "reason": reason}, follow_redirects=False
    )
    assert answer.status_code == 303


def test_preview_send_approve_and_find(
    app: FastAPI, client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    preview = _post(client, "preview")
    assert preview.status_code == 200  # type: ignore[attr-defined]
    assert 'id="preview"' in preview.text  # type: ignore[attr-defined]
    assert "&lt;b&gt;i Testby&lt;/b&gt;" in preview.text  # type: ignore[attr-defined]
    sent = _post(client, "send")
    assert sent.status_code == 200  # type: ignore[attr-defined]
    link = BeautifulSoup(sent.text, "html.parser").select_one("#edit-link")  # type: ignore[attr-defined]
    assert link is not None
    with Session(engine) as session:
        offer = session.exec(select(Offer).where(Offer.name == FORM["name"])).one()
        assert offer.state == OfferState.PENDING
        offer_id = offer.id
        mail = session.exec(select(OutboxMail)).one()
        assert mail.recipient == "strik@example.dk" and link.text in mail.body
    # Nothing is public yet.
    assert _found(client, "zyxmasker") == []
    assert client.get(f"/tilbud/{offer_id}").status_code == 404
    assert client.get(f"/hsds/services/{offer_id}").status_code == 404
    own = client.get(str(link["href"]).replace("http://127.0.0.1:8000", ""))
    assert own.status_code == 200 and 'id="submission-status"' in own.text

    _moderate(app, make_account, "godkend", "")
    assert _found(client, "zyxmasker") == [offer_id]
    page = client.get(f"/tilbud/{offer_id}")
    assert page.status_code == 200
    assert "&lt;b&gt;i Testby&lt;/b&gt;" in page.text and "<b>i Testby</b>" not in page.text


def test_a_rejection_reason_reaches_the_submitter(
    app: FastAPI, client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    sent = _post(client, "send")
    link = BeautifulSoup(sent.text, "html.parser").select_one("#edit-link")  # type: ignore[attr-defined]
    assert link is not None
    _moderate(app, make_account, "afvis", "Tilbuddet findes allerede.")
    with Session(engine) as session:
        mails = session.exec(select(OutboxMail).order_by(OutboxMail.id)).all()
        assert "Tilbuddet findes allerede." in mails[-1].body
        assert session.exec(select(Offer).where(Offer.name == FORM["name"])).one().state == (
            OfferState.RETIRED
        )
    own = client.get(str(link["href"]).replace("http://127.0.0.1:8000", ""))
    assert "Tilbuddet findes allerede." in own.text
    assert _found(client, "zyxmasker") == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": ""}, "Skriv navnet"),
        ({"tema": []}, "mindst ét tema"),
        ({"email": "", "phone": ""}, "e-mailadresse eller et telefonnummer"),
        ({"consent": ""}, "Sig ja"),
        ({"url": "javascript:alert(1)"}, "https://"),
        ({"schedules": "hver XX"}, "tirsdag"),
        ({"tema": ["ingen-kode"]}, "ingen-kode"),
        # Only invisible characters (zero-width space, soft hyphen) are no name.
        ({"name": "\u200b\u00ad"}, "Skriv navnet"),
        ({"organization": "\u200b"}, "navnet på jeres forening"),
        ({"email": "", "phone": "\u200b"}, "e-mailadresse eller et telefonnummer"),
        # A number too long for Python's int(): a plain message, not a server error.
        ({"schedules": "hver " + "9" * 5000 + ". torsdag 17:00-19:00"}, "tirsdag"),
    ],
)
def test_bad_input_keeps_what_was_typed(
    client: TestClient, engine: Engine, changes: dict[str, object], words: str
) -> None:
    answer = _post(client, "send", **changes)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert words in answer.text  # type: ignore[attr-defined]
    assert "Vi strikker zyxmasker" in answer.text  # type: ignore[attr-defined]
    with Session(engine) as session:
        assert session.exec(select(Submission)).all() == []


def test_the_honeypot_and_csrf(client: TestClient, engine: Engine) -> None:
    assert _post(client, "send", website="spam").status_code == 200  # type: ignore[attr-defined]
    client.get("/opret")
    assert client.post("/opret", data={**FORM, "action": "send"}).status_code == 403
    with Session(engine) as session:
        assert session.exec(select(Submission)).all() == []
    assert client.get("/rediger/unknown-token").status_code == 404


def test_a_look_alike_published_offer_is_shown_before_sending(client: TestClient) -> None:
    """The fixture's "Gåtur ved fjorden" in Testby, posted again with almost the same name."""
    preview = _post(client, "preview", name="Gåtur ved fjorden i Testby", town="Testby")
    assert 'id="look-alikes"' in preview.text  # type: ignore[attr-defined]
    assert 'href="/tilbud/aaaaaaaa-0000-4000-8000-000000000001"' in preview.text  # type: ignore[attr-defined]
    other = _post(client, "preview", name="Strikkecafé om tirsdagen", town="Testby")
    assert 'id="look-alikes"' not in other.text  # type: ignore[attr-defined]


def test_the_town_is_a_choice_with_room_for_another(client: TestClient) -> None:
    form = BeautifulSoup(client.get("/opret").text, "html.parser")
    towns = [o["value"] for o in form.select("select#s-town option")]
    assert "Testby" in towns and towns[0] == "" and towns[-1] == "anden"
    chosen = _post(client, "preview", town="Testby", town_other="")
    assert "4400 Testby" in BeautifulSoup(chosen.text, "html.parser").select_one("#preview").text  # type: ignore[attr-defined,union-attr]
    other = _post(client, "preview", town="anden", town_other="Nyby")
    page = BeautifulSoup(other.text, "html.parser")  # type: ignore[attr-defined]
    assert "4400 Nyby" in page.select_one("#preview").text  # type: ignore[union-attr]
    # What was written is kept: "another town" stays chosen with the name beside it.
    assert page.select_one("select#s-town option[selected]")["value"] == "anden"  # type: ignore[index]
    assert page.select_one("#s-town_other")["value"] == "Nyby"  # type: ignore[index]


def test_staff_see_look_alikes_in_the_queue(
    app: FastAPI, client: TestClient, make_account: Callable[..., str]
) -> None:
    _post(client, "send", name="Gåtur ved fjorden i Testby", town="Testby")
    staff = TestClient(app)
    make_account("sagsbehandler@kommune.dk", Role.STAFF)
    log_in(staff, "sagsbehandler@kommune.dk")
    queue = staff.get("/personale/moderation").text
    assert "/personale/tilbud/aaaaaaaa-0000-4000-8000-000000000001" in queue


def test_the_private_link_proposes_a_change_staff_see_as_a_diff(
    app: FastAPI, client: TestClient, make_account: Callable[..., str]
) -> None:
    sent = _post(client, "send")
    link = BeautifulSoup(sent.text, "html.parser").select_one("#edit-link")  # type: ignore[attr-defined]
    assert link is not None
    own = str(link["href"]).replace("http://127.0.0.1:8000", "")
    _moderate(app, make_account, "godkend", "")
    form_page = client.get(own + "/ret")
    assert form_page.status_code == 200
    assert "Vi strikker zyxmasker" in form_page.text  # filled in from what was sent
    changed = {**FORM, "description": "Vi strikker zyxhuer nu.", "action": "send"}
    changed["csrf_token"] = form_token(client, own + "/ret")
    answer = client.post(own + "/ret", data=changed, follow_redirects=False)
    assert answer.status_code == 303
    assert _found(client, "zyxhuer") == []  # private until approved

    staff = TestClient(app)
    log_in(staff, "sagsbehandler@kommune.dk")
    queue = staff.get("/personale/moderation").text
    assert "<ins>zyxhuer nu.</ins>" in queue
    soup = BeautifulSoup(queue, "html.parser")
    form = soup.select_one("form.decision")
    token = str(soup.select_one('input[name="csrf_token"]')["value"])  # type: ignore[index]
    staff.post(str(form["action"]), data={"csrf_token": token})  # type: ignore[index]
    assert len(_found(client, "zyxhuer")) == 1


def test_the_sender_renews_and_staff_can_end_the_link(
    app: FastAPI, client: TestClient, engine: Engine, make_account: Callable[..., str]
) -> None:
    sent = _post(client, "send")
    link = BeautifulSoup(sent.text, "html.parser").select_one("#edit-link")  # type: ignore[attr-defined]
    assert link is not None
    own = str(link["href"]).replace("http://127.0.0.1:8000", "")
    _moderate(app, make_account, "godkend", "")
    renewed = client.post(own + "/aktuel", data={"csrf_token": form_token(client, own)})
    assert renewed.status_code == 200 and "bekræftet i dag" in renewed.text
    with Session(engine) as session:
        offer = session.exec(select(Offer).where(Offer.name == FORM["name"])).one()
        assert offer.assured_date is not None
        offer_id = offer.id

    staff = TestClient(app)
    log_in(staff, "sagsbehandler@kommune.dk")
    editor = f"/personale/tilbud/{offer_id}"
    assert "tilbagekald-link" in staff.get(editor).text
    ended = staff.post(
        f"{editor}/tilbagekald-link", data={"csrf_token": form_token(staff, editor)},
        follow_redirects=False,
    )  # fmt: skip
    assert ended.status_code == 303
    assert client.get(own).status_code == 404
    assert client.get(own + "/ret").status_code == 404


def test_access_facts_reach_the_offer_page_and_the_hsds_export(
    app: FastAPI, client: TestClient, make_account: Callable[..., str]
) -> None:
    _post(client, "send", tilgaengelighed=["trinfri", "teleslynge", "ukendt"])
    _moderate(app, make_account, "godkend", "")
    (offer_id,) = _found(client, "zyxmasker")
    page = client.get(f"/tilbud/{offer_id}").text
    assert "Trinfri adgang, Teleslynge" in page
    service = client.get(f"/hsds/services/{offer_id}").json()
    facts = service["service_at_locations"][0]["location"]["accessibility"]
    assert sorted(f["details"] for f in facts) == ["teleslynge", "trinfri"]


def test_access_facts_need_an_address(client: TestClient) -> None:
    answer = _post(client, "send", address="", postcode="", town="", tilgaengelighed=["trinfri"])
    assert answer.status_code == 422  # type: ignore[attr-defined]
