"""The staff offer editor `/personale/tilbud/{id}`, its history and restore."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import LocaleDep, SessionDep, StaffDep, VocabularyDep, require_staff_page
from app.models import Offer
from app.staff import editor
from app.staff.editor_page import editor_page
from app.staff.history import history
from app.staff.labels import field_labels
from app.submissions.api import has_link
from app.web.csrf import CsrfProtect
from app.web.templating import no_store, render

router = APIRouter(prefix="/personale", dependencies=[Depends(require_staff_page)])

OfferId = Annotated[str, Path(max_length=36)]


def _offer(session: SessionDep, offer_id: str) -> Offer:
    offer = editor.load(session, offer_id)
    if offer is None:
        raise HTTPException(status_code=404)
    return offer


@router.get("/tilbud/{offer_id}", response_class=HTMLResponse)
def show_editor(
    request: Request,
    offer_id: OfferId,
    who: StaffDep,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
    gemt: int = 0,
) -> Response:
    offer = _offer(session, offer_id)
    values = editor.values_of(offer, vocabulary)
    page = editor_page(offer, values, vocabulary=vocabulary, locale=locale, saved=gemt == 1)
    context = {"who": who, "page": page, "has_link": has_link(session, offer_id)}
    return no_store(render(request, "staff/pages/editor.html", context))


@router.post("/tilbud/{offer_id}", response_class=HTMLResponse, dependencies=[CsrfProtect])
async def save_offer(
    request: Request,
    offer_id: OfferId,
    who: StaffDep,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
) -> Response:
    offer = _offer(session, offer_id)
    form = await request.form()
    values = editor.read_form({key: [str(v) for v in form.getlist(key)] for key in form})
    errors = editor.save(session, offer, values, who=who, vocabulary=vocabulary)
    if errors:
        session.rollback()
        offer = _offer(session, offer_id)
        page = editor_page(offer, values, vocabulary=vocabulary, locale=locale, errors=errors)
        context = {"who": who, "page": page}
        return no_store(render(request, "staff/pages/editor.html", context, 422))
    session.commit()
    return RedirectResponse(f"/personale/tilbud/{offer_id}?gemt=1", status_code=303)


@router.post("/tilbud/{offer_id}/bekraeft", dependencies=[CsrfProtect])
def confirm_offer(
    offer_id: OfferId, who: StaffDep, session: SessionDep, vocabulary: VocabularyDep
) -> Response:
    offer = _offer(session, offer_id)
    editor.confirm_today(session, offer, who=who, vocabulary=vocabulary)
    session.commit()
    return RedirectResponse(f"/personale/tilbud/{offer_id}?gemt=1", status_code=303)


@router.get("/tilbud/{offer_id}/historik", response_class=HTMLResponse)
def show_history(
    request: Request,
    offer_id: OfferId,
    who: StaffDep,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
) -> Response:
    offer = _offer(session, offer_id)
    context = {
        "who": who,
        "offer": offer,
        "revisions": history(session, offer_id, vocabulary),
        "labels": field_labels(locale),
    }
    return no_store(render(request, "staff/pages/history.html", context))


@router.post("/tilbud/{offer_id}/historik/{number}/gendan", dependencies=[CsrfProtect])
def restore_revision(
    offer_id: OfferId,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
    who: StaffDep,
    session: SessionDep,
    vocabulary: VocabularyDep,
) -> Response:
    offer = _offer(session, offer_id)
    errors = editor.restore(session, offer, number, who=who, vocabulary=vocabulary)
    if errors is None:
        raise HTTPException(status_code=404)
    if errors:
        # An old version the rules of today refuse: nothing changes.
        session.rollback()
        raise HTTPException(status_code=409)
    session.commit()
    return RedirectResponse(f"/personale/tilbud/{offer_id}/historik", status_code=303)
