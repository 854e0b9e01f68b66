"""`GET` and `PATCH /api/offers/{id}`: an offer with its staff facts and workflow.

Bearer tokens only (no cookies, so no CSRF token); a PATCH must say `Content-Type:
application/json`. Bad input gets 422 `{"errors": [{"field", "message"}]}`, the messages in
the language of `Accept-Language`.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from app.deps import LocaleDep, SessionDep, TokenDep, VocabularyDep, require_token
from app.models import Offer
from app.routes.api.json_body import BadJson, json_body, not_json
from app.routes.api.openapi import staff_openapi
from app.staff import editor
from app.staff.api import offer_json, patch_offer
from app.staff.editor_page import message

router = APIRouter(prefix="/api", dependencies=[Depends(require_token)])
# The description of the API is public: it holds no data.
documentation = APIRouter(prefix="/api")

OfferId = Annotated[str, Path(max_length=36)]


def _offer(session: SessionDep, offer_id: str) -> Offer:
    offer = editor.load(session, offer_id)
    if offer is None:
        raise HTTPException(status_code=404, detail="No offer with that id")
    return offer


@router.get("/offers/{offer_id}")
def get_offer(offer_id: OfferId, session: SessionDep) -> JSONResponse:
    return _json(offer_json(_offer(session, offer_id)))


@router.patch("/offers/{offer_id}")
async def change_offer(
    request: Request,
    offer_id: OfferId,
    who: TokenDep,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
) -> JSONResponse:
    try:
        body: Any = await json_body(request)
    except BadJson:
        return not_json(locale)
    offer = _offer(session, offer_id)
    errors = patch_offer(session, offer, body, who=who, vocabulary=vocabulary)
    if errors:
        session.rollback()
        return _errors([(error.name, message(locale, error)) for error in errors])
    session.commit()
    session.expire_all()
    return _json(offer_json(_offer(session, offer_id)))


@documentation.get("/openapi.json", include_in_schema=False)
def show_openapi() -> JSONResponse:
    return JSONResponse(staff_openapi())


def _json(data: dict[str, Any]) -> JSONResponse:
    return JSONResponse(data, headers={"Cache-Control": "no-store"})


def _errors(errors: list[tuple[str, str]]) -> JSONResponse:
    body = {"errors": [{"field": field, "message": text} for field, text in errors]}
    return JSONResponse(body, status_code=422, headers={"Cache-Control": "no-store"})
