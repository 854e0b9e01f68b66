"""The Open Referral HSDS 3.0 API under /hsds/: a mounted sub-application with its own OpenAPI
(/hsds/openapi.json, built by app/hsds/openapi.py). Each route reads its parameters and makes
one call into app/hsds/api.py."""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from app.config import Settings
from app.deps import SearchDep, SessionDep, SettingsDep
from app.hsds import api as hsds_api
from app.hsds.api import Paging, ServiceFilter
from app.hsds.openapi import (
    API_DESCRIPTION,
    BAD_REQUEST,
    NOT_FOUND,
    ORGANIZATION_DESCRIPTION,
    ORGANIZATIONS_DESCRIPTION,
    json_answer,
    openapi_document,
    page_of,
    ref,
)
from app.search import SearchService

HSDS_VERSION = "3.0"

PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
PerPage = Annotated[
    int,
    Query(
        ge=1,
        le=hsds_api.MAX_PER_PAGE,
        description=f"Items per page, 1 to {hsds_api.MAX_PER_PAGE}.",
    ),
]
# /services has no fixed default: HSDS asks for a minimal list in as few pages as possible,
# so minimal=true defaults to the largest page.
ServicesPerPage = Annotated[
    int | None,
    Query(
        ge=1,
        le=hsds_api.MAX_PER_PAGE,
        description=f"Items per page, 1 to {hsds_api.MAX_PER_PAGE}; default "
        f"{hsds_api.DEFAULT_PER_PAGE}, or {hsds_api.MAX_PER_PAGE} with minimal.",
    ),
]
Search = Annotated[str | None, Query(max_length=500, description="Words the record must contain.")]
TermIds = Annotated[
    str | None,
    Query(
        max_length=4000,
        description="Comma-separated taxonomy term ids; a service must carry every one.",
    ),
]
TaxonomyId = Annotated[str | None, Query(description="A taxonomy's id; any of its terms.")]
OrganizationId = Annotated[str | None, Query(description="Services of this organization.")]
ModifiedAfter = Annotated[
    datetime | None,
    Query(description="Changed at or after this time; retired services appear as inactive."),
]
Full = Annotated[bool, Query(description="Fully nested records.")]
FullService = Annotated[
    bool, Query(description="Nest full services (a bounded number: see the description).")
]


def _uuid_or_none(value: str | None) -> str | None:
    """An id parameter as stored, or "" (which matches nothing) when it is no UUID."""
    if value is None or value == "":
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return ""


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:
        raise HTTPException(400, "modified_after is out of range") from None


def _filters(
    search: str | None,
    taxonomy_term_id: str | None,
    taxonomy_id: str | None,
    organization_id: str | None,
    modified_after: datetime | None,
) -> ServiceFilter:
    term_ids = tuple(
        _uuid_or_none(term) or "" for term in hsds_api.parse_term_ids(taxonomy_term_id)
    )
    return ServiceFilter(
        search=(search or "").replace("\x00", " ") or None,
        taxonomy_term_ids=term_ids,
        taxonomy_id=_uuid_or_none(taxonomy_id),
        organization_id=_uuid_or_none(organization_id),
        modified_after=_utc(modified_after),
    )


def _found(record: dict[str, Any] | None) -> dict[str, Any]:
    if record is None:
        raise HTTPException(404, "Not found")
    return record


def _valid_id(id: str) -> str:
    checked = _uuid_or_none(id)
    if not checked:
        raise HTTPException(404, "Not found")
    return checked


router = APIRouter()


@router.get(
    "/",
    responses={200: json_answer(ref("ApiInfo"), "What this API is.")},
    response_class=JSONResponse,
)
def read_api_info(settings: SettingsDep) -> dict[str, Any]:
    """The HSDS version and profile of this API."""
    base = settings.BASE_URL.rstrip("/")
    return {
        "version": HSDS_VERSION,
        "profile": f"{base}/hsds/profile",
        "openapi_url": f"{base}/hsds/openapi.json",
    }


@router.get("/profile", responses={200: json_answer({"type": "object"}, "Our HSDS conventions.")})
def read_profile() -> dict[str, Any]:
    """How this catalogue uses HSDS 3.0 (taxonomies, status, legal basis)."""
    return hsds_api.PROFILE


