"""Every mail the app sends, kept in an outbox: what, to whom, and how sending went."""

import enum
from datetime import datetime

from sqlalchemy import Column, Text
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow


class MailStatus(enum.StrEnum):
    QUEUED = "queued"  # not sent (no SMTP server configured, or not tried yet)
    SENT = "sent"
    FAILED = "failed"


class OutboxMail(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    # What the mail is about: "edit-link", "decision", "answer", …
    kind: str = Field(max_length=30)
    status: MailStatus = Field(
        default=MailStatus.QUEUED,
        sa_column=Column(
            SAEnum(
                MailStatus,
                native_enum=False,
                length=10,
                values_callable=lambda e: [m.value for m in e],
            ),
            nullable=False,
            index=True,
        ),
    )
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = Field(default=None)
