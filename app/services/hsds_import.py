"""Offers in from Open Referral HSDS 3.0 services: read, validate, then upsert by HSDS id.

Everything is checked before anything is written, and the caller runs the writes in one
transaction, so a bad file changes nothing. Every id that comes in is kept. Terms of our own
taxonomies are matched by taxonomy + code; terms of other taxonomies are kept as they come.
Staff-only facts are only written when the caller passes them (the YAML catalogue does; an HSDS
import never does).
"""

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, select

from app.models import (
    Address,
    Contact,
    CostOption,
    Language,
    Location,
    Offer,
    OfferState,
    OfferTerm,
    Organization,
    OrganizationTerm,
    Phone,
    Schedule,
    ServiceAtLocation,
    StaffFacts,
    Taxonomy,
    TaxonomyTerm,
    utcnow,
)
from app.services.errors import CatalogueError
from app.services.hsds_export import offer_load_options
from app.services.hsds_schema import first_error
from app.services.taxonomy import Vocabulary

STATE_FOR_STATUS = {
    "active": OfferState.PUBLISHED,
    "temporarily closed": OfferState.TEMPORARILY_CLOSED,
    "inactive": OfferState.RETIRED,
    "defunct": OfferState.RETIRED,
}

# Foreign taxonomies that arrive without an id get one derived from their name.
_FOREIGN_TAXONOMY_NAMESPACE = uuid.UUID("0f6a1f1e-6b8c-4a53-9d3e-2f1c0b9a8e7d")

Row = TypeVar("Row", bound=SQLModel)


@dataclass
class IncomingService:
    """One HSDS service to upsert, with how errors should name it."""

    data: dict[str, Any]
    label: str
    state: OfferState | None = None
    staff: dict[str, str | None] | None = None
    source: str = "hsds"


@dataclass
class ImportResult:
    """What an import did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    ids: list[str] = field(default_factory=list)


def read_hsds_file(path: Path) -> list[IncomingService]:
    """Read a JSON array of HSDS services, or a paginated envelope with `contents`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read the file ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            f"{path}: the file is not UTF-8 text (invalid byte at position {exc.start})"
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if not isinstance(data, list):
        raise CatalogueError(
            f"{path}: expected a JSON array of HSDS services or an envelope with 'contents'"
        )
    items = []
    for index, service in enumerate(data, start=1):
        items.append(IncomingService(data=service, label=_label(path.name, index, service)))
    return items


def _label(source: str, index: int, service: object) -> str:
    if not isinstance(service, dict):
        return f"{source}: service {index}"
    name = service.get("name")
    quoted = json.dumps(name, ensure_ascii=False)
    return f"{source}: service {index} (id {service.get('id')}, {quoted})"


def validate_services(items: list[IncomingService], vocabulary: Vocabulary) -> None:
    """Check every service before anything is written; raise on the first problem."""
    seen: dict[str, str] = {}
    for item in items:
        problem = first_error("service", item.data)
        if problem:
            raise CatalogueError(f"{item.label}: {problem}")
        service = item.data
        if service["id"] in seen:
            raise CatalogueError(
                f"{item.label}: the id is used twice (also by {seen[service['id']]})"
            )
        seen[service["id"]] = item.label
        if not service.get("organization") and not service.get("organization_id"):
            raise CatalogueError(f"{item.label}: the service has no organization")
        if service["status"] not in STATE_FOR_STATUS:
            raise CatalogueError(f"{item.label}: unknown status {service['status']!r}")
        for where, attribute in _attributes(service):
            _check_attribute(item.label, where, attribute, vocabulary)
        for where, value in _dates(service):
            try:
                date.fromisoformat(value)
            except ValueError:
                message = f"{item.label}: {where}: {value!r} is not a date (YYYY-MM-DD)"
                raise CatalogueError(message) from None
        for key in ("minimum_age", "maximum_age"):
            if key in service and service[key] != int(service[key]):
                raise CatalogueError(f"{item.label}: {key}: {service[key]} is not a whole number")


