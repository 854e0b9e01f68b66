"""Reading and answering JSON for the JSON API: only application/json, bounded, errors as
`422 {"errors": [{"field", "message"}]}` in the language of Accept-Language."""

import json
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from app.i18n import UILocale, translate

MAX_BODY = 1_000_000


class BadJson(Exception):
    """The body is not JSON (answered as a 422 field error)."""


async def json_body(request: Request) -> Any:
    """The request's JSON body; 415 for another content type, 413 when too large."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(status_code=415, detail="Send the body as application/json")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise HTTPException(status_code=413, detail="The body is too large")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise BadJson from None


def no_store(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status_code, headers={"Cache-Control": "no-store"})


def field_errors(
    locale: UILocale, errors: list[tuple[str, str, dict[str, object]]]
) -> JSONResponse:
    """422 with each (field, msgid, values) translated."""
    items = [
        {"field": field, "message": translate(locale, message, values)}
        for field, message, values in errors
    ]
    return no_store({"errors": items}, 422)


def not_json(locale: UILocale) -> JSONResponse:
    return field_errors(locale, [("", "The body is not valid JSON.", {})])
