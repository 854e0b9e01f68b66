"""How to load a whole offer at once, for the pages, the HSDS answers and the index."""

from typing import Any

from sqlalchemy.orm import selectinload

from app.models import Offer


def offer_load_options() -> list[Any]:
    """Eager loads that fetch a whole offer tree in a few queries."""
    return [
        selectinload(Offer.terms),  # type: ignore[arg-type]
        selectinload(Offer.phones),  # type: ignore[arg-type]
        selectinload(Offer.contacts),  # type: ignore[arg-type]
        selectinload(Offer.languages),  # type: ignore[arg-type]
        selectinload(Offer.cost_options),  # type: ignore[arg-type]
        selectinload(Offer.schedules),  # type: ignore[arg-type]
        selectinload(Offer.service_at_locations),  # type: ignore[arg-type]
    ]