def _attributes(service: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for index, attribute in enumerate(service.get("attributes", [])):
        yield f"attributes[{index}]", attribute
    for index, attribute in enumerate((service.get("organization") or {}).get("attributes", [])):
        yield f"organization.attributes[{index}]", attribute


def _check_attribute(
    label: str, where: str, attribute: dict[str, Any], vocabulary: Vocabulary
) -> None:
    term = attribute.get("taxonomy_term")
    if term is None:
        if not attribute.get("taxonomy_term_id"):
            raise CatalogueError(f"{label}: {where}: the attribute has no taxonomy term")
        return
    taxonomy = term.get("taxonomy")
    if taxonomy in vocabulary.taxonomies:
        code = term.get("code")
        if vocabulary.term(taxonomy, code or "") is None:
            known = ", ".join(vocabulary.codes(taxonomy))
            raise CatalogueError(
                f"{label}: {where}: unknown code {code!r} in taxonomy {taxonomy!r} (known: {known})"
            )


def _dates(service: dict[str, Any]) -> Iterable[tuple[str, str]]:
    if "assured_date" in service:
        yield "assured_date", service["assured_date"]
    for key, rows, fields in (
        ("schedules", service.get("schedules", []), ("dtstart", "until", "valid_from", "valid_to")),
        ("cost_options", service.get("cost_options", []), ("valid_from", "valid_to")),
    ):
        for index, row in enumerate(rows):
            for name in fields:
                if name in row:
                    yield f"{key}[{index}].{name}", row[name]


def upsert_services(
    *,
    session: Session,
    items: list[IncomingService],
    vocabulary: Vocabulary,
    on_progress: Callable[[], None] | None = None,
) -> ImportResult:
    """Validate, then insert or update every service by its HSDS id. The caller commits."""
    validate_services(items, vocabulary)
    writer = _Writer(session, vocabulary)
    result = ImportResult()
    for item in items:
        try:
            # One flush per service: a lazy load must not flush a half-written offer.
            with session.no_autoflush:
                inserted = writer.write(item)
            session.flush()
        except CatalogueError as exc:
            raise CatalogueError(f"{item.label}: {exc}") from exc
        except SQLAlchemyError as exc:
            reason = str(exc.orig if hasattr(exc, "orig") else exc).splitlines()[0]
            raise CatalogueError(f"{item.label}: the database refused it ({reason})") from exc
        changed = {offer_id for offer_id, _ in session.info.pop("offer_changes", [])}
        if inserted:
            result.inserted += 1
        elif item.data["id"] in changed:
            result.updated += 1
        else:
            result.unchanged += 1
        result.ids.append(item.data["id"])
        if on_progress:
            on_progress()
    return result


class _Writer:
    """Turns validated HSDS dicts into rows, reusing rows whose ids already exist."""

    def __init__(self, session: Session, vocabulary: Vocabulary) -> None:
        self.session = session
        self.vocabulary = vocabulary
        self.terms: dict[str, TaxonomyTerm] = {}
        self.organizations_written: set[str] = set()

    def write(self, item: IncomingService) -> bool:
        data = item.data
        organization = self._organization(data)
        offer = self.session.get(Offer, data["id"], options=offer_load_options())
        inserted = offer is None
        if offer is None:
            offer = Offer(id=data["id"], organization_id=organization.id, name=data["name"])
            self.session.add(offer)
        offer.organization = organization
        offer.name = data["name"]
        offer.alternate_name = data.get("alternate_name")
        offer.description = data.get("description", "")
        offer.url = data.get("url")
        offer.email = data.get("email")
        offer.state = item.state or STATE_FOR_STATUS[data["status"]]
        offer.application_process = data.get("application_process")
        offer.fees_description = data.get("fees_description")
        offer.eligibility_description = data.get("eligibility_description")
        offer.minimum_age = _int(data.get("minimum_age"))
        offer.maximum_age = _int(data.get("maximum_age"))
        offer.assured_date = _date(data.get("assured_date"))
        offer.source = item.source
        offer.terms = _sync(offer.terms, data.get("attributes", []), OfferTerm, self._fill_link)
        self._write_phones_and_contacts(offer, data)
        offer.languages = _sync(
            offer.languages, data.get("languages", []), Language, _fill_language
        )
        offer.cost_options = _sync(
            offer.cost_options, data.get("cost_options", []), CostOption, _fill_cost
        )
        offer.schedules = _sync(
            offer.schedules, data.get("schedules", []), Schedule, _fill_schedule
        )
        offer.service_at_locations = _sync(
            offer.service_at_locations,
            data.get("service_at_locations", []),
            ServiceAtLocation,
            self._fill_service_at_location,
        )
        if item.staff is not None:
            self._write_staff_facts(offer, item.staff)
        return inserted

    def _organization(self, data: dict[str, Any]) -> Organization:
        nested = data.get("organization")
        org_id = (nested or {}).get("id") or data["organization_id"]
        organization = self.session.get(Organization, org_id)
        if nested is None:
            if organization is None:
                raise CatalogueError(f"unknown organization_id {org_id}")
            return organization
        if org_id in self.organizations_written:
            # Services of one organization may carry different copies of it: the first wins,
            # so importing the same file twice changes nothing.
            assert organization is not None
            return organization
        self.organizations_written.add(org_id)
        if organization is None:
            organization = Organization(id=org_id, name=nested["name"])
            self.session.add(organization)
        organization.name = nested["name"]
        organization.description = nested.get("description", "")
        organization.website = nested.get("website")
        organization.email = nested.get("email")
        organization.terms = _sync(
            organization.terms, nested.get("attributes", []), OrganizationTerm, self._fill_link
        )
        return organization

    def _fill_link(self, row: OfferTerm | OrganizationTerm, attribute: dict[str, Any]) -> None:
        row.term = self._term(attribute)
        row.value = attribute.get("value")

    def _term(self, attribute: dict[str, Any]) -> TaxonomyTerm:
        incoming = attribute.get("taxonomy_term")
        if incoming is None:
            term_id = attribute["taxonomy_term_id"]
            found = self.terms.get(term_id) or self.session.get(TaxonomyTerm, term_id)
            if found is None:
                raise CatalogueError(f"unknown taxonomy_term_id {term_id}")
            return found
        ours = self.vocabulary.term(incoming.get("taxonomy") or "", incoming.get("code") or "")
        if ours is not None:
            return self._cached_term(ours.id)
        return self._foreign_term(incoming)

    def _cached_term(self, term_id: str) -> TaxonomyTerm:
        if term_id not in self.terms:
            term = self.session.get(TaxonomyTerm, term_id)
            if term is None:
                raise CatalogueError(f"taxonomy term {term_id} is missing: run 'opslagstavle init'")
            self.terms[term_id] = term
        return self.terms[term_id]

    def _foreign_term(self, incoming: dict[str, Any]) -> TaxonomyTerm:
        term = self.terms.get(incoming["id"]) or self.session.get(TaxonomyTerm, incoming["id"])
        if term is None:
            term = TaxonomyTerm(id=incoming["id"], taxonomy_id="", name=incoming["name"])
            self.session.add(term)
        term.taxonomy = self._foreign_taxonomy(incoming)
        term.code = incoming.get("code")
        term.name = incoming["name"]
        term.description = incoming.get("description", "")
        term.language = incoming.get("language")
        term.parent_id = incoming.get("parent_id")
        term.term_uri = incoming.get("term_uri")
        self.terms[term.id] = term
        return term

    def _foreign_taxonomy(self, term: dict[str, Any]) -> Taxonomy:
        detail = term.get("taxonomy_detail") or {}
        name = term.get("taxonomy") or detail.get("name") or term.get("taxonomy_id") or "unnamed"
        taxonomy_id = (
            term.get("taxonomy_id")
            or detail.get("id")
            or str(uuid.uuid5(_FOREIGN_TAXONOMY_NAMESPACE, name))
        )
        taxonomy = (
            self.session.get(Taxonomy, taxonomy_id)
            or self.session.exec(select(Taxonomy).where(Taxonomy.name == name)).first()
        )
        if taxonomy is None:
            with self.session.no_autoflush:
                taxonomy = Taxonomy(
                    id=taxonomy_id, name=name, description=detail.get("description", "")
                )
            self.session.add(taxonomy)
        return taxonomy

    def _write_phones_and_contacts(self, offer: Offer, data: dict[str, Any]) -> None:
        contacts = data.get("contacts", [])
        offer.contacts = _sync(offer.contacts, contacts, Contact, _fill_contact)
        phones = [(p, None) for p in data.get("phones", [])]
        phones += [(p, c["id"]) for c in contacts for p in c.get("phones", [])]
        existing = {p.id: p for p in offer.phones}
        rows = []
        for position, (phone, contact_id) in enumerate(phones):
            row = existing.get(phone["id"]) or Phone(id=phone["id"], offer_id=offer.id, number="")
            row.number = phone["number"]
            row.extension = _str(phone.get("extension"))
            row.type = phone.get("type")
            row.description = phone.get("description")
            row.contact_id = contact_id
            row.position = position
            rows.append(row)
        offer.phones = rows

    def _fill_service_at_location(self, row: ServiceAtLocation, data: dict[str, Any]) -> None:
        row.description = data.get("description")
        nested = data.get("location")
        location_id = (nested or {}).get("id") or data.get("location_id")
        location = self.session.get(Location, location_id) if location_id else None
        if nested is None:
            if location is None:
                raise CatalogueError(f"service_at_location {data['id']}: unknown location")
            row.location = location
            return
        if location is None:
            location = Location(id=nested["id"])
            self.session.add(location)
        location.location_type = nested["location_type"]
        location.name = nested.get("name")
        location.description = nested.get("description")
        location.transportation = nested.get("transportation")
        location.latitude = nested.get("latitude")
        location.longitude = nested.get("longitude")
        location.url = nested.get("url")
        location.addresses = _sync(
            location.addresses, nested.get("addresses", []), Address, _fill_address
        )
        row.location = location

    def _write_staff_facts(self, offer: Offer, staff: dict[str, str | None]) -> None:
        facts = offer.staff_facts or StaffFacts(offer_id=offer.id)
        before = (facts.referral_procedure, facts.professional_contact, facts.internal_note)
        facts.referral_procedure = staff.get("referral_procedure")
        facts.professional_contact = staff.get("professional_contact")
        facts.internal_note = staff.get("internal_note")
        if before != (facts.referral_procedure, facts.professional_contact, facts.internal_note):
            facts.updated_at = utcnow()
        offer.staff_facts = facts


def _sync(
    existing: list[Row],
    incoming: list[dict[str, Any]],
    model: type[Row],
    fill: Callable[[Row, dict[str, Any]], None],
) -> list[Row]:
    """Rows for the incoming dicts in order, reusing existing rows with the same id."""
    by_id = {row.id: row for row in existing}  # type: ignore[attr-defined]
    rows = []
    for position, data in enumerate(incoming):
        row = by_id.get(data["id"]) or model(id=data["id"])
        fill(row, data)
        if hasattr(row, "position"):
            row.position = position
        rows.append(row)
    return rows


def _fill_contact(row: Contact, data: dict[str, Any]) -> None:
    row.name = data.get("name")
    row.title = data.get("title")
    row.department = data.get("department")
    row.email = data.get("email")


def _fill_language(row: Language, data: dict[str, Any]) -> None:
    row.code = data.get("code")
    row.name = data.get("name")
    row.note = data.get("note")


def _fill_cost(row: CostOption, data: dict[str, Any]) -> None:
    row.option = data.get("option")
    row.amount = data.get("amount")
    row.currency = data.get("currency")
    row.amount_description = data.get("amount_description")
    row.valid_from = _date(data.get("valid_from"))
    row.valid_to = _date(data.get("valid_to"))


def _fill_schedule(row: Schedule, data: dict[str, Any]) -> None:
    row.freq = data.get("freq")
    row.interval = _int(data.get("interval"))
    row.count = _int(data.get("count"))
    for name in ("byday", "bymonthday", "byweekno", "byyearday", "wkst"):
        setattr(row, name, _str(data.get(name)))
    for name in ("dtstart", "until", "valid_from", "valid_to"):
        setattr(row, name, _date(data.get(name)))
    for name in (
        "opens_at",
        "closes_at",
        "description",
        "notes",
        "attending_type",
        "schedule_link",
    ):
        setattr(row, name, data.get(name))


def _fill_address(row: Address, data: dict[str, Any]) -> None:
    for name in ("attention", "address_1", "address_2", "city", "region", "state_province"):
        setattr(row, name, data.get(name))
    row.postal_code = data["postal_code"]
    row.country = data.get("country") or "DK"
    row.address_type = data.get("address_type") or "physical"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _int(value: float | None) -> int | None:
    return int(value) if value is not None else None


def _str(value: object) -> str | None:
    return None if value is None else str(value)
