"""Test data made to order: `make_offer(session, name="Strikkeklub", terms=["tema/motion"])`.

Ids are uuid5s of a readable key (the name, unless an id is given), never random, so the same
calls always make the same rows. Left out, a name is the first free one of "Tilbud 1",
"Tilbud 2", ...; offers without an organisation share one default. Terms are ours, synced by
the `engine` fixture. Each factory adds to the session and flushes; the caller commits.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from app.models import (
    Address,
    Location,
    Offer,
    OfferTerm,
    Organization,
    Phone,
    Schedule,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

_NAMESPACE = uuid.UUID("6f1d3c2a-9b8e-4c7d-a6f5-e4d3c2b1a098")
DEFAULT_ORGANIZATION = "Frivilligcentret"
# Keyword arguments of make_location that belong to its address rather than the place.
_ADDRESS_FIELDS = frozenset(Address.model_fields) - {"id", "location_id"}


def fixed_id(kind: str, key: str) -> str:
    """The id of a kind of row ("offer", "location", ...) with a readable key."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{key}"))


def _first_free_name(session: Session, model: type[SQLModel], kind: str, stem: str) -> str:
    """The first of "<stem> 1", "<stem> 2", ... whose derived id is not taken yet."""
    n = 1
    while session.get(model, fixed_id(kind, f"{stem} {n}")) is not None:
        n += 1
    return f"{stem} {n}"


def _count(session: Session, model: type[Phone] | type[Schedule], offer: Offer) -> int:
    """How many rows of a part (schedules, phones) the offer has: the next one's position."""
    return session.exec(
        select(func.count()).select_from(model).where(model.offer_id == offer.id)
    ).one()


def make_organization(session: Session, **overrides: Any) -> Organization:
    """An association; `name` defaults to the first free "Forening N"."""
    values: dict[str, Any] = {"description": "En forening i testbyen."} | overrides
    values.setdefault("name", _first_free_name(session, Organization, "organization", "Forening"))
    values.setdefault("id", fixed_id("organization", values["name"]))
    organization = Organization(**values)
    session.add(organization)
    session.flush()
    return organization


def _default_organization(session: Session) -> Organization:
    found = session.get(Organization, fixed_id("organization", DEFAULT_ORGANIZATION))
    return found or make_organization(session, name=DEFAULT_ORGANIZATION)


def term_id(session: Session, taxonomy: str, code: str) -> str:
    """The id of one of our synced terms, e.g. ("tema", "motion")."""
    found = session.exec(
        select(TaxonomyTerm.id)
        .join(Taxonomy)
        .where(Taxonomy.name == taxonomy, TaxonomyTerm.code == code)
    ).one_or_none()
    if found is None:
        raise LookupError(f"no term {taxonomy}/{code}: unknown, or the vocabulary is not synced")
    return found


def tag(session: Session, offer: Offer, taxonomy: str, code: str) -> OfferTerm:
    """Give the offer one of our terms."""
    link = OfferTerm(
        id=fixed_id("offerterm", f"{offer.id}/{taxonomy}/{code}"),
        offer_id=offer.id,
        term_id=term_id(session, taxonomy, code),
    )
    session.add(link)
    session.flush()
    return link


def make_phone(session: Session, offer: Offer, number: str = "+45 70 00 00 00") -> Phone:
    position = _count(session, Phone, offer)
    phone = Phone(
        id=fixed_id("phone", f"{offer.id}/{position}"),
        offer_id=offer.id,
        number=number,
        position=position,
    )
    session.add(phone)
    session.flush()
    return phone


def make_schedule(session: Session, offer: Offer, **overrides: Any) -> Schedule:
    """When the offer happens; by default every Tuesday 10-12, local time."""
    position = _count(session, Schedule, offer)
    values: dict[str, Any] = {"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00"}
    values |= {"closes_at": "12:00", "position": position} | overrides
    values.setdefault("id", fixed_id("schedule", f"{offer.id}/{position}"))
    schedule = Schedule(offer_id=offer.id, **values)
    session.add(schedule)
    session.flush()
    return schedule


def make_location(session: Session, **overrides: Any) -> Location:
    """A place with one Danish address; address fields (address_1, postal_code, city, ...)
    go to the address, the others to the place."""
    address: dict[str, Any] = {"address_1": "Torvet 1", "postal_code": "4400", "city": "Testby"}
    address |= {key: value for key, value in overrides.items() if key in _ADDRESS_FIELDS}
    values = {key: value for key, value in overrides.items() if key not in _ADDRESS_FIELDS}
    values.setdefault("name", _first_free_name(session, Location, "location", "Mødested"))
    values.setdefault("id", fixed_id("location", values["name"]))
    location = Location(**values)
    session.add(location)
    session.add(Address(id=fixed_id("address", location.id), location_id=location.id, **address))
    session.flush()
    return location


def make_offer(
    session: Session,
    *,
    organization: Organization | None = None,
    terms: Iterable[str] = (),
    phones: Iterable[str] = (),
    locations: Iterable[Location] = (),
    **overrides: Any,
) -> Offer:
    """A published offer. `terms` are "taxonomy/code" ("tema/motion"), `phones` numbers,
    `locations` places where it happens; other keywords set Offer fields."""
    values: dict[str, Any] = dict(overrides)
    values.setdefault("name", _first_free_name(session, Offer, "offer", "Tilbud"))
    values.setdefault("id", fixed_id("offer", values["name"]))
    values.setdefault("description", f"{values['name']}: et tilbud i testbyen.")
    organization = organization or _default_organization(session)
    offer = Offer(organization_id=organization.id, **values)
    session.add(offer)
    session.flush()
    for term in terms:
        taxonomy, code = term.split("/")
        tag(session, offer, taxonomy, code)
    for number in phones:
        make_phone(session, offer, number)
    for position, location in enumerate(locations):
        session.add(
            ServiceAtLocation(
                id=fixed_id("at", f"{offer.id}/{location.id}"),
                offer_id=offer.id,
                location_id=location.id,
                position=position,
            )
        )
    session.flush()
    return offer
