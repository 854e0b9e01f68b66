"""HSDS service dicts as plain table rows: what one service writes, table by table.

Pure functions, no database: the bulk writer compares these rows with what is stored and
writes only the differences.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.catalogue.errors import CatalogueError
from app.catalogue.taxonomy import Vocabulary
from app.models import OfferState

Row = dict[str, Any]

STATE_FOR_STATUS = {
    "active": OfferState.PUBLISHED,
    "temporarily closed": OfferState.TEMPORARILY_CLOSED,
    "inactive": OfferState.RETIRED,
    "defunct": OfferState.RETIRED,
}

# Foreign taxonomies that arrive without an id get one derived from their name.
_FOREIGN_TAXONOMY_NAMESPACE = uuid.UUID("0f6a1f1e-6b8c-4a53-9d3e-2f1c0b9a8e7d")


@dataclass
class ServiceRows:
    """Every row one HSDS service writes."""

    offer: Row
    organization: Row | None
    organization_terms: list[Row]
    parts: dict[str, list[Row]]
    locations: list[Row]
    addresses: dict[str, list[Row]]
    accessibility: dict[str, list[Row]] = field(default_factory=dict)
    foreign_taxonomies: list[Row] = field(default_factory=list)
    foreign_terms: list[Row] = field(default_factory=list)


# Part tables of an offer, in the order they are written.
PART_TABLES = (
    "offerterm",
    "contact",
    "phone",
    "language",
    "costoption",
    "schedule",
    "serviceatlocation",
)


def service_rows(
    data: dict[str, Any], *, state: OfferState, source: str, vocabulary: Vocabulary
) -> ServiceRows:
    """The rows of one validated HSDS service."""
    offer_id = data["id"]
    nested_org = data.get("organization")
    org_id = (nested_org or {}).get("id") or data["organization_id"]
    rows = ServiceRows(
        offer={
            "id": offer_id,
            "organization_id": org_id,
            "name": data["name"],
            "alternate_name": data.get("alternate_name"),
            "description": data.get("description", ""),
            "url": data.get("url"),
            "email": data.get("email"),
            "state": state,
            "application_process": data.get("application_process"),
            "fees_description": data.get("fees_description"),
            "eligibility_description": data.get("eligibility_description"),
            "minimum_age": _int(data.get("minimum_age")),
            "maximum_age": _int(data.get("maximum_age")),
            "assured_date": _date(data.get("assured_date")),
            "source": source,
        },
        organization=None,
        organization_terms=[],
        parts={name: [] for name in PART_TABLES},
        locations=[],
        addresses={},
    )
    if nested_org is not None:
        rows.organization = {
            "id": org_id,
            "name": nested_org["name"],
            "description": nested_org.get("description", ""),
            "website": nested_org.get("website"),
            "email": nested_org.get("email"),
        }
        rows.organization_terms = [
            {
                "id": a["id"],
                "organization_id": org_id,
                "term_id": _term_id(a, rows, vocabulary),
                "value": a.get("value"),
            }
            for a in nested_org.get("attributes", [])
        ]
    parts = rows.parts
    parts["offerterm"] = [
        {
            "id": a["id"],
            "offer_id": offer_id,
            "term_id": _term_id(a, rows, vocabulary),
            "value": a.get("value"),
        }
        for a in data.get("attributes", [])
    ]
    contacts = data.get("contacts", [])
    parts["contact"] = [
        {
            "id": c["id"],
            "offer_id": offer_id,
            "name": c.get("name"),
            "title": c.get("title"),
            "department": c.get("department"),
            "email": c.get("email"),
            "position": i,
        }
        for i, c in enumerate(contacts)
    ]
    phones = [(p, None) for p in data.get("phones", [])]
    phones += [(p, c["id"]) for c in contacts for p in c.get("phones", [])]
    parts["phone"] = [
        {
            "id": p["id"],
            "offer_id": offer_id,
            "contact_id": contact_id,
            "number": p["number"],
            "extension": _str(p.get("extension")),
            "type": p.get("type"),
            "description": p.get("description"),
            "position": i,
        }
        for i, (p, contact_id) in enumerate(phones)
    ]
    parts["language"] = [
        {
            "id": lang["id"],
            "offer_id": offer_id,
            "code": lang.get("code"),
            "name": lang.get("name"),
            "note": lang.get("note"),
            "position": i,
        }
        for i, lang in enumerate(data.get("languages", []))
    ]
    parts["costoption"] = [
        {
            "id": c["id"],
            "offer_id": offer_id,
            "option": c.get("option"),
            "amount": c.get("amount"),
            "currency": c.get("currency"),
            "amount_description": c.get("amount_description"),
            "valid_from": _date(c.get("valid_from")),
            "valid_to": _date(c.get("valid_to")),
            "position": i,
        }
        for i, c in enumerate(data.get("cost_options", []))
    ]
    parts["schedule"] = [
        _schedule_row(s, offer_id, i) for i, s in enumerate(data.get("schedules", []))
    ]
    for i, link in enumerate(data.get("service_at_locations", [])):
        nested = link.get("location")
        location_id = (nested or {}).get("id") or link.get("location_id")
        if not location_id:
            raise CatalogueError(f"service_at_locations[{i}]: no location")
        parts["serviceatlocation"].append(
            {
                "id": link["id"],
                "offer_id": offer_id,
                "location_id": location_id,
                "description": link.get("description"),
                "position": i,
            }
        )
        if nested is not None:
            rows.locations.append(_location_row(nested))
            rows.addresses[location_id] = [
                _address_row(a, location_id) for a in nested.get("addresses", [])
            ]
            rows.accessibility[location_id] = [
                {
                    "id": a["id"],
                    "location_id": location_id,
                    "description": a.get("description"),
                    "details": a.get("details"),
                    "url": a.get("url"),
                }
                for a in nested.get("accessibility", [])
            ]
    return rows


def _term_id(attribute: dict[str, Any], rows: ServiceRows, vocabulary: Vocabulary) -> str:
    incoming = attribute.get("taxonomy_term")
    if incoming is None:
        term_id: str = attribute["taxonomy_term_id"]
        return term_id
    ours = vocabulary.term(incoming.get("taxonomy") or "", incoming.get("code") or "")
    if ours is not None:
        return ours.id
    detail = incoming.get("taxonomy_detail") or {}
    name = incoming.get("taxonomy") or detail.get("name") or incoming.get("taxonomy_id") or "other"
    taxonomy_id = (
        incoming.get("taxonomy_id")
        or detail.get("id")
        or str(uuid.uuid5(_FOREIGN_TAXONOMY_NAMESPACE, name))
    )
    rows.foreign_taxonomies.append(
        {"id": taxonomy_id, "name": name, "description": detail.get("description", "")}
    )
    rows.foreign_terms.append(
        {
            "id": incoming["id"],
            "taxonomy_id": taxonomy_id,
            "code": incoming.get("code"),
            "name": incoming["name"],
            "description": incoming.get("description", ""),
            "language": incoming.get("language"),
            "parent_id": incoming.get("parent_id"),
            "term_uri": incoming.get("term_uri"),
        }
    )
    return str(incoming["id"])


def _schedule_row(s: dict[str, Any], offer_id: str, position: int) -> Row:
    row: Row = {"id": s["id"], "offer_id": offer_id, "position": position}
    row["freq"] = s.get("freq")
    row["interval"] = _int(s.get("interval"))
    row["count"] = _int(s.get("count"))
    for name in ("byday", "bymonthday", "byweekno", "byyearday", "wkst"):
        row[name] = _str(s.get(name))
    for name in ("dtstart", "until", "valid_from", "valid_to"):
        row[name] = _date(s.get(name))
    for name in ("opens_at", "closes_at", "description", "notes", "attending_type"):
        row[name] = s.get(name)
    row["schedule_link"] = s.get("schedule_link")
    return row


def _location_row(nested: dict[str, Any]) -> Row:
    return {
        "id": nested["id"],
        "location_type": nested["location_type"],
        "name": nested.get("name"),
        "description": nested.get("description"),
        "transportation": nested.get("transportation"),
        "latitude": nested.get("latitude"),
        "longitude": nested.get("longitude"),
        "url": nested.get("url"),
    }


def _address_row(a: dict[str, Any], location_id: str) -> Row:
    return {
        "id": a["id"],
        "location_id": location_id,
        "attention": a.get("attention"),
        "address_1": a["address_1"],
        "address_2": a.get("address_2"),
        "city": a["city"],
        "region": a.get("region"),
        "state_province": a.get("state_province"),
        "postal_code": a["postal_code"],
        "country": a.get("country") or "DK",
        "address_type": a.get("address_type") or "physical",
    }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _int(value: float | None) -> int | None:
    return int(value) if value is not None else None


def _str(value: object) -> str | None:
    return None if value is None else str(value)
