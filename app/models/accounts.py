"""Staff accounts, their log-in sessions and API tokens.

Secrets are never stored: a password as its argon2 hash, a session id and an API token as
the SHA-256 of a random value (they are long random strings, so a fast hash suffices).
"""

import enum
from datetime import datetime

from sqlalchemy import Column
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow


class Role(enum.StrEnum):
    STAFF = "staff"
    ADMIN = "admin"


class Account(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    # Lower-cased; one account per address.
    email: str = Field(unique=True, max_length=254)
    password_hash: str = Field(max_length=200)
    role: Role = Field(
        sa_column=Column(
            SAEnum(
                Role, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]
            ),
            nullable=False,
        )
    )
    disabled: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)


# A logged-in browser. Deleting the rows ends the sessions at once (disable, reset, log-out).
class LoginSession(SQLModel, table=True):
    id_hash: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(foreign_key="account.id", index=True, max_length=36)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)


# A token for an integration, acting as its account.
class ApiToken(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    account_id: str = Field(foreign_key="account.id", index=True, max_length=36)
    token_hash: str = Field(unique=True, max_length=64)
    # The first characters of the token, so admins can tell tokens apart.
    prefix: str = Field(max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None)
