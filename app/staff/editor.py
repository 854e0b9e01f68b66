"""The staff offer editor: the offer as a form, saved through the same rules as every other
way in, with a revision for every save.

The form's fields are the spreadsheet's columns (`app/exchange/sheets.py`), so a form and a
sheet row are read by the same code, and the HSDS import checks what both give. Each save
stores the whole offer (HSDS service, staff-only facts, state) as a revision; before the first
save, the offer as it was is stored too, so it can always be restored.
"""

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlmodel import Session, col, func, select

from app.catalogue.errors import CatalogueError
from app.catalogue.loading import offer_load_options
from app.catalogue.rules import RuleError, visible_text
from app.catalogue.taxonomy import Vocabulary
from app.config import TIMEZONE
from app.exchange.sheets import SEPARATOR, CellError, row_service, service_row
from app.hsds.accessibility import access_codes, put_access
from app.hsds.export import service_to_hsds
from app.hsds.importer import IncomingService, upsert_services
from app.i18n import ACCESSIBILITY_CODES
from app.models import Offer, OfferRevision, OfferState, Organization

# Form field → sheet column, in the form's order.
TEXT_FIELDS = {
    "name": "navn",
    "organization": "organisation",
    "description": "beskrivelse",
    "how": "sådan kommer du i gang",
    "fees": "pris",
    "legal": "lovgrundlag",
    "min_age": "min. alder",
    "max_age": "maks. alder",
    "phones": "telefon",
    "email": "e-mail",
    "url": "web",
    "schedules": "tider",
    "address": "adresse",
    "postcode": "postnr.",
    "town": "by",
    "latitude": "breddegrad",
    "longitude": "længdegrad",
    "assured": "sidst bekræftet",
}
# Public fields the sheet has no column for, edited here only.
EXTRA_FIELDS = ("alternate_name", "languages", "place_name", "org_website", "org_email")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
# Fields written one value per line, kept in a sheet cell as " | ".
LINE_FIELDS = frozenset({"phones", "schedules"})
TERM_FIELDS = {"tema": "tema", "maalgruppe": "målgruppe", "kanal": "kanal", "adgang": "adgang"}
STAFF_FIELDS = ("referral_procedure", "professional_contact", "internal_note")
STATES = (OfferState.PUBLISHED, OfferState.TEMPORARILY_CLOSED, OfferState.RETIRED)
_COLUMN_FIELD = {column: name for name, column in TEXT_FIELDS.items()}
_COLUMN_FIELD.update({column: name for name, column in TERM_FIELDS.items()})
MAX_FIELD = 20_000


class Who(Protocol):
    """Who saves: an account's id and e-mail address."""

    @property
    def id(self) -> str: ...

    @property
    def email(self) -> str: ...


@dataclass
class Values:
    """What the form holds: texts, chosen codes per taxonomy, staff facts and the state."""

    text: dict[str, str]
    codes: dict[str, list[str]]
    staff: dict[str, str]
    state: str
    # Our accessibility codes for the first place.
    access: set[str] = field(default_factory=set)


@dataclass
class Draft:
    """An offer as it is about to be written: HSDS service, staff-only facts, state."""

    service: dict[str, Any]
    staff: dict[str, str | None]
    state: OfferState

    @classmethod
    def of(cls, snap: dict[str, Any]) -> "Draft":
        staff = {name: snap["staff"].get(name) or None for name in STAFF_FIELDS}
        return cls(dict(snap["service"]), staff, OfferState(snap["state"]))


@dataclass(frozen=True)
class FieldError:
    """A field (its form name) and the problem, as a msgid with {placeholders} and values."""

    name: str
    message: str
    values: dict[str, object] = field(default_factory=dict)
    # Where in the HSDS service the rule found it ("phones[0].number"), for the JSON API.
    path: str = ""


def load(session: Session, offer_id: str) -> Offer | None:
    return session.get(Offer, offer_id, options=offer_load_options())


def snapshot(offer: Offer) -> dict[str, Any]:
    """The whole offer as one JSON-able value."""
    facts = offer.staff_facts
    return {
        "service": service_to_hsds(offer),
        "staff": {name: (getattr(facts, name) if facts else None) or "" for name in STAFF_FIELDS},
        "state": offer.state.value,
    }


def values_of(offer: Offer, vocabulary: Vocabulary) -> Values:
    return values_of_snapshot(snapshot(offer), vocabulary)


