"""`/opret`: an association posts its activity without an account; `/rediger/{token}`: the
private page that says how it went."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import LocaleDep, SearchDep, SessionDep, SettingsDep, VocabularyDep
from app.mail.outbox import queue, send_queued
from app.models import Offer
from app.submissions.duplicates import look_alikes
from app.submissions.letters import edit_link_mail
from app.submissions.new_offer import (
    MAX_FIELD,
    Proposal,
    find_by_token,
    new_offer_id,
    read_form,
    service_of,
    submit,
)
from app.submissions.readability import check
from app.submissions.submit_page import form_page
from app.web.csrf import CsrfProtect
from app.web.ratelimit import rate_limit
from app.web.templating import render

router = APIRouter()


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/opret", response_class=HTMLResponse)
def show_submit_form(
    request: Request, vocabulary: VocabularyDep, locale: LocaleDep, search: SearchDep
) -> Response:
    empty = read_form({})
    page = form_page(empty, vocabulary=vocabulary, locale=locale, towns=search.codes("town"))
    return _no_store(render(request, "pages/submit.html", {"page": page}))


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
        return _no_store(render(request, "pages/submit_sent.html", {"link": None}))
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
        return _no_store(render(request, "pages/submit.html", {"page": page}, 422))
    if preview or service is None:
        return _no_store(render(request, "pages/submit.html", {"page": page}))
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
    return _no_store(
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
    return _no_store(render(request, "partials/readability.html", context))


@router.get("/rediger/{token}", response_class=HTMLResponse)
def show_own_submission(request: Request, token: str, session: SessionDep) -> Response:
    submission = find_by_token(session, token)
    if submission is None:
        raise HTTPException(status_code=404)
    name = ""
    if submission.offer_id:
        offer = session.get(Offer, submission.offer_id)
        name = offer.name if offer else ""
    context = {"submission": submission, "name": name}
    response = render(request, "pages/own_submission.html", context)
    # A private page: no cache, no referrer (its address is the secret).
    response.headers["Referrer-Policy"] = "no-referrer"
    return _no_store(response)
