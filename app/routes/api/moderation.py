"""The moderation queue for staff tokens: `GET /api/moderation`, and approve or reject."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from app.catalogue.errors import CatalogueError
from app.deps import LocaleDep, SessionDep, SettingsDep, TokenDep, VocabularyDep, require_token
from app.routes.api.json_body import BadJson, field_errors, json_body, no_store, not_json
from app.submissions.decisions import settle
from app.submissions.moderation import MAX_REASON, open_items

router = APIRouter(prefix="/api", dependencies=[Depends(require_token)])

ItemId = Annotated[str, Path(max_length=36)]


@router.get("/moderation")
def list_open(session: SessionDep) -> JSONResponse:
    return no_store(
        [
            {
                "id": item.id,
                "kind": item.kind.value,
                "offer_id": item.offer_id,
                "created": item.created.isoformat(),
                "summary": item.summary,
            }
            for item in open_items(session)
        ]
    )


async def _decide(
    request: Request, item_id: str, approve: bool, who: Any, session: SessionDep,
    vocabulary: Any, locale: Any, settings: Any,
) -> JSONResponse:  # fmt: skip
    reason = ""
    if not approve or await request.body():
        try:
            body = await json_body(request)
        except BadJson:
            return not_json(locale)
        if not isinstance(body, dict) or not isinstance(body.get("reason", ""), str):
            return field_errors(locale, [("reason", "Must be text or null.", {})])
        reason = body.get("reason") or ""
        if len(reason) > MAX_REASON:
            values: dict[str, object] = {"limit": MAX_REASON}
            return field_errors(locale, [("reason", "Write at most {limit} characters.", values)])
    try:
        settle(
            session, item_id, approve=approve, reason=reason, who=who.email, locale=locale,
            settings=settings, engine=request.app.state.engine, vocabulary=vocabulary,
        )  # fmt: skip
    except LookupError:
        raise HTTPException(status_code=404, detail="No open item with that id") from None
    except CatalogueError:
        raise HTTPException(status_code=409, detail="Today's rules refuse this change") from None
    return no_store({"id": item_id, "status": "approved" if approve else "rejected"})


@router.post("/moderation/{item_id}/approve")
async def approve_item(
    request: Request, item_id: ItemId, who: TokenDep, session: SessionDep,
    vocabulary: VocabularyDep, locale: LocaleDep, settings: SettingsDep,
) -> JSONResponse:  # fmt: skip
    return await _decide(request, item_id, True, who, session, vocabulary, locale, settings)


@router.post("/moderation/{item_id}/reject")
async def reject_item(
    request: Request, item_id: ItemId, who: TokenDep, session: SessionDep,
    vocabulary: VocabularyDep, locale: LocaleDep, settings: SettingsDep,
) -> JSONResponse:  # fmt: skip
    return await _decide(request, item_id, False, who, session, vocabulary, locale, settings)