@router.get(
    "/services",
    responses={
        200: json_answer(
            page_of(ref("ServiceList"), ref("Service"), ref("MinimalService")),
            "A page of services.",
        ),
        **BAD_REQUEST,
    },
)
def list_services(
    session: SessionDep,
    search_service: SearchDep,
    search: Search = None,
    taxonomy_term_id: TermIds = None,
    taxonomy_id: TaxonomyId = None,
    organization_id: OrganizationId = None,
    modified_after: ModifiedAfter = None,
    minimal: Annotated[
        bool, Query(description="Only id and last_modified, paged in id order.")
    ] = False,
    full: Full = False,
    page: PageNumber = 1,
    per_page: ServicesPerPage = None,
) -> dict[str, Any]:
    """Services, filtered; list items unless `full` or `minimal`."""
    filters = _filters(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    default = hsds_api.MAX_PER_PAGE if minimal else hsds_api.DEFAULT_PER_PAGE
    return hsds_api.list_services(
        session=session,
        search=search_service,
        filters=filters,
        paging=Paging(page, per_page or default),
        full=full,
        minimal=minimal,
    )


@router.get(
    "/services/{id}", responses={200: json_answer(ref("Service"), "A service."), **NOT_FOUND}
)
def read_service(id: str, session: SessionDep) -> dict[str, Any]:
    """One fully nested service."""
    return _found(hsds_api.get_service(session=session, id=_valid_id(id)))


@router.get(
    "/organizations",
    description=ORGANIZATIONS_DESCRIPTION,
    responses={
        200: json_answer(page_of(ref("OrganizationList"), ref("Organization")), "Organizations.")
    },
)
def list_organizations(
    session: SessionDep,
    search: Search = None,
    full: Full = False,
    full_service: FullService = False,
    page: PageNumber = 1,
    per_page: PerPage = hsds_api.DEFAULT_PER_PAGE,
) -> dict[str, Any]:
    """Organizations that run public offers, nesting a bounded number of their services."""
    return hsds_api.list_organizations(
        session=session,
        search=(search or "").replace("\x00", " "),
        paging=Paging(page, per_page),
        full=full,
        full_service=full_service,
    )


@router.get(
    "/organizations/{id}",
    description=ORGANIZATION_DESCRIPTION,
    responses={200: json_answer(ref("Organization"), "An organization."), **NOT_FOUND},
)
def read_organization(
    id: str, session: SessionDep, full_service: FullService = False
) -> dict[str, Any]:
    """One organization with its first public services."""
    record = hsds_api.get_organization(session=session, id=_valid_id(id), full_service=full_service)
    return _found(record)


@router.get("/taxonomies", responses={200: json_answer(page_of(ref("Taxonomy")), "Taxonomies.")})
def list_taxonomies(
    session: SessionDep,
    search: Search = None,
    page: PageNumber = 1,
    per_page: PerPage = hsds_api.DEFAULT_PER_PAGE,
) -> dict[str, Any]:
    """The taxonomies terms come from."""
    search = (search or "").replace("\x00", " ")
    return hsds_api.list_taxonomies(session=session, search=search, paging=Paging(page, per_page))


@router.get(
    "/taxonomies/{id}", responses={200: json_answer(ref("Taxonomy"), "A taxonomy."), **NOT_FOUND}
)
def read_taxonomy(id: str, session: SessionDep) -> dict[str, Any]:
    """One taxonomy."""
    return _found(hsds_api.get_taxonomy(session=session, id=_valid_id(id)))


@router.get(
    "/taxonomy_terms", responses={200: json_answer(page_of(ref("TaxonomyTerm")), "Taxonomy terms.")}
)
def list_taxonomy_terms(
    session: SessionDep,
    search: Search = None,
    taxonomy_id: TaxonomyId = None,
    parent_id: Annotated[str | None, Query(description="Children of this term.")] = None,
    top_only: Annotated[bool, Query(description="Only terms without a parent.")] = False,
    page: PageNumber = 1,
    per_page: PerPage = hsds_api.DEFAULT_PER_PAGE,
) -> dict[str, Any]:
    """Taxonomy terms; each carries its code and its taxonomy."""
    return hsds_api.list_taxonomy_terms(
        session=session,
        search=(search or "").replace("\x00", " "),
        taxonomy_id=_uuid_or_none(taxonomy_id),
        parent_id=_uuid_or_none(parent_id),
        top_only=top_only,
        paging=Paging(page, per_page),
    )


@router.get(
    "/taxonomy_terms/{id}",
    responses={200: json_answer(ref("TaxonomyTerm"), "A taxonomy term."), **NOT_FOUND},
)
def read_taxonomy_term(id: str, session: SessionDep) -> dict[str, Any]:
    """One taxonomy term."""
    return _found(hsds_api.get_taxonomy_term(session=session, id=_valid_id(id)))


@router.get(
    "/service_at_locations",
    responses={
        200: json_answer(
            page_of(ref("ServiceAtLocationList"), ref("ServiceAtLocation")),
            "Places where services happen.",
        ),
        **BAD_REQUEST,
    },
)
def list_service_at_locations(
    session: SessionDep,
    search: Search = None,
    taxonomy_term_id: TermIds = None,
    taxonomy_id: TaxonomyId = None,
    organization_id: OrganizationId = None,
    modified_after: ModifiedAfter = None,
    postcode: Annotated[
        str | None, Query(max_length=20, description="Postcode of the place.")
    ] = None,
    full: Full = False,
    page: PageNumber = 1,
    per_page: PerPage = hsds_api.DEFAULT_PER_PAGE,
) -> dict[str, Any]:
    """Where public services happen, one row per service and place."""
    filters = _filters(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    return hsds_api.list_service_at_locations(
        session=session,
        filters=filters,
        postcode=(postcode or "").replace("\x00", "") or None,
        paging=Paging(page, per_page),
        full=full,
    )


@router.get(
    "/service_at_locations/{id}",
    responses={200: json_answer(ref("ServiceAtLocation"), "A service at a place."), **NOT_FOUND},
)
def read_service_at_location(id: str, session: SessionDep) -> dict[str, Any]:
    """One service at one place, fully nested."""
    return _found(hsds_api.get_service_at_location(session=session, id=_valid_id(id)))


def create_hsds_api(settings: Settings, engine: Engine, search: SearchService) -> FastAPI:
    """The /hsds/ sub-application over the given database."""
    api = FastAPI(
        title=f"{settings.SITE_NAME} – Open Referral HSDS 3.0 API",
        version=HSDS_VERSION,
        description=API_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    api.state.settings = settings
    api.state.engine = engine
    api.state.search = search
    api.include_router(router)

    @api.exception_handler(Exception)
    async def server_error(_request: Request, _exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": "Internal error"}, status_code=500)

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            api.openapi_schema = openapi_document(api)
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]
    return api
