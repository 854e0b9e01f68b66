"""`POST /api/submissions` (a new offer, no account), `GET`/`PUT /api/submissions/{token}`
(how it went; propose a change). Public write endpoints: rate limited per address."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from app.deps import LocaleDep, SessionDep, SettingsDep, VocabularyDep
from app.routes.api.json_body import BadJson, field_errors, json_body, no_store, not_json
from app.submissions.api import find_original, latest, propose_change, read_service, status_of
from app.submissions.new_offer import new_offer_id, submit
from app.web.ratelimit import rate_limit

router = APIRouter(prefix="/api")

Token = Annotated[str, Path(max_length=100)]
_LIMIT = Depends(rate_limit("api-submit", limit=20, per=600))


@router.post("/submissions", dependencies=[_LIMIT])
async def create_submission(
    request: Request,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
    settings: SettingsDep,
) -> JSONResponse:
    try:
        body = await json_body(request)
    except BadJson:
        return not_json(locale)
    offer_id = new_offer_id()
    service, problems = read_service(session, body, vocabulary, offer_id=offer_id)
    if service is None:
        return field_errors(locale, [(p.name, p.message, p.values) for p in problems])
    contact = service.get("email") or (service.get("organization") or {}).get("email")
    _, token = submit(session, service, contact_email=contact or None, vocabulary=vocabulary)
    session.commit()
    edit_url = f"{settings.BASE_URL.rstrip('/')}/api/submissions/{token}"
    return no_store({"id": offer_id, "status": "pending", "edit_url": edit_url}, 201)


@router.get("/submissions/{token}")
def show_submission(token: Token, session: SessionDep) -> JSONResponse:
    original = find_original(session, token)
    if original is None:
        raise HTTPException(status_code=404, detail="No submission with that link")
    return no_store(status_of(latest(session, original)))


@router.put("/submissions/{token}", dependencies=[_LIMIT])
async def change_submission(
    request: Request,
    token: Token,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
) -> JSONResponse:
    original = find_original(session, token)
    if original is None or original.offer_id is None:
        raise HTTPException(status_code=404, detail="No submission with that link")
    try:
        body = await json_body(request)
    except BadJson:
        return not_json(locale)
    service, problems = read_service(session, body, vocabulary, offer_id=original.offer_id)
    if service is None:
        return field_errors(locale, [(p.name, p.message, p.values) for p in problems])
    change = propose_change(session, original, service)
    session.commit()
    return no_store({"id": original.offer_id, "status": "pending", "change": change.id}, 202)
