"""Accounts and tokens from the command line: passwords only on standard input."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import Result

from app.accounts.passwords import weakness
from app.accounts.store import revoke_token, token_account
from app.config import Settings
from app.db import make_engine, session_scope
from app.models import Account, ApiToken, Role

GOOD = "lang-og-god-kode-42"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kort-kode", "at least 12 characters"),
        ("aaaaaaaaaaaaaaaa", "5 different characters"),
        ("passwordpassword", "too common"),
        ("anna.hansen-2026!", "e-mail address"),
        ("x" * 1001, "at most 1000"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(password: str, reason: str) -> None:
    problem = weakness(password, "anna.hansen@kommune.dk")
    assert problem is not None and reason in problem
    assert weakness(GOOD, "anna.hansen@kommune.dk") is None


def test_create_user_reads_the_password_from_stdin_and_never_prints_it(
    run_cli: Callable[..., Result], settings: Settings
) -> None:
    result = run_cli("create-user", "Anna@Kommune.dk", "--role", "admin", stdin=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "Created admin account anna@kommune.dk." in result.output
    assert GOOD not in result.output
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        account = session.exec(select(Account)).one()
        assert account.role == Role.ADMIN
        assert GOOD not in account.password_hash and account.password_hash.startswith("$argon2")
    engine.dispose()


@pytest.mark.parametrize(
    ("stdin", "message"),
    [("kort\n", "at least 12 characters"), (f"{GOOD}\nnoget-andet-helt\n", "not the same")],
)
def test_create_user_refuses_in_one_line(
    run_cli: Callable[..., Result], stdin: str, message: str
) -> None:
    result = run_cli("create-user", "anna@kommune.dk", stdin=stdin)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0]


def test_an_account_is_created_once(run_cli: Callable[..., Result]) -> None:
    assert run_cli("create-user", "anna@kommune.dk", stdin=GOOD).exit_code == 0
    again = run_cli("create-user", "ANNA@kommune.dk", stdin=GOOD)
    assert again.exit_code == 1 and "already an account" in again.output


def test_create_token_prints_it_alone_on_the_last_line_and_stores_only_a_hash(
    run_cli: Callable[..., Result], settings: Settings
) -> None:
    assert run_cli("create-user", "anna@kommune.dk", stdin=GOOD).exit_code == 0
    result = run_cli("create-token", "anna@kommune.dk")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("opt_") and " " not in token and len(token) > 40
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        row = session.exec(select(ApiToken)).one()
        assert token not in (row.token_hash, row.prefix)
        who = token_account(session, token)
        assert who is not None and who.email == "anna@kommune.dk"
        revoke_token(session, row.id)
    with session_scope(engine) as session:
        assert token_account(session, token) is None
    engine.dispose()
    unknown = run_cli("create-token", "ingen@kommune.dk")
    assert unknown.exit_code == 1 and "no enabled account" in unknown.output


def test_the_login_page_is_plain_and_safe(client: TestClient) -> None:
    page = client.get("/log-ind")
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.text
    assert page.headers["content-security-policy"]
