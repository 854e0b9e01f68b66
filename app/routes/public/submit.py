"""`/opret`: an association posts its activity without an account; `/rediger/{token}`: the
private page that says how it went."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.catalogue.visibility import may_see
from app.deps import LocaleDep, SearchDep, SessionDep, SettingsDep, VocabularyDep
from app.mail.outbox import queue, send_queued
from app.models import Offer, Submission
from app.staff.editor import confirm_today, load
from app.submissions.api import find_original, latest, propose_change
from app.submissions.changes import proposal_of
from app.submissions.duplicates import look_alikes
from app.submissions.letters import edit_link_mail
from app.submissions.new_offer import (
    MAX_FIELD,
    Proposal,
    new_offer_id,
    read_form,
    service_of,
    submit,
)
from app.submissions.readability import check
from app.submissions.submit_page import form_page
from app.web.csrf import CsrfProtect
from app.web.ratelimit import rate_limit
from app.web.templating import no_store, render

router = APIRouter()


@router.get("/opret", response_class=HTMLResponse)
def show_submit_form(
    request: Request, vocabulary: VocabularyDep, locale: LocaleDep, search: SearchDep
) -> Response:
    empty = read_form({})
    page = form_page(empty, vocabulary=vocabulary, locale=locale, towns=search.codes("town"))
    return no_store(render(request, "pages/submit.html", {"page": page}))


@router.post(
    "/opret",
    response_class=HTMLResponse,
    dependencies=[CsrfProtect, Depends(rate_limit("submit", limit=20, per=600))],
)
async def send_submission(
    request: Request,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
    search: SearchDep,
    settings: SettingsDep,
) -> Response:
    form = await request.form()
    values = {key: [str(v) for v in form.getlist(key)] for key in form}
    proposal: Proposal = read_form(values)
    towns = search.codes("town")
    if (values.get("website") or [""])[0]:  # the honeypot: only robots fill it in
        return no_store(render(request, "pages/submit_sent.html", {"link": None}))
    offer_id = new_offer_id()
    service, problems = service_of(session, proposal, vocabulary, offer_id)
    preview = (values.get("action") or [""])[0] != "send"
    similar = []
    if preview and service is not None:
        name, town = proposal.text["name"], proposal.text["town"]
        similar = look_alikes(session, search, name=name, town=town)
    page = form_page(
        proposal, vocabulary=vocabulary, locale=locale, towns=towns, problems=problems,
        service=service if preview else None, look_alikes=similar,
    )  # fmt: skip
    if problems:
        return no_store(render(request, "pages/submit.html", {"page": page}, 422))
    if preview or service is None:
        return no_store(render(request, "pages/submit.html", {"page": page}))
    contact = proposal.text.get("email") or None
    submission, token = submit(session, service, contact_email=contact, vocabulary=vocabulary)
    link = f"{settings.BASE_URL.rstrip('/')}/rediger/{token}"
    mail = None
    if contact:
        subject, body = edit_link_mail(locale, settings.SITE_NAME, service["name"], link)
        mail = queue(session, to=contact, subject=subject, body=body, kind="edit-link")
    session.commit()
    if mail is not None and mail.id is not None:
        send_queued(request.app.state.engine, settings, [mail.id])
    return no_store(
        render(request, "pages/submit_sent.html", {"link": link, "mailed": bool(contact)})
    )


@router.post(
    "/opret/laesbarhed",
    response_class=HTMLResponse,
    dependencies=[CsrfProtect, Depends(rate_limit("readability", limit=600, per=600))],
)
def check_readability(
    request: Request, description: Annotated[str, Form(max_length=MAX_FIELD * 2)] = ""
) -> Response:
    """The readability box for the description typed so far (htmx swaps it in)."""
    context = {"check": check(description)}
    return no_store(render(request, "partials/readability.html", context))


def _own(session: SessionDep, token: str) -> tuple[Submission, Submission]:
    original = find_original(session, token)
    if original is None or original.offer_id is None:
        raise HTTPException(status_code=404)
    return original, latest(session, original)


def _private(response: Response) -> Response:
    # A private page: no cache, no referrer (its address is the secret).
    response.headers["Referrer-Policy"] = "no-referrer"
    return no_store(response)


@router.get("/rediger/{token}", response_class=HTMLResponse)
def show_own_submission(
    request: Request, token: str, session: SessionDep, aendret: int = 0, bekraeftet: int = 0
) -> Response:
    original, newest = _own(session, token)
    offer = session.get(Offer, original.offer_id)
    context = {
        "submission": newest,
        "name": offer.name if offer else "",
        "changed": aendret == 1,
        "confirmed": bekraeftet == 1,
        "current": offer is not None and may_see(offer.state),
        "token": token,
        "edit_url": f"/rediger/{token}/ret",
    }
    return _private(render(request, "pages/own_submission.html", context))


@router.get("/rediger/{token}/ret", response_class=HTMLResponse)
def show_change_form(
    request: Request,
    token: str,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
    search: SearchDep,
) -> Response:
    _, newest = _own(session, token)
    page = form_page(
        proposal_of(newest, vocabulary), vocabulary=vocabulary, locale=locale,
        towns=search.codes("town"), action=f"/rediger/{token}/ret", editing=True,
    )  # fmt: skip
    return _private(render(request, "pages/submit.html", {"page": page}))


@router.post(
    "/rediger/{token}/ret",
    response_class=HTMLResponse,
    dependencies=[CsrfProtect, Depends(rate_limit("submit", limit=20, per=600))],
)
async def send_change(
    request: Request,
    token: str,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
    search: SearchDep,
) -> Response:
    original, _ = _own(session, token)
    form = await request.form()
    proposal = read_form({key: [str(v) for v in form.getlist(key)] for key in form})
    assert original.offer_id is not None
    service, problems = service_of(session, proposal, vocabulary, original.offer_id)
    if service is None:
        page = form_page(
            proposal, vocabulary=vocabulary, locale=locale, towns=search.codes("town"),
            problems=problems, action=f"/rediger/{token}/ret", editing=True,
        )  # fmt: skip
        return _private(render(request, "pages/submit.html", {"page": page}, 422))
    propose_change(session, original, service)
    session.commit()
    return RedirectResponse(f"/rediger/{token}?aendret=1", status_code=303)


@router.post(
    "/rediger/{token}/aktuel",
    dependencies=[CsrfProtect, Depends(rate_limit("submit", limit=20, per=600))],
)
def confirm_still_current(token: str, session: SessionDep, vocabulary: VocabularyDep) -> Response:
    """The sender says the published offer is still current (no log-in: the link is enough)."""
    original, _ = _own(session, token)
    offer = load(session, original.offer_id or "")
    if offer is None or not may_see(offer.state):
        raise HTTPException(status_code=409)
    confirm_today(session, offer, who=None, vocabulary=vocabulary)
    session.commit()
    return RedirectResponse(f"/rediger/{token}?bekraeftet=1", status_code=303)
