"""Offers out as fully nested Open Referral HSDS 3.0 services.

Staff-only facts and the workflow state never appear here; the state maps onto HSDS `status`.
Fields HSDS requires but we may lack are derived (organization description, address region).
"""

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from app.catalogue.loading import offer_load_options
from app.catalogue.visibility import visible
from app.models import (
    Address,
    Offer,
    OfferState,
    Organization,
    Phone,
    ServiceAtLocation,
    TaxonomyTerm,
)

HSDS_STATUS = {
    OfferState.PUBLISHED: "active",
    OfferState.TEMPORARILY_CLOSED: "temporarily closed",
    OfferState.RETIRED: "inactive",
    OfferState.DRAFT: "inactive",
    OfferState.PENDING: "inactive",
}

# Danish postcodes by first digits → region; HSDS requires state_province on an address.
_REGIONS_BY_POSTCODE = (
    ((1000, 3699), "Region Hovedstaden"),
    ((3700, 3799), "Region Hovedstaden"),
    ((4000, 4999), "Region Sjælland"),
    ((5000, 6699), "Region Syddanmark"),
    ((6700, 7299), "Region Syddanmark"),
    ((7300, 8999), "Region Midtjylland"),
    ((9000, 9999), "Region Nordjylland"),
)


def iter_public_services(*, session: Session, batch_size: int = 200) -> Iterator[dict[str, Any]]:
    """Every published or temporarily closed offer as an HSDS service, ordered by name."""
    query = (
        select(Offer)
        .where(visible())
        .order_by(Offer.name, Offer.id)
        .options(*offer_load_options())
        .execution_options(yield_per=batch_size)
    )
    for offer in session.exec(query):
        yield service_to_hsds(offer)


def service_fields(offer: Offer) -> dict[str, Any]:
    """The service's own one-to-one fields (what an HSDS service_list item holds)."""
    return _clean(
        {
            "id": offer.id,
            "organization_id": offer.organization_id,
            "name": offer.name,
            "alternate_name": offer.alternate_name,
            "description": offer.description,
            "url": offer.url,
            "email": offer.email,
            "status": HSDS_STATUS[offer.state],
            "application_process": offer.application_process,
            "fees_description": offer.fees_description,
            "eligibility_description": offer.eligibility_description,
            "minimum_age": offer.minimum_age,
            "maximum_age": offer.maximum_age,
            "assured_date": _iso(offer.assured_date),
            "last_modified": timestamp(offer.updated_at),
        }
    )


def service_to_hsds(offer: Offer) -> dict[str, Any]:
    """One offer as a fully nested HSDS service."""
    service = service_fields(offer)
    service["organization"] = organization_to_hsds(offer.organization)
    service["attributes"] = [
        _attribute(link.id, offer.id, "service", link.term, link.value)
        for link in sorted(offer.terms, key=_term_order)
    ]
    service["phones"] = [_phone(p) for p in sorted(offer.phones, key=_position) if not p.contact_id]
    service["contacts"] = [
        _clean(
            {
                "id": c.id,
                "service_id": offer.id,
                "name": c.name,
                "title": c.title,
                "department": c.department,
                "email": c.email,
                "phones": [_phone(p) for p in offer.phones if p.contact_id == c.id],
            }
        )
        for c in sorted(offer.contacts, key=_position)
    ]
    service["schedules"] = [
        _clean(
            {
                "id": s.id,
                "service_id": offer.id,
                "freq": s.freq,
                "interval": s.interval,
                "byday": s.byday,
                "bymonthday": s.bymonthday,
                "byweekno": s.byweekno,
                "byyearday": s.byyearday,
                "wkst": s.wkst,
                "count": s.count,
                "dtstart": _iso(s.dtstart),
                "until": _iso(s.until),
                "valid_from": _iso(s.valid_from),
                "valid_to": _iso(s.valid_to),
                "opens_at": s.opens_at,
                "closes_at": s.closes_at,
                "description": s.description,
                "notes": s.notes,
                "attending_type": s.attending_type,
                "schedule_link": s.schedule_link,
            }
        )
        for s in sorted(offer.schedules, key=_position)
    ]
    service["service_at_locations"] = [
        _service_at_location(sal, offer.id)
        for sal in sorted(offer.service_at_locations, key=_position)
    ]
    service["languages"] = [
        _clean(
            {
                "id": lang.id,
                "service_id": offer.id,
                "code": lang.code,
                "name": lang.name,
                "note": lang.note,
            }
        )
        for lang in sorted(offer.languages, key=_position)
    ]
    service["cost_options"] = [
        _clean(
            {
                "id": c.id,
                "service_id": offer.id,
                "option": c.option,
                "amount": c.amount,
                "currency": c.currency,
                "amount_description": c.amount_description,
                "valid_from": _iso(c.valid_from),
                "valid_to": _iso(c.valid_to),
            }
        )
        for c in sorted(offer.cost_options, key=_position)
    ]
    return service


