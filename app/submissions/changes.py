"""What a proposed change would change, field by field, against the published offer; and the
sender's own form, filled in from what they sent last."""

import json
from dataclasses import dataclass

from markupsafe import Markup
from sqlmodel import Session

from app.catalogue.loading import offer_load_options
from app.catalogue.taxonomy import Vocabulary
from app.catalogue.textdiff import word_diff
from app.exchange.sheets import SEPARATOR, service_row
from app.hsds.accessibility import access_codes
from app.hsds.export import service_to_hsds
from app.models import Offer, Submission
from app.submissions.new_offer import QUESTIONS, TEXT_FIELDS, Proposal


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: Markup
    new: Markup


def change_diff(
    session: Session, submission: Submission, vocabulary: Vocabulary
) -> list[FieldChange]:
    """The sheet columns a proposed change alters, each with a word diff."""
    offer = session.get(Offer, submission.offer_id, options=offer_load_options())
    if offer is None:
        return []
    before = service_row(service_to_hsds(offer), vocabulary)
    after = service_row(json.loads(submission.payload), vocabulary)
    changes = []
    for column, new in after.items():
        if column in ("id", "status"):
            continue
        old = before.get(column, "")
        if old != new:
            old_marked, new_marked = word_diff(old, new)
            changes.append(FieldChange(column, old_marked, new_marked))
    return changes


def proposal_of(submission: Submission, vocabulary: Vocabulary) -> Proposal:
    """The /opret form's values for what a submission proposed."""
    service = json.loads(submission.payload)
    row = service_row(service, vocabulary)
    text = {name: row.get(column, "") for name, column in TEXT_FIELDS.items()}
    text["schedules"] = "\n".join(p.strip() for p in text["schedules"].split(SEPARATOR) if p)
    text["phone"] = text["phone"].split(SEPARATOR)[0] if text["phone"] else ""
    codes: dict[str, list[str]] = {"tema": [], "maalgruppe": []}
    answers = set()
    for attribute in service.get("attributes", []):
        term = attribute.get("taxonomy_term") or {}
        taxonomy, code = str(term.get("taxonomy") or ""), str(term.get("code") or "")
        if taxonomy in codes:
            codes[taxonomy].append(code)
        elif taxonomy == "adgang" and code in QUESTIONS.values():
            answers.add(next(q for q, c in QUESTIONS.items() if c == code))
    return Proposal(
        text=text, codes=codes, answers=answers, consent=True, access=access_codes(service)
    )
