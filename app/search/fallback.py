"""A plain database search for when the index cannot answer (being built, or damaged).

It finds offers whose name or description holds every word typed (or, failing that, any of
them), with the same filters, names first. It knows no Danish analysis, synonyms or facet
counts: the page says the results are simpler while the index is being repaired.
"""

import re
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, func, literal, not_, or_
from sqlmodel import Session, col, select

from app.catalogue.visibility import visible
from app.models import (
    Address,
    Offer,
    OfferTerm,
    OrganizationTerm,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from app.search.analysis import normalise
from app.search.query import Hit, SearchRequest, SearchResult, stated_age
from app.search.schema import FACETS

_WORD = re.compile(r"[^\W_]{2,}")
_MAX_WORDS = 8


def _has_code(taxonomy: str, codes: tuple[str, ...]) -> ColumnElement[bool]:
    """Offers carrying one of these codes (on the offer, or on its organisation for udbyder)."""
    terms = (
        select(TaxonomyTerm.id)
        .join(Taxonomy, col(Taxonomy.id) == col(TaxonomyTerm.taxonomy_id))
        .where(col(Taxonomy.name) == taxonomy, col(TaxonomyTerm.code).in_(codes))
    )
    on_offer = select(OfferTerm.offer_id).where(col(OfferTerm.term_id).in_(terms))
    on_org = select(OrganizationTerm.organization_id).where(
        col(OrganizationTerm.term_id).in_(terms)
    )
    return or_(col(Offer.id).in_(on_offer), col(Offer.organization_id).in_(on_org))


def _in_town(towns: tuple[str, ...]) -> ColumnElement[bool]:
    offers = (
        select(ServiceAtLocation.offer_id)
        .join(Address, col(Address.location_id) == col(ServiceAtLocation.location_id))
        .where(col(Address.city).in_(towns))
    )
    return col(Offer.id).in_(offers)


def _filters(request: SearchRequest) -> list[ColumnElement[bool]]:
    where = [visible()]
    for facet, codes in request.facets.items():
        if codes and facet in FACETS:
            where.append(_in_town(codes) if facet == "town" else _has_code(facet, codes))
    for facet, codes in request.exclude.items():
        if codes and facet in FACETS and facet != "town":
            where.append(not_(_has_code(facet, codes)))
    for term_id in request.term_ids:
        where.append(
            or_(
                col(Offer.id).in_(
                    select(OfferTerm.offer_id).where(col(OfferTerm.term_id) == term_id)
                ),
                col(Offer.organization_id).in_(
                    select(OrganizationTerm.organization_id).where(
                        col(OrganizationTerm.term_id) == term_id
                    )
                ),
            )
        )
    if request.organization_id is not None:
        where.append(col(Offer.organization_id) == request.organization_id)
    age = request.age if request.age is not None else stated_age(request.text)
    if age is not None:
        where.append(or_(col(Offer.minimum_age).is_(None), col(Offer.minimum_age) <= age))
        where.append(or_(col(Offer.maximum_age).is_(None), col(Offer.maximum_age) >= age))
    return where


def database_search(engine: Engine, request: SearchRequest) -> SearchResult:
    """The request answered from the database alone, marked `degraded`."""
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(normalise(request.text))))
    words = words[:_MAX_WORDS]
    base = _filters(request)

    def matches(word: str) -> ColumnElement[bool]:
        return or_(
            func.lower(Offer.name).contains(word, autoescape=True),
            func.lower(Offer.description).contains(word, autoescape=True),
        )

    in_name: ColumnElement[int] = sum(
        (case((func.lower(Offer.name).contains(w, autoescape=True), 1), else_=0) for w in words),
        start=literal(0),
    )
    with Session(engine) as session:
        attempts = [and_(*map(matches, words)), or_(*map(matches, words))] if words else [None]
        for text_match in attempts:
            where = base if text_match is None else [*base, text_match]
            total = session.exec(select(func.count()).select_from(Offer).where(*where)).one()
            if total:
                break
        order: list[Any] = [in_name.desc(), col(Offer.name), col(Offer.id)]
        if request.sort == "newest" and not words:
            order = [col(Offer.updated_at).desc(), col(Offer.id)]
        query = select(Offer.id).where(*where).order_by(*order).offset(request.offset)
        if request.limit is not None:
            query = query.limit(request.limit)
        ids = session.exec(query).all()
    return SearchResult(
        hits=[Hit(offer_id=offer_id, score=0.0, akut=False) for offer_id in ids],
        total=total,
        facets={facet: [] for facet in FACETS},
        crisis=False,
        suggestion=None,
        relaxed={},
        concepts=[],
        degraded=True,
    )


def database_towns(engine: Engine) -> frozenset[str]:
    """Every town a visible offer is in."""
    query = (
        select(Address.city)
        .join(ServiceAtLocation, col(ServiceAtLocation.location_id) == col(Address.location_id))
        .join(Offer, col(Offer.id) == col(ServiceAtLocation.offer_id))
        .where(visible())
        .distinct()
    )
    with Session(engine) as session:
        return frozenset(city for city in session.exec(query).all() if city)