def organization_to_hsds(org: Organization) -> dict[str, Any]:
    """An organization with its provider-type attributes; HSDS requires a description."""
    result = _clean(
        {
            "id": org.id,
            "name": org.name,
            "description": org.description or org.name,
            "website": org.website,
            "email": org.email,
        }
    )
    result["attributes"] = [
        _attribute(link.id, org.id, "organization", link.term, link.value)
        for link in sorted(org.terms, key=_term_order)
    ]
    return result


def term_to_hsds(term: TaxonomyTerm) -> dict[str, Any]:
    """A taxonomy term, with the taxonomy's name in `taxonomy` as our conventions require."""
    return _clean(
        {
            "id": term.id,
            "code": term.code,
            "name": term.name,
            "description": term.description or term.name,
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": term.taxonomy_id,
            "parent_id": term.parent_id,
            "term_uri": term.term_uri,
            "language": term.language,
        }
    )


def region_for_postcode(postal_code: str) -> str | None:
    """The Danish region of a postcode, or None when it is not a Danish postcode."""
    if not postal_code.isdigit():
        return None
    number = int(postal_code)
    return next(
        (region for (low, high), region in _REGIONS_BY_POSTCODE if low <= number <= high), None
    )


def _service_at_location(sal: ServiceAtLocation, offer_id: str) -> dict[str, Any]:
    loc = sal.location
    location = _clean(
        {
            "id": loc.id,
            "location_type": loc.location_type,
            "name": loc.name,
            "description": loc.description,
            "transportation": loc.transportation,
            "latitude": loc.latitude,
            "longitude": loc.longitude,
            "url": loc.url,
        }
    )
    location["addresses"] = [_address(a) for a in loc.addresses]
    location["accessibility"] = [
        _clean(
            {
                "id": a.id,
                "location_id": loc.id,
                "description": a.description,
                "details": a.details,
                "url": a.url,
            }
        )
        for a in sorted(loc.accessibility, key=lambda a: a.id)
    ]
    return _clean(
        {
            "id": sal.id,
            "service_id": offer_id,
            "location_id": loc.id,
            "description": sal.description,
            "location": location,
        }
    )


def _address(a: Address) -> dict[str, Any]:
    return _clean(
        {
            "id": a.id,
            "location_id": a.location_id,
            "attention": a.attention,
            "address_1": a.address_1,
            "address_2": a.address_2,
            "city": a.city,
            "region": a.region,
            "state_province": a.state_province or region_for_postcode(a.postal_code) or a.city,
            "postal_code": a.postal_code,
            "country": a.country or "DK",
            "address_type": a.address_type,
        }
    )


def _phone(p: Phone) -> dict[str, Any]:
    return _clean(
        {
            "id": p.id,
            "service_id": p.offer_id if not p.contact_id else None,
            "contact_id": p.contact_id,
            "number": p.number,
            "extension": p.extension,
            "type": p.type,
            "description": p.description,
        }
    )


def _attribute(
    link_id: str, owner_id: str, entity: str, term: TaxonomyTerm, value: str | None
) -> dict[str, Any]:
    return _clean(
        {
            "id": link_id,
            "link_id": owner_id,
            "link_type": term.taxonomy.name,
            "link_entity": entity,
            "taxonomy_term_id": term.id,
            "value": value,
            "taxonomy_term": term_to_hsds(term),
        }
    )


def _term_order(link: Any) -> tuple[str, int, str]:
    return (link.term.taxonomy.name, link.term.position, link.term.code or link.term.id)


def _position(row: Any) -> int:
    return int(row.position)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def timestamp(value: datetime) -> str:
    """An HSDS datetime with millisecond accuracy, in UTC."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values: HSDS types them as strings or numbers, never null."""
    return {key: value for key, value in data.items() if value is not None and value != ""}
