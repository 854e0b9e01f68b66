"""What the public sends in, waiting for staff: new offers, proposed changes, error reports.

A submission keeps only what it needs: the proposed offer (or the report's text), the e-mail
address given for an answer, and the SHA-256 of its private edit token; the privacy page
states this.
"""

import enum
from datetime import datetime

from sqlalchemy import Column, Text
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow


class SubmissionKind(enum.StrEnum):
    NEW = "new"
    CHANGE = "change"
    ERROR_REPORT = "error_report"


class SubmissionStatus(enum.StrEnum):
    OPEN = "open"
    APPROVED = "approved"  # for an error report: resolved
    REJECTED = "rejected"  # for an error report: dismissed


def _enum(kind: type[enum.StrEnum], length: int) -> Column:  # type: ignore[type-arg]
    return Column(
        SAEnum(
            kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
        ),
        nullable=False,
        index=True,
    )


class Submission(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    kind: SubmissionKind = Field(sa_column=_enum(SubmissionKind, 20))
    status: SubmissionStatus = Field(
        default=SubmissionStatus.OPEN, sa_column=_enum(SubmissionStatus, 10)
    )
    offer_id: str | None = Field(default=None, foreign_key="offer.id", index=True, max_length=36)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # The proposed HSDS service as JSON, or for an error report {"text": …}.
    payload: str = Field(sa_column=Column(Text, nullable=False))
    contact_email: str | None = Field(default=None, max_length=254)
    edit_token_hash: str | None = Field(default=None, max_length=64, index=True)
    decided_at: datetime | None = Field(default=None)
    decided_by: str | None = Field(default=None, max_length=254)
    # Why it was rejected (sent to the submitter), or a staff member's answer to a report.
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
