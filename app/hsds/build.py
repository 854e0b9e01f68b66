"""Building blocks of HSDS services for the ways offers come in (YAML catalogue, sheets):
the attribute that tags an owner with one of our terms, and a place an offer happens at."""

import uuid
from typing import Any

from app.catalogue.taxonomy import TermDef


def term_attribute(
    term: TermDef, *, attribute_id: str, owner_id: str, entity: str
) -> dict[str, Any]:
    """An HSDS attribute linking a service or organization (`entity`) to one of our terms."""
    return {
        "id": attribute_id,
        "link_id": owner_id,
        "link_type": term.taxonomy,
        "link_entity": entity,
        "taxonomy_term_id": term.id,
        "taxonomy_term": {
            "id": term.id,
            "code": term.code,
            "name": term.da,
            "description": term.en,
            "taxonomy": term.taxonomy,
            "language": "da",
        },
    }


def place(
    *,
    link_id: str,
    offer_id: str,
    location_id: str,
    name: str,
    street: str,
    postcode: str,
    city: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> dict[str, Any]:
    """An HSDS service_at_location with its physical location and Danish address."""
    location: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical",
        "name": name,
        "addresses": [
            {
                "id": str(uuid.uuid5(uuid.UUID(location_id), "address/0")),
                "location_id": location_id,
                "address_1": street,
                "postal_code": postcode,
                "city": city,
                # Filled in from the postcode on the way out (HSDS requires it).
                "state_province": "",
                "country": "DK",
                "address_type": "physical",
            }
        ],
    }
    if latitude is not None and longitude is not None:
        location |= {"latitude": latitude, "longitude": longitude}
    return {"id": link_id, "service_id": offer_id, "location_id": location_id, "location": location}