def values_of_snapshot(snap: dict[str, Any], vocabulary: Vocabulary) -> Values:
    row = service_row(snap["service"], vocabulary)
    text = {name: row.get(column, "") for name, column in TEXT_FIELDS.items()}
    text.update(_extra_of(snap["service"]))
    for name in LINE_FIELDS:
        text[name] = "\n".join(part.strip() for part in text[name].split(SEPARATOR) if part)
    codes = {
        taxonomy: [
            a["taxonomy_term"]["code"]
            for a in snap["service"].get("attributes", [])
            if a["link_type"] == taxonomy
        ]
        for taxonomy in TERM_FIELDS
    }
    return Values(
        text=text,
        codes=codes,
        staff=dict(snap["staff"]),
        state=snap["state"],
        access=access_codes(snap["service"]),
    )


def proposed_values(
    offer: Offer, service: dict[str, Any] | None, state: OfferState, vocabulary: Vocabulary
) -> Values:
    """The form for the offer as someone proposed it (`service`, None for as it is), in `state`."""
    snap = snapshot(offer)
    if service is not None:
        snap["service"] = service
    snap["state"] = state.value
    return values_of_snapshot(snap, vocabulary)


def read_form(form: dict[str, list[str]]) -> Values:
    """The posted form as values; unknown fields are ignored, every value is bounded."""

    def one(name: str) -> str:
        found = form.get(name) or [""]
        return found[0][:MAX_FIELD]

    return Values(
        text={name: visible_text(one(name)) for name in (*TEXT_FIELDS, *EXTRA_FIELDS)},
        codes={
            taxonomy: [c[:200] for c in form.get(taxonomy, [])][:50] for taxonomy in TERM_FIELDS
        },
        staff={name: one(name).strip() for name in STAFF_FIELDS},
        state=one("state"),
        access={c for c in form.get("tilgaengelighed", []) if c in ACCESSIBILITY_CODES},
    )


def save(
    session: Session,
    offer: Offer,
    values: Values,
    *,
    who: Who | None,
    vocabulary: Vocabulary,
    kind: str = "edit",
) -> list[FieldError]:
    """Write the values to the offer, as one revision; the errors when nothing was written.
    The caller commits."""
    errors: list[FieldError] = []
    try:
        state = OfferState(values.state)
    except ValueError:
        state = offer.state
    if state not in STATES and state != offer.state:
        # A draft or pending offer is made elsewhere (an import, a submission), not here.
        state = offer.state
        errors.append(FieldError("state", "Choose a state from the list."))
    elif values.state != state.value:
        errors.append(FieldError("state", "Choose a state from the list."))
    row = {column: values.text.get(name, "") for name, column in TEXT_FIELDS.items()}
    for name in LINE_FIELDS:
        lines = [line.strip() for line in values.text.get(name, "").splitlines() if line.strip()]
        row[TEXT_FIELDS[name]] = SEPARATOR.join(lines)
    for taxonomy, column in TERM_FIELDS.items():
        row[column] = SEPARATOR.join(values.codes.get(taxonomy, []))
    row["id"] = offer.id
    before = snapshot(offer)
    organizations = {org.name: org.id for org in session.exec(select(Organization)).all()}
    try:
        service = row_service(row, {offer.id: before["service"]}, organizations, vocabulary)
    except CellError as exc:
        return [*errors, FieldError(_COLUMN_FIELD.get(exc.column, "name"), exc.message, exc.values)]
    errors += _apply_extra(service, values.text, offer.id)
    if values.access and not service.get("service_at_locations"):
        errors.append(FieldError("address", "Give the address that the access facts are about."))
    put_access(service, values.access)
    if errors:
        return errors
    staff = {name: values.staff.get(name) or None for name in STAFF_FIELDS}
    draft = Draft(service, staff, state)
    return write(session, offer, draft, before, who=who, kind=kind, vocabulary=vocabulary)


def _extra_of(service: dict[str, Any]) -> dict[str, str]:
    organization = service.get("organization") or {}
    places = service.get("service_at_locations") or []
    location = (places[0].get("location") or {}) if places else {}
    return {
        "alternate_name": service.get("alternate_name") or "",
        "languages": ", ".join(
            str(lang.get("code")) for lang in service.get("languages", []) if lang.get("code")
        ),
        "place_name": location.get("name") or "",
        "org_website": organization.get("website") or "",
        "org_email": organization.get("email") or "",
    }


def _apply_extra(service: dict[str, Any], text: dict[str, str], offer_id: str) -> list[FieldError]:
    """Put the fields the sheet has no column for into the service; their own errors."""

    def put(owner: dict[str, Any], key: str, value: str) -> None:
        if value:
            owner[key] = value
        else:
            owner.pop(key, None)

    put(service, "alternate_name", text.get("alternate_name", ""))
    organization = service.get("organization")
    if isinstance(organization, dict):
        put(organization, "website", text.get("org_website", ""))
        put(organization, "email", text.get("org_email", ""))
    places = service.get("service_at_locations") or []
    if places and isinstance(places[0].get("location"), dict) and text.get("place_name"):
        places[0]["location"]["name"] = text["place_name"]
    codes = [c.strip().lower() for c in re.split(r"[,\s]+", text.get("languages", "")) if c.strip()]
    for code in codes:
        if not _LANGUAGE.fullmatch(code):
            return [
                FieldError(
                    "languages", "{code!r} is not a language code such as da or en", {"code": code}
                )
            ]
    kept = {lang.get("code"): lang for lang in service.get("languages", [])}
    service["languages"] = [
        kept.get(code)
        or {"id": str(uuid.uuid5(uuid.UUID(offer_id), f"language/{code}")), "code": code}
        for code in dict.fromkeys(codes)
    ]
    return []


