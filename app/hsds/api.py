"""The read-only Open Referral HSDS 3.0 API: queries and the JSON it answers with.

Only published and temporarily closed offers are visible, except that a `modified_after`
query also lists retired offers (status `inactive`), so a consumer learns of removals. Drafts
and pending offers never appear, and staff-only facts are never read here. Every answer is
bounded: a page holds at most MAX_PER_PAGE items and at most NESTED_PER_PAGE nested services.
"""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, true
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.catalogue.loading import offer_load_options
from app.catalogue.visibility import may_see, visible
from app.hsds.export import (
    organization_to_hsds,
    service_fields,
    service_to_hsds,
    term_to_hsds,
    timestamp,
)
from app.models import (
    Address,
    ChangeLog,
    Location,
    Offer,
    OfferTerm,
    Organization,
    OrganizationTerm,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from app.search import SearchRequest, SearchService

MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
# Nested services are capped so that no answer grows with the catalogue (issue 10: a page of
# organizations nesting every service was 60 MB at 10k offers). A full service is 6-9 kB of
# JSON, so a page of organizations stays under about 5 MB and one organization under 2 MB.
# One organization nests its first services by name, as many as a full page of services.
NESTED_PER_ORGANIZATION = MAX_PER_PAGE
# In a list of organizations, each nests at most this many ...
NESTED_PER_LISTED_ORGANIZATION = 50
# ... and the whole page at most this many, so larger pages nest fewer per organization.
NESTED_PER_PAGE = 500
# Ids per IN (...) list: far below SQLite's limit on bound parameters.
_ID_BATCH = 5000

# How this catalogue uses HSDS 3.0: what /hsds/profile answers.
PROFILE: dict[str, Any] = {
    "name": "Opslagstavlen HSDS 3.0 profile",
    "hsds_version": "3.0",
    "taxonomies": "Terms travel in service attributes (provider type, udbyder, in organization "
    "attributes) with taxonomy_term.taxonomy and taxonomy_term.code; see /hsds/taxonomy_terms.",
    "term_ids": "taxonomy id = uuid5(namespace, 'taxonomy/<taxonomy>'); "
    "term id = uuid5(namespace, 'term/<taxonomy>/<code>'); the same on every installation.",
    "status": {
        "active": "published",
        "temporarily closed": "temporarily closed",
        "inactive": "retired (listed only with modified_after)",
    },
    "eligibility_description": "The legal basis of the offer, e.g. 'Serviceloven § 104'.",
    "schedules": "Local Danish time (Europe/Copenhagen); timezone is not used. A dated event "
    "has no freq and dtstart = valid_from = valid_to; interval > 1 has dtstart as first date.",
    "languages": "ISO 639-1 codes.",
}


@dataclass(frozen=True)
class Paging:
    """Which page of how many items a client asked for (page counts from 1)."""

    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class ServiceFilter:
    """The filters of /services and /service_at_locations."""

    search: str | None = None
    taxonomy_term_ids: tuple[str, ...] = ()
    # None: no filter; an id that nothing has (such as ""): no results.
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None

    @property
    def needs_sql(self) -> bool:
        """Whether a filter is set that only SQL can apply (the search index lacks it)."""
        return self.taxonomy_id is not None or self.modified_after is not None


def envelope(contents: Sequence[Any], *, total: int, paging: Paging) -> dict[str, Any]:
    """An HSDS paginated envelope around one page of contents."""
    total_pages = math.ceil(total / paging.per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": not contents,
        "contents": list(contents),
    }


def nested_per_listed_organization(per_page: int) -> int:
    """How many services each organization nests in a list page of `per_page` organizations.

    >>> [nested_per_listed_organization(n) for n in (1, 10, 50, 200)]
    [50, 50, 10, 2]
    """
    return max(1, min(NESTED_PER_LISTED_ORGANIZATION, NESTED_PER_PAGE // max(per_page, 1)))


def parse_term_ids(value: str | None) -> tuple[str, ...]:
    """The ids of a comma-separated taxonomy_term_id parameter."""
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _offer_conditions(filters: ServiceFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.modified_after is not None:
        changed = select(ChangeLog.offer_id).where(ChangeLog.changed_at >= filters.modified_after)
        conditions.append(visible(or_retired=True))
        conditions.append(col(Offer.id).in_(changed))
    else:
        conditions.append(visible())
    for term_id in filters.taxonomy_term_ids:
        conditions.append(_has_term(col(TaxonomyTerm.id) == term_id))
    if filters.taxonomy_id is not None:
        conditions.append(_has_term(col(TaxonomyTerm.taxonomy_id) == filters.taxonomy_id))
    if filters.organization_id is not None:
        conditions.append(col(Offer.organization_id) == filters.organization_id)
    for word in (filters.search or "").split():
        pattern = f"%{_escape_like(word)}%"
        conditions.append(
            or_(
                col(Offer.name).ilike(pattern, escape="\\"),
                col(Offer.description).ilike(pattern, escape="\\"),
                col(Offer.id).in_(
                    select(Offer.id)
                    .join(Organization)
                    .where(col(Organization.name).ilike(pattern, escape="\\"))
                ),
            )
        )
    return conditions


def _has_term(term_condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """The offer carries a matching term, or its organization does (the provider type)."""
    on_offer = select(OfferTerm.offer_id).join(TaxonomyTerm).where(term_condition)
    on_org = (
        select(Offer.id)
        .join(OrganizationTerm, col(OrganizationTerm.organization_id) == Offer.organization_id)
        .join(TaxonomyTerm, col(TaxonomyTerm.id) == OrganizationTerm.term_id)
        .where(term_condition)
    )
    return or_(col(Offer.id).in_(on_offer), col(Offer.id).in_(on_org))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _count(session: Session, query: Select[Any]) -> int:
    total: int = session.exec(select(func.count()).select_from(query.subquery())).one()
    return total


def list_services(
    *,
    session: Session,
    search: SearchService,
    filters: ServiceFilter,
    paging: Paging,
    full: bool,
    minimal: bool = False,
) -> dict[str, Any]:
    """One page of services: list items, fully nested services with `full`, or just the id
    and last change with `minimal`. Words are matched and ranked by the search engine; the
    other filters by SQL, or by the engine where it knows them."""
    if minimal:
        return _list_minimal(session, filters, paging)
    if not (filters.search and filters.search.strip()):
        return _list_by_name(session, filters, paging, full)
    # Filters only SQL knows need every match; otherwise the engine ranks just this page.
    needs_all = filters.needs_sql
    request = SearchRequest(
        text=filters.search,
        term_ids=filters.taxonomy_term_ids,
        organization_id=filters.organization_id,
        limit=None if needs_all else paging.offset + paging.per_page,
    )
    result = search.search(request)
    ranked = [hit.offer_id for hit in result.hits]
    if needs_all:
        ranked = _allowed_by_sql(session, filters, ranked)
    total = len(ranked) if needs_all else result.total
    return _page_in_order(session, ranked, paging, full, total)


def _list_by_name(
    session: Session, filters: ServiceFilter, paging: Paging, full: bool
) -> dict[str, Any]:
    query = select(Offer).where(and_(true(), *_offer_conditions(filters)))
    total = _count(session, query)
    page = query.order_by(Offer.name, Offer.id).offset(paging.offset).limit(paging.per_page)
    if full:
        offers = session.exec(page.options(*offer_load_options())).unique().all()
        contents = [service_to_hsds(offer) for offer in offers]
    else:
        contents = [service_list_item(offer) for offer in session.exec(page).unique().all()]
    return envelope(contents, total=total, paging=paging)


def _allowed_by_sql(session: Session, filters: ServiceFilter, ranked: list[str]) -> list[str]:
    """The ranked ids that also pass the filters only SQL knows, in their order."""
    conditions = _offer_conditions(replace(filters, search=None))
    allowed: set[str] = set()
    for start in range(0, len(ranked), _ID_BATCH):
        batch = ranked[start : start + _ID_BATCH]
        matching = select(Offer.id).where(col(Offer.id).in_(batch), *conditions)
        allowed.update(session.exec(matching).all())
    return [offer_id for offer_id in ranked if offer_id in allowed]


def _page_in_order(
    session: Session, ranked: list[str], paging: Paging, full: bool, total: int
) -> dict[str, Any]:
    page_ids = ranked[paging.offset : paging.offset + paging.per_page]
    query = select(Offer).where(col(Offer.id).in_(page_ids))
    if full:
        query = query.options(*offer_load_options())
    found = {offer.id: offer for offer in session.exec(query).unique().all()}
    offers = [found[offer_id] for offer_id in page_ids if offer_id in found]
    convert = service_to_hsds if full else service_list_item
    return envelope([convert(offer) for offer in offers], total=total, paging=paging)


def _list_minimal(session: Session, filters: ServiceFilter, paging: Paging) -> dict[str, Any]:
    """One page of the id and last change of the matching services, in id order."""
    conditions = and_(true(), *_offer_conditions(filters))
    total = _count(session, select(Offer.id).where(conditions))
    query = select(Offer.id, Offer.updated_at).where(conditions)
    page = query.order_by(Offer.id).offset(paging.offset).limit(paging.per_page)
    contents = [
        {"id": offer_id, "last_modified": timestamp(at)} for offer_id, at in session.exec(page)
    ]
    return envelope(contents, total=total, paging=paging)


def get_service(*, session: Session, id: str) -> dict[str, Any] | None:
    """A published or temporarily closed service, fully nested, or None."""
    offer = session.get(Offer, id, options=offer_load_options())
    if offer is None or not may_see(offer.state):
        return None
    return service_to_hsds(offer)


def service_list_item(offer: Offer) -> dict[str, Any]:
    """A service with its one-to-one fields and its organization's (HSDS service_list)."""
    return {**service_fields(offer), "organization": _organization_fields(offer.organization)}


def _organization_fields(org: Organization) -> dict[str, Any]:
    fields = organization_to_hsds(org)
    fields.pop("attributes", None)
    return fields


def _public_org_ids() -> SelectOfScalar[str]:
    return select(Offer.organization_id).where(visible())


def _runs_public_offers(session: Session, org_id: str) -> bool:
    query = select(Offer.id).where(Offer.organization_id == org_id, visible()).limit(1)
    return session.exec(query).first() is not None


def list_organizations(
    *, session: Session, search: str | None, paging: Paging, full: bool, full_service: bool
) -> dict[str, Any]:
    """One page of organizations that run public offers; with `full` or `full_service`
    each nests its first public services by name, at most
    `nested_per_listed_organization(paging.per_page)` of them."""
    query = select(Organization).where(col(Organization.id).in_(_public_org_ids()))
    for word in (search or "").split():
        query = query.where(col(Organization.name).ilike(f"%{_escape_like(word)}%", escape="\\"))
    total = _count(session, query)
    page = query.order_by(Organization.name, Organization.id)
    orgs = session.exec(page.offset(paging.offset).limit(paging.per_page)).unique().all()
    if not (full or full_service):
        return envelope([_organization_fields(org) for org in orgs], total=total, paging=paging)
    services = _nested_services(
        session,
        [org.id for org in orgs],
        per_organization=nested_per_listed_organization(paging.per_page),
        full=full_service,
    )
    contents = [organization_to_hsds(org) | {"services": services[org.id]} for org in orgs]
    return envelope(contents, total=total, paging=paging)


def get_organization(*, session: Session, id: str, full_service: bool) -> dict[str, Any] | None:
    """An organization with its first NESTED_PER_ORGANIZATION public services by name, or
    None; /services?organization_id= pages through all of them in the same order."""
    org = session.get(Organization, id)
    if org is None or not _runs_public_offers(session, id):
        return None
    services = _nested_services(
        session, [org.id], per_organization=NESTED_PER_ORGANIZATION, full=full_service
    )
    return organization_to_hsds(org) | {"services": services[org.id]}


def _nested_services(
    session: Session, org_ids: list[str], *, per_organization: int, full: bool
) -> dict[str, list[dict[str, Any]]]:
    """The first public services by name of each organization, at most `per_organization`
    each, in two queries (plus the eager loads of full services) however many organizations."""
    nested: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not org_ids:
        return nested
    rank = (
        func.row_number()
        .over(partition_by=col(Offer.organization_id), order_by=(col(Offer.name), col(Offer.id)))
        .label("rank")
    )
    ranked = (
        select(col(Offer.id).label("id"), rank)
        .where(col(Offer.organization_id).in_(org_ids), visible())
        .subquery()
    )
    first = select(ranked.c.id).where(ranked.c.rank <= per_organization)
    query = select(Offer).where(col(Offer.id).in_(first)).order_by(Offer.name, Offer.id)
    if full:
        query = query.options(*offer_load_options())
    convert = service_to_hsds if full else service_fields
    for offer in session.exec(query).unique().all():
        nested[offer.organization_id].append(convert(offer))
    return nested


def list_taxonomies(*, session: Session, search: str | None, paging: Paging) -> dict[str, Any]:
    """One page of taxonomies."""
    query = select(Taxonomy)
    for word in (search or "").split():
        query = query.where(col(Taxonomy.name).ilike(f"%{_escape_like(word)}%", escape="\\"))
    total = _count(session, query)
    rows = session.exec(query.order_by(Taxonomy.name).offset(paging.offset).limit(paging.per_page))
    return envelope([taxonomy_to_hsds(t) for t in rows.all()], total=total, paging=paging)


def get_taxonomy(*, session: Session, id: str) -> dict[str, Any] | None:
    taxonomy = session.get(Taxonomy, id)
    return taxonomy_to_hsds(taxonomy) if taxonomy else None


def taxonomy_to_hsds(taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "id": taxonomy.id,
        "name": taxonomy.name,
        "description": taxonomy.description or taxonomy.label_en or taxonomy.name,
    }


def list_taxonomy_terms(
    *,
    session: Session,
    search: str | None,
    taxonomy_id: str | None,
    parent_id: str | None,
    top_only: bool,
    paging: Paging,
) -> dict[str, Any]:
    """One page of taxonomy terms, ours in vocabulary order."""
    query = select(TaxonomyTerm).join(Taxonomy)
    if taxonomy_id is not None:
        query = query.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    if parent_id is not None:
        query = query.where(TaxonomyTerm.parent_id == parent_id)
    if top_only:
        query = query.where(col(TaxonomyTerm.parent_id).is_(None))
    for word in (search or "").split():
        pattern = f"%{_escape_like(word)}%"
        query = query.where(
            or_(
                col(TaxonomyTerm.name).ilike(pattern, escape="\\"),
                col(TaxonomyTerm.name_en).ilike(pattern, escape="\\"),
                col(TaxonomyTerm.code).ilike(pattern, escape="\\"),
            )
        )
    total = _count(session, query)
    ordered = query.order_by(
        col(Taxonomy.name), col(TaxonomyTerm.position), col(TaxonomyTerm.code), col(TaxonomyTerm.id)
    )
    rows = session.exec(ordered.offset(paging.offset).limit(paging.per_page)).unique().all()
    return envelope([term_to_hsds(t) for t in rows], total=total, paging=paging)


def get_taxonomy_term(*, session: Session, id: str) -> dict[str, Any] | None:
    term = session.get(TaxonomyTerm, id)
    return term_to_hsds(term) if term else None


def list_service_at_locations(
    *, session: Session, filters: ServiceFilter, postcode: str | None, paging: Paging, full: bool
) -> dict[str, Any]:
    """One page of the places where public services happen."""
    offers = select(Offer.id).where(and_(true(), *_offer_conditions(filters)))
    query = (
        select(ServiceAtLocation)
        .join(Offer, col(Offer.id) == ServiceAtLocation.offer_id)
        .where(col(ServiceAtLocation.offer_id).in_(offers))
    )
    if postcode:
        query = query.where(_at_postcode(postcode))
    total = _count(session, query)
    page = (
        query.order_by(Offer.name, ServiceAtLocation.id)
        .offset(paging.offset)
        .limit(paging.per_page)
    )
    links = session.exec(page.options(selectinload(ServiceAtLocation.offer))).unique().all()  # type: ignore[arg-type]
    if full:
        contents = [_service_at_location_nested(session, link) for link in links]
    else:
        contents = [_service_at_location_item(link) for link in links]
    return envelope(contents, total=total, paging=paging)


def _at_postcode(postcode: str) -> ColumnElement[bool]:
    located = select(Address.location_id).where(Address.postal_code == postcode.strip())
    return col(ServiceAtLocation.location_id).in_(located) if postcode.strip() else false()


def get_service_at_location(*, session: Session, id: str) -> dict[str, Any] | None:
    """A place of a public service, with the location and the service nested."""
    link = session.get(ServiceAtLocation, id)
    if link is None or not may_see(link.offer.state):
        return None
    return _service_at_location_nested(session, link)


def _service_at_location_item(link: ServiceAtLocation) -> dict[str, Any]:
    location = _location_fields(link.location)
    return {
        "id": link.id,
        "service_id": link.offer_id,
        "location_id": link.location_id,
        **({"description": link.description} if link.description else {}),
        "location": location,
        "service": service_fields(link.offer),
    }


def _service_at_location_nested(session: Session, link: ServiceAtLocation) -> dict[str, Any]:
    offer = session.get(Offer, link.offer_id, options=offer_load_options())
    assert offer is not None
    service = service_to_hsds(offer)
    nested = next(s for s in service["service_at_locations"] if s["id"] == link.id)
    return {
        **nested,
        "service": {k: v for k, v in service.items() if k != "service_at_locations"},
    }


def _location_fields(location: Location) -> dict[str, Any]:
    fields = {
        "id": location.id,
        "location_type": location.location_type,
        "name": location.name,
        "description": location.description,
        "transportation": location.transportation,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "url": location.url,
    }
    return {k: v for k, v in fields.items() if v is not None and v != ""}
