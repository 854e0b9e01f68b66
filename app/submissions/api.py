"""The JSON twin of /opret: an HSDS-shaped service in, a pending offer and a private edit URL
out; the same service again on the edit URL proposes a change.

The sender gives what a person would type: names, texts, `taxonomy_term` {taxonomy, code};
ids, links and term details are filled in here, and then every rule of the HSDS import
applies. Errors name dotted paths (`organization.name`, `schedules.0.opens_at`).
"""

import copy
import json
import uuid
from typing import Any

from sqlmodel import Session, select

from app.catalogue.taxonomy import Vocabulary
from app.hsds.build import term_attribute
from app.models import Organization, Submission, SubmissionKind, SubmissionStatus
from app.submissions.new_offer import Problem, token_hash, validation_problem

# Parts of a service that are lists of objects, each needing an id.
_PARTS = ("phones", "schedules", "service_at_locations", "contacts", "languages", "cost_options")
_STATUS = {
    SubmissionStatus.OPEN: "pending",
    SubmissionStatus.APPROVED: "approved",
    SubmissionStatus.REJECTED: "rejected",
}


def status_of(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.offer_id,
        "status": _STATUS[submission.status],
        "reason": submission.reason,
    }


def read_service(
    session: Session, body: Any, vocabulary: Vocabulary, *, offer_id: str
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The complete HSDS service a body describes, checked like an import; or the problems."""
    if not isinstance(body, dict):
        return None, [Problem("", "The body must be a JSON object.")]
    service = copy.deepcopy(body)
    problems = _required(service)
    if problems:
        return None, problems
    service["id"] = offer_id
    service["status"] = "active"
    organization = dict(service["organization"])
    known = session.exec(
        select(Organization).where(Organization.name == str(organization["name"]).strip())
    ).first()
    organization["id"] = known.id if known else str(uuid.uuid4())
    organization.setdefault("description", organization["name"])
    organization.setdefault("attributes", [])
    service["organization"] = organization
    service["organization_id"] = organization["id"]
    attributes, problems = _attributes(service.get("attributes", []), offer_id, vocabulary)
    if problems:
        return None, problems
    service["attributes"] = attributes
    for part in _PARTS:
        if not isinstance(service.get(part, []), list):
            return None, [Problem(part, "Must be a list.")]
        for item in service.get(part, []):
            if isinstance(item, dict):
                _fill_ids(item, offer_id)
    problem = validation_problem(service, vocabulary)
    return (None, [problem]) if problem is not None else (service, [])


def _required(service: dict[str, Any]) -> list[Problem]:
    problems = []
    for key in ("name", "description"):
        if not isinstance(service.get(key), str) or not service[key].strip():
            problems.append(Problem(key, "This is needed."))
    organization = service.get("organization")
    if not isinstance(organization, dict) or not str(organization.get("name") or "").strip():
        problems.append(Problem("organization.name", "This is needed."))
    phones = service.get("phones")
    if not service.get("email") and not (isinstance(phones, list) and phones):
        problems.append(Problem("email", "Give an e-mail address or a phone number."))
    attributes = service.get("attributes")
    if not isinstance(attributes, list) or not any(
        isinstance(a, dict)
        and isinstance(a.get("taxonomy_term"), dict)
        and a["taxonomy_term"].get("taxonomy") == "tema"
        for a in attributes
    ):
        problems.append(Problem("attributes", "Give at least one attribute with a tema term."))
    return problems


def _attributes(
    given: list[Any], offer_id: str, vocabulary: Vocabulary
) -> tuple[list[dict[str, Any]], list[Problem]]:
    attributes = []
    for index, attribute in enumerate(given):
        term_in = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if not isinstance(term_in, dict):
            return [], [Problem(f"attributes.{index}.taxonomy_term", "Must be an object.")]
        taxonomy, code = str(term_in.get("taxonomy") or ""), str(term_in.get("code") or "")
        term = vocabulary.term(taxonomy, code)
        if term is None:
            where = f"attributes.{index}.taxonomy_term"
            values: dict[str, object] = {"code": code, "taxonomy": taxonomy}
            return [], [Problem(where, "Unknown term {code!r} in taxonomy {taxonomy!r}.", values)]
        attribute_id = str(uuid.uuid5(uuid.UUID(offer_id), f"attribute/{taxonomy}/{code}"))
        attributes.append(
            term_attribute(term, attribute_id=attribute_id, owner_id=offer_id, entity="service")
        )
    return attributes, []


def _fill_ids(item: dict[str, Any], offer_id: str) -> None:
    item.setdefault("id", str(uuid.uuid4()))
    location = item.get("location")
    if isinstance(location, dict):
        location.setdefault("id", str(uuid.uuid4()))
        location.setdefault("location_type", "physical")
        item.setdefault("location_id", location["id"])
        for address in location.get("addresses") or []:
            if isinstance(address, dict):
                address.setdefault("id", str(uuid.uuid4()))
                address.setdefault("location_id", location["id"])
                address.setdefault("country", "DK")
                address.setdefault("address_type", "physical")
                address.setdefault("state_province", "")
    if "service_id" not in item and "location" in item:
        item["service_id"] = offer_id


def propose_change(session: Session, original: Submission, service: dict[str, Any]) -> Submission:
    """A change to the offer behind a submission, waiting for staff. The caller commits."""
    change = Submission(
        id=str(uuid.uuid4()),
        kind=SubmissionKind.CHANGE,
        offer_id=original.offer_id,
        payload=json.dumps(service, ensure_ascii=False),
        contact_email=original.contact_email,
        edit_token_hash=original.edit_token_hash,
    )
    session.add(change)
    return change


def find_original(session: Session, token: str) -> Submission | None:
    """The new-offer submission an edit token belongs to."""
    if not token or len(token) > 100:
        return None
    return session.exec(
        select(Submission).where(
            Submission.edit_token_hash == token_hash(token),
            Submission.kind == SubmissionKind.NEW,
        )
    ).first()


def latest(session: Session, original: Submission) -> Submission:
    """The newest submission under the same token (a change, or the original)."""
    rows = session.exec(
        select(Submission)
        .where(Submission.edit_token_hash == original.edit_token_hash)
        .order_by(Submission.created_at.desc())  # type: ignore[attr-defined]
    ).all()
    return rows[0] if rows else original


def revoke_links(session: Session, offer_id: str) -> int:
    """End every private edit link of an offer; how many submissions had one."""
    rows = session.exec(
        select(Submission).where(
            Submission.offer_id == offer_id,
            Submission.edit_token_hash != None,  # noqa: E711  (SQL IS NOT NULL)
        )
    ).all()
    for row in rows:
        row.edit_token_hash = None
        session.add(row)
    return len(rows)


def has_link(session: Session, offer_id: str) -> bool:
    return (
        session.exec(
            select(Submission.id).where(
                Submission.offer_id == offer_id,
                Submission.edit_token_hash != None,  # noqa: E711
            )
        ).first()
        is not None
    )