def confirm_today(
    session: Session, offer: Offer, *, who: Who | None, vocabulary: Vocabulary
) -> None:
    """Say the offer is still current, as of today (local date)."""
    before = snapshot(offer)
    draft = Draft.of(before)
    draft.service["assured_date"] = datetime.now(TIMEZONE).date().isoformat()
    write(session, offer, draft, before, who=who, kind="confirm", vocabulary=vocabulary)


def restore(
    session: Session, offer: Offer, number: int, *, who: Who | None, vocabulary: Vocabulary
) -> list[FieldError] | None:
    """Make an earlier revision the offer again (as a new revision); None when it does not exist."""
    revision = session.exec(
        select(OfferRevision).where(
            col(OfferRevision.offer_id) == offer.id, col(OfferRevision.number) == number
        )
    ).first()
    if revision is None:
        return None
    draft = Draft.of(json.loads(revision.snapshot))
    before = snapshot(offer)
    return write(session, offer, draft, before, who=who, kind="restore", vocabulary=vocabulary)


def write(
    session: Session,
    offer: Offer,
    draft: Draft,
    before: dict[str, Any],
    *,
    who: Who | None,
    kind: str,
    vocabulary: Vocabulary,
) -> list[FieldError]:
    """Write a draft through the import's checks and record it as a revision (and the offer
    as it was, before its first revision); the errors when nothing was written."""
    item = IncomingService(
        data=draft.service,
        label=offer.name,
        state=draft.state,
        staff=draft.staff,
        source=offer.source,
    )
    try:
        upsert_services(session=session, items=[item], vocabulary=vocabulary)
    except RuleError as exc:
        return [_rule_error(exc)]
    except CatalogueError as exc:
        cause = exc.__context__ if isinstance(exc.__context__, RuleError) else None
        if cause is not None:
            return [_rule_error(cause)]
        problem = str(exc).removeprefix(f"{item.label}: ")
        return [FieldError("name", "{problem}", {"problem": problem}, path=problem.split(":")[0])]
    session.expire_all()
    fresh = load(session, offer.id)
    assert fresh is not None
    numbers = session.exec(
        select(func.max(OfferRevision.number)).where(col(OfferRevision.offer_id) == offer.id)
    ).one()
    number = numbers or 0
    if number == 0:
        number += 1
        session.add(_revision(offer.id, number, before, None, "before"))
    session.add(_revision(offer.id, number + 1, snapshot(fresh), who, kind))
    return []


def _revision(
    offer_id: str, number: int, snap: dict[str, Any], who: Who | None, kind: str
) -> OfferRevision:
    return OfferRevision(
        offer_id=offer_id,
        number=number,
        account_id=who.id if who else None,
        author=who.email if who else "",
        kind=kind,
        snapshot=json.dumps(snap, ensure_ascii=False, sort_keys=True, default=_json_default),
    )


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


# Which form field a rule's path ("phones[0].number", "service_at_locations[0]...") belongs to.
_RULE_FIELDS = {
    "name": "name", "alternate_name": "alternate_name", "description": "description",
    "languages": "languages",
    "application_process": "how", "fees_description": "fees",
    "eligibility_description": "legal", "minimum_age": "min_age", "maximum_age": "max_age",
    "phones": "phones", "email": "email", "url": "url", "schedules": "schedules",
    "service_at_locations": "address", "assured_date": "assured", "organization": "organization",
    "staff": "internal_note",
}  # fmt: skip


def _rule_error(exc: RuleError) -> FieldError:
    head = exc.where.split(".")[0].split("[")[0]
    where = exc.where
    if head == "staff":
        name = where.split(".", 1)[1] if "." in where else "internal_note"
    elif head == "service_at_locations" and where.endswith(("latitude", "longitude")):
        name = where.rsplit(".", 1)[1]
    elif head == "service_at_locations" and where.endswith(".location.name"):
        name = "place_name"
    elif where in ("organization.website", "organization.email"):
        name = "org_" + where.rsplit(".", 1)[1]
    else:
        name = _RULE_FIELDS.get(head, "name")
    return FieldError(name, exc.rule, exc.values, path=exc.where)
