"""Error reports: "Er noget forkert?" on an offer, filed for staff to resolve or dismiss."""

import json
import uuid

from sqlmodel import Session

from app.catalogue.rules import RuleError, check_texts
from app.models import Submission, SubmissionKind

MAX_REPORT = 2_000
_EMAIL_LIMIT = 254


class ReportError(ValueError):
    """A report that cannot be filed: the field and the problem, an English msgid."""

    def __init__(self, field: str, message: str, **values: object) -> None:
        super().__init__(message.format(**values))
        self.field = field
        self.message = message
        self.values = values


def file_report(session: Session, *, offer_id: str, text: str, email: str) -> Submission:
    """File a report on a visible offer (the caller checked it is one); the caller commits."""
    fields = {"text": text.strip(), "email": email.strip()}
    try:
        check_texts(fields)
    except RuleError as exc:
        raise ReportError(exc.where, exc.rule, **exc.values) from None
    if not fields["text"]:
        raise ReportError("text", "Write what is wrong.")
    if len(fields["text"]) > MAX_REPORT:
        raise ReportError("text", "Write at most {limit} characters.", limit=MAX_REPORT)
    address = fields["email"]
    if address and ("@" not in address or len(address) > _EMAIL_LIMIT or " " in address):
        raise ReportError("email", "That is not an e-mail address.")
    report = Submission(
        id=str(uuid.uuid4()),
        kind=SubmissionKind.ERROR_REPORT,
        offer_id=offer_id,
        payload=json.dumps({"text": fields["text"]}, ensure_ascii=False),
        contact_email=address or None,
    )
    session.add(report)
    return report
