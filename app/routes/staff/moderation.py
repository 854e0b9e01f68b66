"""`/personale/moderation`: the open submissions and error reports, and deciding on them."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.catalogue.errors import CatalogueError
from app.deps import (
    LocaleDep,
    SearchDep,
    SessionDep,
    SettingsDep,
    StaffDep,
    VocabularyDep,
    require_staff_page,
)
from app.models import SubmissionKind
from app.submissions.api import revoke_links
from app.submissions.changes import change_diff
from app.submissions.decisions import settle
from app.submissions.duplicates import look_alikes
from app.submissions.moderation import MAX_REASON, open_items, open_submission
from app.web.csrf import CsrfProtect
from app.web.templating import render

router = APIRouter(prefix="/personale", dependencies=[Depends(require_staff_page)])


@router.get("/moderation", response_class=HTMLResponse)
def show_queue(
    request: Request,
    who: StaffDep,
    session: SessionDep,
    search: SearchDep,
    vocabulary: VocabularyDep,
) -> Response:
    items = open_items(session)
    similar = {
        item.id: look_alikes(session, search, name=item.offer_name, town=item.town)
        for item in items
        if item.kind == SubmissionKind.NEW
    }
    changes = {
        item.id: change_diff(session, open_submission(session, item.id), vocabulary)
        for item in items
        if item.kind == SubmissionKind.CHANGE
    }
    context = {"who": who, "items": items, "similar": similar, "changes": changes}
    response = render(request, "staff/pages/moderation.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/moderation/{item_id}/{decision}", dependencies=[CsrfProtect])
def decide_item(
    request: Request,
    item_id: Annotated[str, Path(max_length=36)],
    decision: Annotated[str, Path(pattern="^(godkend|afvis)$")],
    who: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    locale: LocaleDep,
    vocabulary: VocabularyDep,
    reason: Annotated[str, Form(max_length=MAX_REASON * 2)] = "",
) -> Response:
    try:
        settle(
            session, item_id, approve=decision == "godkend", reason=reason, who=who.email,
            locale=locale, settings=settings, engine=request.app.state.engine,
            vocabulary=vocabulary,
        )  # fmt: skip
    except LookupError:
        raise HTTPException(status_code=404) from None
    except CatalogueError:
        # A proposed change today's rules refuse: nothing changes.
        raise HTTPException(status_code=409) from None
    return RedirectResponse("/personale/moderation", status_code=303)


@router.post("/tilbud/{offer_id}/tilbagekald-link", dependencies=[CsrfProtect])
def revoke_edit_links(
    offer_id: Annotated[str, Path(max_length=36)], session: SessionDep
) -> Response:
    """End the sender's private edit links of an offer (e.g. when the association changed)."""
    if not revoke_links(session, offer_id):
        raise HTTPException(status_code=404)
    session.commit()
    return RedirectResponse(f"/personale/tilbud/{offer_id}?gemt=1", status_code=303)
