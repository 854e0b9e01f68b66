"""Test data made to order: `make_offer(session, name="Strikkeklub", terms=["tema/motion"])`.

Ids are derived from a readable key (the name, unless given), so the same call always makes the
same rows and a failing test names what it made. Each factory adds to the session and flushes;
the caller's `session_scope` commits.
"""

import uuid
from typing import Any

from sqlmodel import Session, select

from app.models import (
    Address,
    Location,
    Offer,
    OfferTerm,
    Organization,
    Phone,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

_NAMESPACE = uuid.UUID("6f1d3c2a-9b8e-4c7d-a6f5-e4d3c2b1a098")


def fixed_id(kind: str, key: str) -> str:
    """A fixed UUID for a kind of row and a readable key."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{key}"))


def make_organization(session: Session, **overrides: Any) -> Organization:
    values: dict[str, Any] = {"name": "Testforeningen", "description": "En forening til test."}
    values |= overrides
    values.setdefault("id", fixed_id("organization", values["name"]))
    organization = session.get(Organization, values["id"]) or Organization(**values)
    session.add(organization)
    session.flush()
    return organization


def term_id(session: Session, term: str) -> str:
    """The id of one of our terms, written "taxonomy/code" (e.g. "tema/motion")."""
    taxonomy, code = term.split("/")
    found = session.exec(
        select(TaxonomyTerm.id)
        .join(Taxonomy)
        .where(Taxonomy.name == taxonomy, TaxonomyTerm.code == code)
    ).one()
    return found


def make_offer(
    session: Session,
    *,
    terms: list[str] | None = None,
    phones: list[str] | None = None,
    organization: Organization | None = None,
    **overrides: Any,
) -> Offer:
    """A published offer; `terms` as "taxonomy/code", `phones` as numbers."""
    values: dict[str, Any] = {"name": "Tilbud 1"}
    values |= overrides
    values.setdefault("id", fixed_id("offer", values["name"]))
    values.setdefault("description", f"{values['name']}: et tilbud til test.")
    organization = organization or make_organization(session)
    offer = Offer(organization_id=organization.id, **values)
    session.add(offer)
    for i, term in enumerate(terms or []):
        link_id = fixed_id("offerterm", f"{offer.id}/{i}")
        session.add(OfferTerm(id=link_id, offer_id=offer.id, term_id=term_id(session, term)))
    for i, number in enumerate(phones or []):
        session.add(
            Phone(id=fixed_id("phone", f"{offer.id}/{i}"), offer_id=offer.id, number=number)
        )
    session.flush()
    return offer


def make_place(session: Session, offer: Offer, **overrides: Any) -> Location:
    """A place with a Danish address where the offer happens."""
    values: dict[str, Any] = {"name": "Medborgerhuset", "street": "Torvet 1"}
    values |= {"postcode": "4400", "city": "Kalundborg"} | overrides
    location_id = values.pop("id", fixed_id("location", values["name"]))
    street, postcode, city = values.pop("street"), values.pop("postcode"), values.pop("city")
    location = session.get(Location, location_id) or Location(id=location_id, **values)
    session.add(location)
    session.flush()
    if not location.addresses:
        address_id = fixed_id("address", location_id)
        session.add(
            Address(
                id=address_id,
                location_id=location_id,
                address_1=street,
                postal_code=postcode,
                city=city,
                country="DK",
            )
        )
    link_id = fixed_id("at", f"{offer.id}/{location_id}")
    session.add(ServiceAtLocation(id=link_id, offer_id=offer.id, location_id=location_id))
    session.flush()
    return location
