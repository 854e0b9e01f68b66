"""Friendly error pages in the user's language; JSON under /hsds and /api. Never a traceback.

Starlette answers an unexpected exception in its outermost layer, outside every middleware, so
that answer would miss the security headers and the access log. `ServerErrorPages` sits inside
them instead and answers with the 500 page itself; the handler on `Exception` stays as the last
resort for a failure in a middleware.
"""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.csrf import CsrfRejected
from app.web.ratelimit import RateLimited
from app.web.templating import render

logger = logging.getLogger("opslagstavle.error")

# Served when even the error page cannot be rendered (a broken template or locale).
_BARE_500 = (
    '<!doctype html><html lang="da"><meta charset="utf-8"><title>Der gik noget galt</title>'
    "<h1>Der gik noget galt</h1><p>Prøv igen om lidt.</p>"
    '<p lang="en">Something went wrong. Please try again in a moment.</p>'
    '<p><a href="/">Forsiden</a></p></html>'
)


def is_api(path: str) -> bool:
    """The HSDS API and the staff JSON API answer errors in JSON."""
    return path in ("/hsds", "/api") or path.startswith(("/hsds/", "/api/"))


def error_page(request: Request, status: int, **context: object) -> Response:
    """The error page for a status, in the request's language (JSON under /hsds)."""
    if is_api(request.url.path):
        detail = "Internal error" if status >= 500 else context.get("detail", "Error")
        return JSONResponse({"detail": detail}, status_code=status)
    try:
        return render(request, "pages/error.html", {"status": status, **context}, status)
    except Exception:
        logger.exception("could not render the error page")
        return HTMLResponse(_BARE_500, status_code=500)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    extra: dict[str, object] = {"detail": exc.detail}
    if isinstance(exc, RateLimited):
        extra["retry_minutes"] = exc.minutes
    # A refused form explains cookies and reloading; a refused page says who may see it.
    extra["form_refused"] = isinstance(exc, CsrfRejected)
    response = error_page(request, exc.status_code, **extra)
    for name, value in (exc.headers or {}).items():  # Allow, Retry-After
        response.headers[name] = value
    return response


async def invalid_request(request: Request, _exc: Exception) -> Response:
    return error_page(request, 400, detail="Invalid request")


async def server_error(request: Request, _exc: Exception) -> Response:
    return error_page(request, 500)


def install_error_pages(app: FastAPI) -> None:
    """Register the handlers; add `ServerErrorPages` as the innermost middleware too."""
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, server_error)


class ServerErrorPages:
    """Turns an unexpected exception into the 500 page, and its traceback into a log record."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = finished = False

        async def send_and_note(message: Message) -> None:
            nonlocal started, finished
            if message["type"] == "http.response.start":
                started = True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                finished = True
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception:
            if started and not finished:
                raise  # too late for another answer: the server closes the connection
            # The path only: search words in the query string stay out of the log.
            logger.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if not started:
                response = error_page(Request(scope, receive), 500)
                await response(scope, receive, send)
