""" "Findes dit tilbud allerede?": published offers that look like the same one — most of the
name's words in common, in the same town when one is given."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Address, Offer, ServiceAtLocation
from app.search import SearchRequest, SearchService
from app.search.analysis import analyse

SIMILAR = 0.5


@dataclass(frozen=True)
class LookAlike:
    id: str
    name: str
    town: str


def look_alikes(
    session: Session, search: SearchService, *, name: str, town: str, exclude: str | None = None
) -> list[LookAlike]:
    wanted = set(analyse(name))
    if not wanted:
        return []
    facets: dict[str, tuple[str, ...]] = {"town": (town,)} if town else {}
    hits = search.search(SearchRequest(text=name, facets=facets, limit=10)).hits
    ids = [hit.offer_id for hit in hits if hit.offer_id != exclude]
    if not ids:
        return []
    offers = {o.id: o for o in session.exec(select(Offer).where(col(Offer.id).in_(ids))).all()}
    towns = dict(
        session.exec(
            select(ServiceAtLocation.offer_id, Address.city)
            .join(Address, col(Address.location_id) == col(ServiceAtLocation.location_id))
            .where(col(ServiceAtLocation.offer_id).in_(ids))
        ).all()
    )
    found = []
    for offer_id in ids:
        offer = offers.get(offer_id)
        if offer is None:
            continue
        theirs = set(analyse(offer.name))
        if len(wanted & theirs) / max(1, len(wanted | theirs)) >= SIMILAR:
            found.append(LookAlike(offer.id, offer.name, towns.get(offer.id, "")))
    return found[:3]
