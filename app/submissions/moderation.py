"""The moderation queue: open items, and deciding on them (with mail to whoever asked)."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.catalogue.taxonomy import Vocabulary
from app.hsds.importer import IncomingService, upsert_services
from app.mail.outbox import queue
from app.models import (
    Offer,
    OfferState,
    OutboxMail,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    utcnow,
)

MAX_REASON = 2_000


@dataclass(frozen=True)
class QueueItem:
    id: str
    kind: SubmissionKind
    offer_id: str | None
    offer_name: str
    created: datetime
    summary: str
    has_contact: bool
    town: str = ""


def open_items(session: Session, *, limit: int = 200) -> list[QueueItem]:
    """Open submissions, oldest first."""
    rows = session.exec(
        select(Submission, Offer)
        .join(Offer, col(Offer.id) == col(Submission.offer_id), isouter=True)
        .where(col(Submission.status) == SubmissionStatus.OPEN)
        .order_by(col(Submission.created_at), col(Submission.id))
        .limit(limit)
    ).all()
    return [
        QueueItem(
            id=submission.id,
            kind=submission.kind,
            offer_id=submission.offer_id,
            offer_name=offer.name if offer else "",
            created=submission.created_at,
            summary=summary_of(submission),
            has_contact=submission.contact_email is not None,
            town=_town(submission),
        )
        for submission, offer in rows
    ]


def _town(submission: Submission) -> str:
    payload = json.loads(submission.payload)
    for link in payload.get("service_at_locations") or []:
        for address in (link.get("location") or {}).get("addresses") or []:
            return str(address.get("city") or "")
    return ""


def summary_of(submission: Submission) -> str:
    payload = json.loads(submission.payload)
    text = payload.get("text") or payload.get("description") or payload.get("name") or ""
    return str(text)[:500]


def _apply_change(session: Session, submission: Submission, vocabulary: Vocabulary) -> None:
    """Write a proposed change over the offer, keeping its state and source; the import's
    rules apply again (CatalogueError when today's rules refuse it)."""
    offer = session.get(Offer, submission.offer_id)
    if offer is None:
        raise LookupError(submission.offer_id)
    service = json.loads(submission.payload)
    item = IncomingService(data=service, label=offer.name, state=offer.state, source=offer.source)
    upsert_services(session=session, items=[item], vocabulary=vocabulary)


def proposed_service(submission: Submission) -> dict[str, Any] | None:
    """The HSDS service a proposed change asks for; None for the other kinds (a new offer is
    already stored, pending)."""
    if submission.kind != SubmissionKind.CHANGE:
        return None
    service: dict[str, Any] = json.loads(submission.payload)
    return service


def approved_state(submission: Submission, offer: Offer) -> OfferState:
    """The state an offer gets when its item is approved: a new offer is published."""
    return OfferState.PUBLISHED if submission.kind == SubmissionKind.NEW else offer.state


def open_submission(session: Session, submission_id: str) -> Submission:
    """An open item; LookupError when it is unknown or already decided."""
    submission = session.get(Submission, submission_id)
    if submission is None or submission.status != SubmissionStatus.OPEN:
        raise LookupError(submission_id)
    return submission


def decide(
    session: Session,
    submission: Submission,
    *,
    approve: bool,
    reason: str,
    who: str,
    mail: tuple[str, str] | None,
    vocabulary: Vocabulary,
    edited: bool = False,
) -> OutboxMail | None:
    """Close an open item. A new offer is published when approved and stays hidden (retired)
    when rejected; an approved change is written over the offer, unless staff `edited` the
    offer themselves (their version is the one approved); `mail` (subject and body, in the
    reader's words) is queued for the submitter when they left an address. The caller commits."""
    submission.status = SubmissionStatus.APPROVED if approve else SubmissionStatus.REJECTED
    submission.reason = reason.strip()[:MAX_REASON] or None
    submission.decided_at = utcnow()
    submission.decided_by = who
    session.add(submission)
    if submission.kind == SubmissionKind.CHANGE and approve and not edited and submission.offer_id:
        _apply_change(session, submission, vocabulary)
    if submission.kind == SubmissionKind.NEW and submission.offer_id:
        offer = session.get(Offer, submission.offer_id)
        if offer is not None and offer.state == OfferState.PENDING:
            offer.state = OfferState.PUBLISHED if approve else OfferState.RETIRED
            offer.updated_at = utcnow()
            session.add(offer)
    if mail is not None and submission.contact_email:
        subject, body = mail
        return queue(
            session, to=submission.contact_email, subject=subject, body=body, kind="decision"
        )
    return None
