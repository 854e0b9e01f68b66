"""Reading offers for the public pages: how many, theme counts, the newest offers, one offer
with everything it shows, and offers similar to it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.catalogue.loading import offer_load_options
from app.catalogue.visibility import Viewer, may_see, running, visible
from app.models import (
    Offer,
    OfferState,
    OfferTerm,
    Organization,
    Taxonomy,
    TaxonomyTerm,
)


@dataclass(frozen=True)
class OfferLink:
    """An offer as a line in a list."""

    id: str
    name: str
    organization: str


@dataclass(frozen=True)
class ThemeCount:
    """A theme with the number of public offers under it."""

    code: str
    term_id: str
    count: int


def count_public_offers(*, session: Session) -> int:
    """How many offers the public can see."""
    query = select(func.count()).select_from(Offer).where(visible())
    return session.exec(query).one()


def list_themes(*, session: Session) -> list[ThemeCount]:
    """Every theme in taxonomy order, with how many public offers it has."""
    terms = session.exec(
        select(TaxonomyTerm)
        .join(Taxonomy)
        .where(Taxonomy.name == "tema")
        .order_by(col(TaxonomyTerm.position))
    ).all()
    # One counting query instead of loading every offer and its organisation.
    rows = session.exec(
        select(OfferTerm.term_id, func.count(col(Offer.id)))
        .join(Offer, col(Offer.id) == OfferTerm.offer_id)
        .where(visible())
        .group_by(col(OfferTerm.term_id))
    ).all()
    counts = dict(rows)
    return [ThemeCount(code=t.code or "", term_id=t.id, count=counts.get(t.id, 0)) for t in terms]


def list_newest(*, session: Session, limit: int = 6) -> list[OfferLink]:
    """The most recently added published offers, newest first."""
    offers = session.exec(
        select(Offer)
        .where(running())
        .order_by(col(Offer.created_at).desc(), col(Offer.name))
        .limit(limit)
    ).all()
    return [OfferLink(o.id, o.name, o.organization.name) for o in offers]


# How much a shared term counts when looking for similar offers: a theme says more than a group.
_SIMILARITY_WEIGHTS = {"tema": 2, "maalgruppe": 1}


def similar_offers(*, session: Session, offer: Offer, limit: int = 4) -> list[OfferLink]:
    """Other published offers sharing the offer's themes and target groups, most shared first.
    When the offer has themes, a similar offer shares at least one of them."""
    mine = {
        link.term_id: link.term.taxonomy.name
        for link in offer.terms
        if link.term.taxonomy.name in _SIMILARITY_WEIGHTS
    }
    if not mine:
        return []
    rows = session.exec(
        select(OfferTerm.offer_id, OfferTerm.term_id)
        .join(Offer, col(Offer.id) == OfferTerm.offer_id)
        .where(col(OfferTerm.term_id).in_(list(mine)))
        .where(Offer.id != offer.id)
        .where(running())
    ).all()
    scores: dict[str, int] = defaultdict(int)
    themed: set[str] = set()
    for offer_id, term_id in rows:
        taxonomy = mine[term_id]
        scores[offer_id] += _SIMILARITY_WEIGHTS[taxonomy]
        if taxonomy == "tema":
            themed.add(offer_id)
    if "tema" in mine.values():
        scores = {offer_id: score for offer_id, score in scores.items() if offer_id in themed}
    if not scores:
        return []
    candidates = session.exec(select(Offer).where(col(Offer.id).in_(list(scores)))).all()
    best = sorted(candidates, key=lambda o: (-scores[o.id], o.name, o.id))[:limit]
    return [OfferLink(o.id, o.name, o.organization.name) for o in best]


def get_offer(*, session: Session, id: str, viewer: Viewer = Viewer.PUBLIC) -> Offer | None:
    """An offer the viewer may see, with everything it shows, or None."""
    offer = session.get(Offer, id, options=offer_load_options())
    if offer is None or not may_see(offer.state, viewer):
        return None
    return offer


@dataclass(frozen=True)
class OfferRow:
    """One line of the staff's list of offers."""

    id: str
    name: str
    organization: str
    state: OfferState
    updated_at: datetime


def find_offers(*, session: Session, text: str, limit: int = 50) -> tuple[list[OfferRow], int]:
    """Offers in every state whose name, description or organisation holds every word typed,
    newest change first; and how many there are in all."""
    words = [w for w in text.lower().split() if w][:8]
    query = select(Offer).join(Organization, col(Organization.id) == col(Offer.organization_id))
    for word in words:
        query = query.where(
            or_(
                func.lower(Offer.name).contains(word, autoescape=True),
                func.lower(Offer.description).contains(word, autoescape=True),
                func.lower(Organization.name).contains(word, autoescape=True),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    offers = session.exec(
        query.order_by(col(Offer.updated_at).desc(), col(Offer.id)).limit(limit)
    ).all()
    rows = [OfferRow(o.id, o.name, o.organization.name, o.state, o.updated_at) for o in offers]
    return rows, total
