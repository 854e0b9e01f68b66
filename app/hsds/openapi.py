"""The HSDS API's OpenAPI document: our routes, with every answer declared by the official
HSDS 3.0 schemas (embedded from app/hsds/schemas/), so clients and tests can check answers."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.hsds.api import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    NESTED_PER_LISTED_ORGANIZATION,
    NESTED_PER_ORGANIZATION,
    NESTED_PER_PAGE,
    nested_per_listed_organization,
)
from app.hsds.schema import openapi_schema

_ALL_SERVICES = (
    "Every public service of an organization, in the same order: "
    "`/services?organization_id=<id>` (with `full=true` for full services), paged with "
    "`page` and `per_page`."
)

# The sub-application's description: what the API is, and the bounds of every answer.
API_DESCRIPTION = f"""Read-only access to the public catalogue of offers, as HSDS 3.0.

Every answer is bounded:

- Every list comes in pages: `page` counts from 1 and `per_page` is 1 to {MAX_PER_PAGE} \
(default {DEFAULT_PER_PAGE}). `/services?minimal=true` pages too, in id order, with \
{MAX_PER_PAGE} per page by default.
- `/organizations/{{id}}` nests the organization's first {NESTED_PER_ORGANIZATION} public \
services by name.
- `/organizations` with `full` or `full_service` nests at most \
min({NESTED_PER_LISTED_ORGANIZATION}, {NESTED_PER_PAGE} ÷ `per_page`) services per \
organization, rounded down ({nested_per_listed_organization(DEFAULT_PER_PAGE)} at \
`per_page={DEFAULT_PER_PAGE}`, {nested_per_listed_organization(MAX_PER_PAGE)} at \
`per_page={MAX_PER_PAGE}`), so one page never holds more than {NESTED_PER_PAGE} nested services.
- {_ALL_SERVICES}
- A parameter out of range (`page` below 1, `per_page` outside 1 to {MAX_PER_PAGE}, a value \
that is no integer, boolean or date) is refused with 422 and a JSON `detail` naming it; a \
`modified_after` beyond the calendar with 400."""

ORGANIZATIONS_DESCRIPTION = (
    "Organizations that run public offers. With `full` or `full_service` each nests its first "
    f"public services by name: at most min({NESTED_PER_LISTED_ORGANIZATION}, "
    f"{NESTED_PER_PAGE} ÷ per_page), rounded down. {_ALL_SERVICES}"
)

ORGANIZATION_DESCRIPTION = (
    f"One organization with its first {NESTED_PER_ORGANIZATION} public services by name. "
    f"{_ALL_SERVICES}"
)

# Our component name → the official schema file it is built from.
_COMPONENTS = {
    "Service": "compiled/service.json",
    "ServiceList": "compiled/service_list.json",
    "Organization": "compiled/organization.json",
    "OrganizationList": "compiled/organization_list.json",
    "ServiceAtLocation": "compiled/service_at_location.json",
    "ServiceAtLocationList": "compiled/service_at_location_list.json",
    "Taxonomy": "schema/taxonomy.json",
    "TaxonomyTerm": "schema/taxonomy_term.json",
}

_PAGE = {
    "type": "object",
    "required": [
        "total_items", "total_pages", "page_number", "size",
        "first_page", "last_page", "empty", "contents",
    ],
    "properties": {
        "total_items": {"type": "integer", "minimum": 0},
        "total_pages": {"type": "integer", "minimum": 0},
        "page_number": {"type": "integer", "minimum": 1},
        "size": {"type": "integer", "minimum": 0},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
    },
}  # fmt: skip

_MINIMAL_SERVICE = {
    "type": "object",
    "required": ["id", "last_modified"],
    "properties": {"id": {"type": "string"}, "last_modified": {"type": "string"}},
}


def json_answer(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(*items: dict[str, Any]) -> dict[str, Any]:
    contents = items[0] if len(items) == 1 else {"anyOf": list(items)}
    return {
        "allOf": [ref("Page"), {"properties": {"contents": {"type": "array", "items": contents}}}]
    }


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: json_answer(ref("Error"), "There is no such public record.")
}
BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: json_answer(ref("Error"), "A parameter has a value that cannot be used.")
}


def openapi_document(api: FastAPI) -> dict[str, Any]:
    """The document for the API's routes, with the official schemas as components."""
    document = get_openapi(
        title=api.title,
        version=api.version,
        description=api.description,
        routes=api.routes,
        servers=[{"url": "/hsds"}],
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas |= {name: openapi_schema(path) for name, path in _COMPONENTS.items()}
    schemas["Page"] = _PAGE
    schemas["MinimalService"] = _MINIMAL_SERVICE
    schemas["Error"] = {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
    }
    schemas["ApiInfo"] = {
        "type": "object",
        "required": ["version", "profile", "openapi_url"],
        "properties": {
            "version": {"type": "string"},
            "profile": {"type": "string", "format": "uri"},
            "openapi_url": {"type": "string", "format": "uri"},
        },
    }
    return document
