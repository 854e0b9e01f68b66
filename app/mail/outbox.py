"""The outbox: queue a plain-text mail, try to send it once, record how it went.

Plain text only, so nothing a person typed can become markup in a mail. Header values lose
line breaks and control characters (no header injection); the body is sent as it is.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.models import MailStatus, OutboxMail, utcnow

logger = logging.getLogger("opslagstavle.mail")
_TIMEOUT = 10


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str
    password: str
    sender: str
    starttls: bool

    @classmethod
    def of(cls, settings: Settings) -> "SmtpConfig | None":
        if not settings.SMTP_HOST:
            return None
        return cls(
            host=settings.SMTP_HOST,
            port=settings.SMTP_PORT,
            user=settings.SMTP_USER,
            password=settings.SMTP_PASSWORD.get_secret_value(),
            sender=settings.SMTP_FROM or f"opslagstavle@{settings.SMTP_HOST}",
            starttls=settings.SMTP_STARTTLS,
        )


def _header(value: str, limit: int) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())[:limit]


def queue(session: Session, *, to: str, subject: str, body: str, kind: str) -> OutboxMail:
    """Put a mail in the outbox (the caller commits, together with what the mail is about)."""
    mail = OutboxMail(
        recipient=_header(to, 254), subject=_header(subject, 300), body=body, kind=kind[:30]
    )
    session.add(mail)
    return mail


def send_queued(engine: Engine, settings: Settings, ids: list[int]) -> None:
    """Try once to send these queued mails; without an SMTP server they stay queued."""
    config = SmtpConfig.of(settings)
    if config is None or not ids:
        return
    with Session(engine) as session:
        mails = session.exec(
            select(OutboxMail).where(
                col(OutboxMail.id).in_(ids), col(OutboxMail.status) == MailStatus.QUEUED
            )
        ).all()
        for mail in mails:
            _send(config, mail)
            session.add(mail)
        session.commit()


def _send(config: SmtpConfig, mail: OutboxMail) -> None:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=config.host)
    message.set_content(mail.body)
    mail.attempts += 1
    try:
        with smtplib.SMTP(config.host, config.port, timeout=_TIMEOUT) as smtp:
            if config.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if config.user:
                smtp.login(config.user, config.password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        mail.status = MailStatus.FAILED
        mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
        logger.warning(
            "mail %s to the outbox's recipient not sent: %s", mail.id, type(exc).__name__
        )
        return
    mail.status = MailStatus.SENT
    mail.sent_at = utcnow()
    mail.last_error = None


def list_outbox(session: Session, *, limit: int = 200) -> list[OutboxMail]:
    query = select(OutboxMail).order_by(col(OutboxMail.created_at).desc()).limit(limit)
    return list(session.exec(query).all())
