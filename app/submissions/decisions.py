"""Deciding an open item, for the queue page and the JSON API alike: close it, apply what it
asks, tell the sender (mail queued, then one attempt to send it)."""

from sqlalchemy import Engine
from sqlmodel import Session

from app.catalogue.taxonomy import Vocabulary
from app.config import Settings
from app.i18n import UILocale
from app.mail.outbox import send_queued
from app.submissions.letters import decision_mail
from app.submissions.moderation import decide, open_submission


def settle(
    session: Session,
    item_id: str,
    *,
    approve: bool,
    reason: str,
    who: str,
    locale: UILocale,
    settings: Settings,
    engine: Engine,
    vocabulary: Vocabulary,
    edited: bool = False,
) -> None:
    """Commit the decision and try the mail once. LookupError for an unknown or decided
    item; CatalogueError when today's rules refuse a proposed change (nothing changed)."""
    submission = open_submission(session, item_id)
    letter = decision_mail(
        locale, settings.SITE_NAME, submission.kind, approve=approve, reason=reason.strip()
    )
    try:
        mail = decide(
            session, submission, approve=approve, reason=reason, who=who, mail=letter,
            vocabulary=vocabulary, edited=edited,
        )  # fmt: skip
    except Exception:
        session.rollback()
        raise
    session.commit()
    if mail is not None and mail.id is not None:
        send_queued(engine, settings, [mail.id])
