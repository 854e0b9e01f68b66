"""Dependencies routes declare with `Annotated` aliases."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from app.accounts.store import Who, session_account, token_account
from app.catalogue.taxonomy import Vocabulary, load_vocabulary
from app.catalogue.visibility import Viewer, may_edit_offers, may_manage_accounts, viewer_for
from app.config import Settings
from app.i18n import UILocale, resolve_locale
from app.search import SearchService


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_search(request: Request) -> SearchService:
    search: SearchService = request.app.state.search
    return search


def get_vocabulary(request: Request) -> Vocabulary:
    return load_vocabulary(request.app.state.settings.taxonomy_path)


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
VocabularyDep = Annotated[Vocabulary, Depends(get_vocabulary)]
LocaleDep = Annotated[UILocale, Depends(resolve_locale)]
SearchDep = Annotated[SearchService, Depends(get_search)]


# ------------------------------------------------------------------------------ who asks

SESSION_COOKIE = "sid"


class LoginRequired(Exception):
    """A staff page asked for without a live session: the handler redirects to log-in."""

    def __init__(self, back_to: str) -> None:
        self.back_to = back_to


def current_account(request: Request) -> Who | None:
    """The account of the request's session cookie, looked up once per request."""
    if not hasattr(request.state, "who"):
        who = None
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            with Session(request.app.state.engine) as session:
                who = session_account(session, secret)
                session.commit()
        request.state.who = who
    found: Who | None = request.state.who
    return found


def current_viewer(request: Request) -> Viewer:
    who = current_account(request)
    return viewer_for(who.role if who else None)


def require_staff_page(request: Request) -> Who:
    """For staff pages: the logged-in staff member or admin, else a redirect to log-in."""
    who = current_account(request)
    if who is None or not may_edit_offers(viewer_for(who.role)):
        query = request.url.query
        raise LoginRequired(request.url.path + (f"?{query}" if query else ""))
    return who


def require_admin_page(request: Request) -> Who:
    """For admin pages: an admin; staff get 403, anonymous visitors the log-in page."""
    who = require_staff_page(request)
    if not may_manage_accounts(viewer_for(who.role)):
        raise HTTPException(status_code=403)
    return who


WhoDep = Annotated[Who | None, Depends(current_account)]
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
StaffDep = Annotated[Who, Depends(require_staff_page)]
AdminDep = Annotated[Who, Depends(require_admin_page)]


def require_token(request: Request) -> Who:
    """For the JSON API: the account of a valid `Authorization: Bearer` token, else 401."""
    # The router and the route both ask: look the token up once per request.
    if not hasattr(request.state, "token_who"):
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        found = None
        if scheme.lower() == "bearer" and token.strip():
            with Session(request.app.state.engine) as session:
                found = token_account(session, token.strip())
                session.commit()
        request.state.token_who = found
    who: Who | None = request.state.token_who
    if who is None:
        raise HTTPException(
            status_code=401,
            detail="A valid API token is needed: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not may_edit_offers(viewer_for(who.role)):
        raise HTTPException(status_code=403, detail="This token may not do that")
    return who


TokenDep = Annotated[Who, Depends(require_token)]
