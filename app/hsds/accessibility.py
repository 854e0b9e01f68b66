"""Our accessibility facts of a place (step-free access, hearing loop, accessible toilet) as
HSDS `accessibility` records: the code in `details`, a Danish `description` for other systems.

Records from elsewhere (details that are not our codes) are kept as they are.
"""

import uuid
from typing import Any

from app.i18n import ACCESSIBILITY_CODES

_DESCRIPTION = {
    "trinfri": "Trinfri adgang",
    "teleslynge": "Teleslynge",
    "handicaptoilet": "Handicaptoilet",
}


def access_codes(service: dict[str, Any]) -> set[str]:
    """Our codes on the service's first place."""
    location = _first_location(service)
    records = (location or {}).get("accessibility") or []
    return {str(a.get("details")) for a in records if a.get("details") in ACCESSIBILITY_CODES}


def put_access(service: dict[str, Any], codes: set[str]) -> None:
    """Make `codes` the facts of the service's first place (nothing when it has no place)."""
    location = _first_location(service)
    if location is None:
        return
    kept = location.get("accessibility") or []
    others = [a for a in kept if a.get("details") not in ACCESSIBILITY_CODES]
    ours = [
        {
            "id": str(uuid.uuid5(uuid.UUID(location["id"]), f"accessibility/{code}")),
            "location_id": location["id"],
            "details": code,
            "description": _DESCRIPTION[code],
        }
        for code in ACCESSIBILITY_CODES
        if code in codes
    ]
    if ours or others:
        location["accessibility"] = [*others, *ours]
    else:
        location.pop("accessibility", None)


def _first_location(service: dict[str, Any]) -> dict[str, Any] | None:
    places = service.get("service_at_locations") or []
    location = places[0].get("location") if places else None
    return location if isinstance(location, dict) else None
