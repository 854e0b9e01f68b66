"""Admins manage accounts (`/personale/konti`) and API tokens (`/personale/tokens`)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.store import (
    AccountError,
    create_account,
    create_token,
    find_account,
    list_accounts,
    list_tokens,
    revoke_token,
    set_disabled,
    set_password,
)
from app.deps import AdminDep, LocaleDep, SessionDep, require_admin_page
from app.models import Account, Role
from app.web.csrf import CsrfProtect
from app.web.templating import render

router = APIRouter(prefix="/personale", dependencies=[Depends(require_admin_page)])

Id = Annotated[str, Path(max_length=36)]
Text = Annotated[str, Form(max_length=1_000)]


def _page(request: Request, name: str, context: dict[str, object], status: int = 200) -> Response:
    response = render(request, name, context, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _accounts_page(
    request: Request, session: SessionDep, who: AdminDep, status: int = 200, **extra: object
) -> Response:
    context = {"who": who, "accounts": list_accounts(session), "roles": list(Role), **extra}
    return _page(request, "staff/pages/accounts.html", context, status)


@router.get("/konti", response_class=HTMLResponse)
def show_accounts(request: Request, who: AdminDep, session: SessionDep) -> Response:
    return _accounts_page(request, session, who)


@router.post("/konti", response_class=HTMLResponse, dependencies=[CsrfProtect])
def add_account(
    request: Request,
    who: AdminDep,
    session: SessionDep,
    locale: LocaleDep,
    email: Text = "",
    role: Text = "staff",
    password: Text = "",
) -> Response:
    try:
        chosen = Role(role)
        create_account(session, email=email, password=password, role=chosen)
    except ValueError as exc:
        session.rollback()
        text = (
            locale.gettext(str(exc))
            if isinstance(exc, AccountError)
            else locale.gettext("Choose a role from the list.")
        )
        return _accounts_page(request, session, who, 422, error=text, email=email.strip()[:254])
    session.commit()
    return RedirectResponse("/personale/konti?oprettet=1", status_code=303)


def _account(session: SessionDep, account_id: str) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise HTTPException(status_code=404)
    return account


@router.post("/konti/{account_id}/status", dependencies=[CsrfProtect])
def change_status(
    request: Request,
    account_id: Id,
    who: AdminDep,
    session: SessionDep,
    locale: LocaleDep,
    disabled: Text = "",
) -> Response:
    account = _account(session, account_id)
    if account.id == who.id:
        message = locale.gettext("You cannot disable your own account.")
        return _accounts_page(request, session, who, 422, error=message)
    set_disabled(session, account, disabled == "1")
    session.commit()
    return RedirectResponse("/personale/konti", status_code=303)


@router.post("/konti/{account_id}/adgangskode", dependencies=[CsrfProtect])
def reset_password(
    request: Request,
    account_id: Id,
    who: AdminDep,
    session: SessionDep,
    locale: LocaleDep,
    password: Text = "",
) -> Response:
    account = _account(session, account_id)
    try:
        set_password(session, account, password)
    except AccountError as exc:
        session.rollback()
        return _accounts_page(request, session, who, 422, error=locale.gettext(str(exc)))
    session.commit()
    return RedirectResponse("/personale/konti?ny_kode=1", status_code=303)


@router.get("/tokens", response_class=HTMLResponse)
def show_tokens(request: Request, who: AdminDep, session: SessionDep) -> Response:
    context = {"who": who, "tokens": list_tokens(session), "new_token": None}
    return _page(request, "staff/pages/tokens.html", context)


@router.post("/tokens", response_class=HTMLResponse, dependencies=[CsrfProtect])
def add_token(
    request: Request, who: AdminDep, session: SessionDep, locale: LocaleDep, email: Text = ""
) -> Response:
    account = find_account(session, email)
    if account is None or account.disabled:
        context = {
            "who": who,
            "tokens": list_tokens(session),
            "new_token": None,
            "error": locale.gettext("There is no enabled account with that e-mail address."),
        }
        return _page(request, "staff/pages/tokens.html", context, 422)
    token = create_token(session, account)
    session.commit()
    context = {"who": who, "tokens": list_tokens(session), "new_token": token}
    return _page(request, "staff/pages/tokens.html", context)


@router.post("/tokens/{token_id}/tilbagekald", dependencies=[CsrfProtect])
def revoke(token_id: Id, session: SessionDep) -> Response:
    if not revoke_token(session, token_id):
        raise HTTPException(status_code=404)
    session.commit()
    return RedirectResponse("/personale/tokens", status_code=303)
