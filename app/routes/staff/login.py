"""Log-in `/log-ind` and log-out `/log-ud`.

A new session id at every log-in (the old one, if any, ends). Failed attempts count towards a
temporary lock-out per e-mail and per address; the message is the same whether the e-mail
exists, the password is wrong or the account is disabled.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.lockout import LoginGuard
from app.accounts.store import authenticate, end_session, purge_sessions, start_session
from app.deps import SESSION_COOKIE, LocaleDep, SessionDep, WhoDep
from app.web.csrf import CsrfProtect
from app.web.ratelimit import client_address, rate_limit
from app.web.templating import render
from app.web.urls import is_hostile_path

router = APIRouter()

DASHBOARD = "/personale/"
_MAX_FIELD = 1_000


def safe_next(value: str | None) -> str:
    """Where to go after log-in: a path on this site, else the dashboard."""
    if not value or not value.startswith("/") or is_hostile_path(value) or len(value) > 500:
        return DASHBOARD
    return value


@router.get("/log-ind", response_class=HTMLResponse)
def show_login(request: Request, who: WhoDep, naeste: str | None = None) -> Response:
    if who is not None:
        return RedirectResponse(safe_next(naeste), status_code=303)
    return render(request, "staff/pages/login.html", {"next": safe_next(naeste), "email": ""})


@router.post(
    "/log-ind",
    response_class=HTMLResponse,
    dependencies=[CsrfProtect, Depends(rate_limit("login", limit=300, per=600))],
)
def log_in(
    request: Request,
    session: SessionDep,
    locale: LocaleDep,
    email: Annotated[str, Form(max_length=_MAX_FIELD)] = "",
    password: Annotated[str, Form(max_length=_MAX_FIELD)] = "",
    naeste: Annotated[str, Form(max_length=_MAX_FIELD)] = "",
) -> Response:
    gettext = locale.gettext
    guard = LoginGuard(request.app.state.rate_limits)
    address = client_address(request)
    context = {"next": safe_next(naeste), "email": email.strip()[:254]}
    wait = guard.locked_for(email, address)
    if wait:
        minutes = -(-wait // 60)
        message = gettext(
            "Too many failed attempts. Try again in %(minutes)s min.", minutes=minutes
        )
        return render(request, "staff/pages/login.html", {**context, "error": message}, 429)
    account = authenticate(session, email, password)
    if account is None:
        guard.failed(email, address)
        session.rollback()
        message = gettext("The e-mail address or the password is wrong.")
        return render(request, "staff/pages/login.html", {**context, "error": message}, 400)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        end_session(session, old)
    secret = start_session(session, account)
    # Ended sessions are cleared here, so the table holds only live ones.
    purge_sessions(session)
    session.commit()
    response = RedirectResponse(safe_next(naeste), status_code=303)
    _set_cookie(request, response, secret)
    return response


@router.post("/log-ud", dependencies=[CsrfProtect])
def log_out(request: Request, session: SessionDep) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        end_session(session, secret)
        session.commit()
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


def _set_cookie(request: Request, response: Response, secret: str) -> None:
    secure = request.app.state.settings.BASE_URL.lower().startswith("https://")
    # No Max-Age: the cookie ends with the browser; the server ends the session anyway.
    response.set_cookie(
        SESSION_COOKIE, secret, path="/", httponly=True, samesite="lax", secure=secure
    )
