"""A new offer from an association, without an account: the form's values, their checks, and
filing them as a pending offer that nobody sees until staff approve it.

The form's fields are spreadsheet columns, read by `sheets.row_service` and checked by the
import's rules, like the staff editor; on top come what a submission needs: a theme, a way to
get in touch, and consent to publish the contact details.
"""

import hashlib
import json
import re
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from app.catalogue.errors import CatalogueError
from app.catalogue.rules import RuleError, visible_text
from app.catalogue.taxonomy import Vocabulary
from app.exchange.sheets import SEPARATOR, CellError, row_service
from app.hsds.accessibility import put_access
from app.hsds.importer import IncomingService, upsert_services, validate_services
from app.i18n import ACCESSIBILITY_CODES
from app.models import OfferState, Organization, Submission, SubmissionKind

TEXT_FIELDS = {
    "name": "navn",
    "organization": "organisation",
    "description": "beskrivelse",
    "how": "sådan kommer du i gang",
    "fees": "pris",
    "phone": "telefon",
    "email": "e-mail",
    "url": "web",
    "schedules": "tider",
    "address": "adresse",
    "postcode": "postnr.",
    "town": "by",
}
TERM_FIELDS = {"tema": "tema", "maalgruppe": "målgruppe"}
# The "Foreninger for alle" questions, as access codes.
QUESTIONS = {"modtages": "modtages", "ledsager": "ledsager", "gratis": "gratis"}
# The town is chosen from the towns the catalogue knows; this choice means "written below".
OTHER_TOWN = "anden"
MAX_FIELD = 20_000
_COLUMN_FIELD = {column: name for name, column in TEXT_FIELDS.items()}
_RULE_FIELDS = {
    "name": "name", "description": "description", "application_process": "how",
    "fees_description": "fees", "phones": "phone", "email": "email", "url": "url",
    "schedules": "schedules", "service_at_locations": "address", "organization": "organization",
}  # fmt: skip


@dataclass
class Proposal:
    text: dict[str, str]
    codes: dict[str, list[str]]
    answers: set[str] = field(default_factory=set)
    consent: bool = False
    # Our accessibility codes ticked for the place (step-free, hearing loop, toilet).
    access: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Problem:
    """A field and what is wrong with it: a msgid with {placeholders}."""

    name: str
    message: str
    values: dict[str, object] = field(default_factory=dict)


def read_form(form: dict[str, list[str]]) -> Proposal:
    def one(name: str) -> str:
        return visible_text((form.get(name) or [""])[0][:MAX_FIELD])

    text = {name: one(name) for name in TEXT_FIELDS}
    if text["town"] in ("", OTHER_TOWN):
        text["town"] = one("town_other")
    return Proposal(
        text=text,
        codes={t: [c[:200] for c in form.get(t, [])][:30] for t in TERM_FIELDS},
        answers={q for q in QUESTIONS if one(q) == "ja"},
        consent=one("consent") == "ja",
        access={c for c in form.get("tilgaengelighed", []) if c in ACCESSIBILITY_CODES},
    )


def service_of(
    session: Session, proposal: Proposal, vocabulary: Vocabulary, offer_id: str
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The HSDS service the proposal describes, checked by every rule; or the problems."""
    problems: list[Problem] = []
    if not proposal.text.get("name"):
        problems.append(Problem("name", "Write the name of the activity."))
    if not proposal.text.get("organization"):
        problems.append(Problem("organization", "Write the name of your association."))
    if not proposal.text.get("description"):
        problems.append(Problem("description", "Tell what happens and who it is for."))
    if not proposal.codes.get("tema"):
        problems.append(Problem("tema", "Choose at least one theme."))
    if not proposal.text.get("email") and not proposal.text.get("phone"):
        problems.append(Problem("email", "Give an e-mail address or a phone number."))
    elif not proposal.consent:
        problems.append(Problem("consent", "Say yes to showing the contact details."))
    if proposal.access and not proposal.text.get("address"):
        problems.append(Problem("address", "Give the address that the access facts are about."))
    if problems:
        return None, problems
    row = {column: proposal.text.get(name, "") for name, column in TEXT_FIELDS.items()}
    row["tider"] = SEPARATOR.join(
        line.strip() for line in proposal.text.get("schedules", "").splitlines() if line.strip()
    )
    for taxonomy, column in TERM_FIELDS.items():
        row[column] = SEPARATOR.join(proposal.codes.get(taxonomy, []))
    row["adgang"] = SEPARATOR.join(QUESTIONS[q] for q in sorted(proposal.answers))
    row["id"] = offer_id
    organizations = {org.name: org.id for org in session.exec(select(Organization)).all()}
    try:
        service = row_service(row, {}, organizations, vocabulary)
    except CellError as exc:
        return None, [Problem(_COLUMN_FIELD.get(exc.column, "name"), exc.message, exc.values)]
    put_access(service, proposal.access)
    problem = validation_problem(service, vocabulary)
    if problem is not None:
        head = problem.name.split(".")[0]
        return None, [Problem(_RULE_FIELDS.get(head, "name"), problem.message, problem.values)]
    return service, []


def validation_problem(service: dict[str, Any], vocabulary: Vocabulary) -> Problem | None:
    """What the import's checks refuse in a service, named by its dotted path; None if none."""
    item = IncomingService(data=service, label=service["id"], state=OfferState.PENDING)
    try:
        validate_services([item], vocabulary)
    except CatalogueError as exc:
        cause = exc.__context__
        if isinstance(cause, RuleError):
            return Problem(dotted(cause.where), cause.rule, cause.values)
        detail = str(exc).removeprefix(f"{service['id']}: ")
        where = detail.partition(":")[0].strip()
        return Problem(dotted(where), "{problem}", {"problem": detail})
    return None


def dotted(path: str) -> str:
    """ "schedules[0].opens_at" → "schedules.0.opens_at"."""
    return re.sub(r"\[(\d+)\]", r".\1", path)


def submit(
    session: Session, service: dict[str, Any], *, contact_email: str | None, vocabulary: Vocabulary
) -> tuple[Submission, str]:
    """File the service as a pending offer and a submission; returns the private edit token.
    The caller commits."""
    item = IncomingService(
        data=service, label=service["id"], state=OfferState.PENDING, source="submission"
    )
    upsert_services(session=session, items=[item], vocabulary=vocabulary)
    token = secrets.token_urlsafe(32)
    submission = Submission(
        id=str(uuid.uuid4()),
        kind=SubmissionKind.NEW,
        offer_id=service["id"],
        payload=json.dumps(service, ensure_ascii=False),
        contact_email=contact_email,
        edit_token_hash=token_hash(token),
    )
    session.add(submission)
    return submission, token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_offer_id() -> str:
    return str(uuid.uuid4())
