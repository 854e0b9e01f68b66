"""`/tilbud/{id}/fejl`: tell the site that something about an offer is wrong."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app.catalogue.offers import get_offer
from app.deps import LocaleDep, SessionDep
from app.i18n import translate
from app.submissions.reports import MAX_REPORT, ReportError, file_report
from app.web.csrf import CsrfProtect
from app.web.ratelimit import rate_limit
from app.web.templating import render

router = APIRouter()

Text = Annotated[str, Form(max_length=MAX_REPORT * 2)]


def _offer_name(session: SessionDep, id: str) -> str:
    offer = get_offer(session=session, id=id) if len(id) <= 36 else None
    if offer is None:
        raise HTTPException(status_code=404)
    return offer.name


@router.get("/tilbud/{id}/fejl", response_class=HTMLResponse)
def show_report_form(request: Request, id: str, session: SessionDep) -> Response:
    context = {"offer_id": id, "offer_name": _offer_name(session, id), "text": "", "email": ""}
    return render(request, "pages/report.html", context)


@router.post(
    "/tilbud/{id}/fejl",
    response_class=HTMLResponse,
    dependencies=[CsrfProtect, Depends(rate_limit("error-report", limit=10, per=600))],
)
def send_report(
    request: Request,
    id: str,
    session: SessionDep,
    locale: LocaleDep,
    text: Text = "",
    email: Annotated[str, Form(max_length=500)] = "",
    # A field people never see: only robots fill it in.
    website: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    name = _offer_name(session, id)
    context = {"offer_id": id, "offer_name": name, "text": text, "email": email}
    if website:
        return render(request, "pages/report_thanks.html", context)
    try:
        file_report(session, offer_id=id, text=text, email=email)
    except ReportError as exc:
        session.rollback()
        message = translate(locale, exc.message, exc.values)
        return render(request, "pages/report.html", {**context, "error": message}, 422)
    session.commit()
    return render(request, "pages/report_thanks.html", context)
