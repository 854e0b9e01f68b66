"""Accounts, sessions and tokens in the database.

A session id and an API token are random strings given to the browser or integration once;
the database keeps only their SHA-256. A session lasts at most ABSOLUTE and ends after IDLE
without use; disabling an account or setting its password deletes its sessions, so they end
at once. Every lookup checks that the account is still enabled.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete, select

from app.accounts.passwords import hash_password, needs_rehash, verify_password, weakness
from app.models import Account, ApiToken, LoginSession, Role, utcnow

ABSOLUTE = timedelta(hours=12)
IDLE = timedelta(hours=2)
# Only write last_seen_at when it moved this much, so every page view is not a write.
_TOUCH = timedelta(minutes=1)
TOKEN_PREFIX = "opt_"
# Compared against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is English, to translate."""


@dataclass(frozen=True)
class Who:
    """The account behind a request."""

    id: str
    email: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _who(account: Account) -> Who:
    return Who(id=account.id, email=account.email, role=account.role)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_account(session: Session, *, email: str, password: str, role: Role) -> Account:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise AccountError("That is not an e-mail address.")
    if session.exec(select(Account).where(col(Account.email) == email)).first() is not None:
        raise AccountError("There is already an account with that e-mail address.")
    problem = weakness(password, email)
    if problem:
        raise AccountError(problem)
    account = Account(
        id=str(uuid.uuid4()), email=email, password_hash=hash_password(password), role=role
    )
    session.add(account)
    return account


def find_account(session: Session, email: str) -> Account | None:
    return session.exec(select(Account).where(col(Account.email) == normalise_email(email))).first()


def authenticate(session: Session, email: str, password: str) -> Account | None:
    """The enabled account with this e-mail and password, or None (in the same time either way)."""
    account = find_account(session, email)
    if account is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(account.password_hash, password) or account.disabled:
        return None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


def set_password(session: Session, account: Account, password: str) -> None:
    problem = weakness(password, account.email)
    if problem:
        raise AccountError(problem)
    account.password_hash = hash_password(password)
    account.password_changed_at = utcnow()
    session.add(account)
    end_sessions(session, account.id)


def set_disabled(session: Session, account: Account, disabled: bool) -> None:
    account.disabled = disabled
    session.add(account)
    if disabled:
        end_sessions(session, account.id)


# ------------------------------------------------------------------------------- sessions


def start_session(session: Session, account: Account) -> str:
    """A new session for the account; returns the id for the cookie."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        LoginSession(
            id_hash=_digest(secret), account_id=account.id, created_at=now, last_seen_at=now,
            expires_at=now + ABSOLUTE,
        )
    )  # fmt: skip
    return secret


def session_account(session: Session, secret: str, *, now: datetime | None = None) -> Who | None:
    """The account of a live session id, or None (unknown, expired, idle or disabled)."""
    if not secret or len(secret) > 100:
        return None
    now = now or utcnow()
    row = session.get(LoginSession, _digest(secret))
    if row is None:
        return None
    account = session.get(Account, row.account_id)
    if account is None or account.disabled or now >= _aware(row.expires_at):
        session.delete(row)
        return None
    if now - _aware(row.last_seen_at) >= IDLE:
        session.delete(row)
        return None
    if now - _aware(row.last_seen_at) >= _TOUCH:
        row.last_seen_at = now
        session.add(row)
    return _who(account)


def end_session(session: Session, secret: str) -> None:
    session.exec(delete(LoginSession).where(col(LoginSession.id_hash) == _digest(secret)))


def end_sessions(session: Session, account_id: str) -> None:
    session.exec(delete(LoginSession).where(col(LoginSession.account_id) == account_id))


def purge_sessions(session: Session, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    session.exec(delete(LoginSession).where(col(LoginSession.expires_at) <= now))


# --------------------------------------------------------------------------------- tokens


def create_token(session: Session, account: Account) -> str:
    """A new API token for the account; returns it (it is never shown again)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            id=str(uuid.uuid4()), account_id=account.id, token_hash=_digest(token),
            prefix=token[: len(TOKEN_PREFIX) + 6],
        )
    )  # fmt: skip
    return token


def token_account(session: Session, token: str) -> Who | None:
    """The account of a valid, unrevoked token whose account is enabled, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = session.exec(select(ApiToken).where(col(ApiToken.token_hash) == _digest(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    account = session.get(Account, row.account_id)
    if account is None or account.disabled:
        return None
    now = utcnow()
    if row.last_used_at is None or now - _aware(row.last_used_at) >= _TOUCH:
        row.last_used_at = now
        session.add(row)
    return _who(account)


def revoke_token(session: Session, token_id: str) -> bool:
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.add(row)
    return True


def _aware(moment: datetime) -> datetime:
    # Some drivers give back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------- lists


@dataclass(frozen=True)
class TokenRow:
    id: str
    prefix: str
    email: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def list_accounts(session: Session) -> list[Account]:
    return list(session.exec(select(Account).order_by(col(Account.email))).all())


def list_tokens(session: Session) -> list[TokenRow]:
    rows = session.exec(
        select(ApiToken, Account)
        .join(Account, col(Account.id) == col(ApiToken.account_id))
        .order_by(col(ApiToken.created_at).desc())
    ).all()
    return [
        TokenRow(t.id, t.prefix, a.email, t.created_at, t.last_used_at, t.revoked_at)
        for t, a in rows
    ]
