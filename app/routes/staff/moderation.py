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
from app.models import Offer, Submission, SubmissionKind
from app.staff import editor
from app.staff.editor_page import Approval, editor_page
from app.submissions.api import revoke_links
from app.submissions.changes import change_diff
from app.submissions.decisions import settle
from app.submissions.duplicates import look_alikes
from app.submissions.moderation import (
    MAX_REASON,
    approved_state,
    open_items,
    open_submission,
    proposed_service,
    summary_of,
)
from app.web.csrf import CsrfProtect
from app.web.templating import no_store, render

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
    return no_store(render(request, "staff/pages/moderation.html", context))


def _item(session: SessionDep, item_id: str) -> tuple[Submission, Offer]:
    try:
        submission = open_submission(session, item_id)
    except LookupError:
        raise HTTPException(status_code=404) from None
    offer = editor.load(session, submission.offer_id) if submission.offer_id else None
    if offer is None:
        raise HTTPException(status_code=404)
    return submission, offer


def _approval(submission: Submission) -> Approval:
    has_contact = submission.contact_email is not None
    return Approval(submission.id, submission.kind.value, summary_of(submission), has_contact)


@router.get("/moderation/{item_id}/rediger", response_class=HTMLResponse)
def edit_item(
    request: Request,
    item_id: Annotated[str, Path(max_length=36)],
    who: StaffDep,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
) -> Response:
    """The offer as the item would leave it, in the editor: correct it, then approve."""
    submission, offer = _item(session, item_id)
    state = approved_state(submission, offer)
    values = editor.proposed_values(offer, proposed_service(submission), state, vocabulary)
    page = editor_page(
        offer, values, vocabulary=vocabulary, locale=locale, approval=_approval(submission)
    )
    return no_store(render(request, "staff/pages/editor.html", {"who": who, "page": page}))


@router.post(
    "/moderation/{item_id}/rediger", response_class=HTMLResponse, dependencies=[CsrfProtect]
)
async def approve_edited(
    request: Request,
    item_id: Annotated[str, Path(max_length=36)],
    who: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
) -> Response:
    """Save the staff member's version of the offer and approve the item, in one step."""
    submission, offer = _item(session, item_id)
    form = await request.form()
    fields = {key: [str(v) for v in form.getlist(key)] for key in form}
    values = editor.read_form(fields)
    values.state = approved_state(submission, offer).value
    reason = (fields.get("reason") or [""])[0][: MAX_REASON * 2]
    errors = editor.save(session, offer, values, who=who, vocabulary=vocabulary, kind="moderation")
    if errors:
        approval = _approval(submission)
        session.rollback()
        offer = _item(session, item_id)[1]
        page = editor_page(
            offer, values, vocabulary=vocabulary, locale=locale, errors=errors, approval=approval
        )
        return no_store(render(request, "staff/pages/editor.html", {"who": who, "page": page}, 422))
    try:
        settle(
            session, item_id, approve=True, reason=reason, who=who.email, locale=locale,
            settings=settings, engine=request.app.state.engine, vocabulary=vocabulary,
            edited=True,
        )  # fmt: skip
    except LookupError:
        session.rollback()
        raise HTTPException(status_code=404) from None
    return RedirectResponse("/personale/moderation", status_code=303)


# After the editing routes: its {decision} would match "rediger" and refuse it.
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
