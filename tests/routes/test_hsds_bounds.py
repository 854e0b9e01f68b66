"""The HSDS API's answers are bounded (issue 10): per_page holds on every list, minimal ones
included; organizations nest a capped number of services, and the rest page through
/hsds/services?organization_id=; parameters out of range get a 422 in JSON, never a 500."""

import math
from collections.abc import Callable
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.db import session_scope
from app.hsds.api import (
    MAX_PER_PAGE,
    NESTED_PER_LISTED_ORGANIZATION,
    NESTED_PER_ORGANIZATION,
    NESTED_PER_PAGE,
    nested_per_listed_organization,
)
from app.models import OfferState
from tests.factories import make_offer, make_organization
from tests.routes.test_hsds_api import assert_valid, get_json, get_page

# More public services than one organization nests, plus a draft that never shows.
BIG_SERVICES = NESTED_PER_ORGANIZATION + 5
SMALL_SERVICES = 3


@pytest.fixture
def catalogue(engine: Engine) -> dict[str, Any]:
    """Two organizations: "Aftenskolen" (first by name) with BIG_SERVICES public services
    named "Hold 001", "Hold 002", ... (and a draft, "Hold 000"); "Bydelsforeningen" with
    three."""
    with session_scope(engine) as session:
        big = make_organization(session, name="Aftenskolen")
        small = make_organization(session, name="Bydelsforeningen")
        make_offer(session, organization=big, name="Hold 000", state=OfferState.DRAFT)
        big_ids = [
            make_offer(session, organization=big, name=f"Hold {n:03d}").id
            for n in range(1, BIG_SERVICES + 1)
        ]
        small_ids = [
            make_offer(session, organization=small, name=f"Møde {n}").id
            for n in range(1, SMALL_SERVICES + 1)
        ]
        return {"big": big.id, "small": small.id, "big_ids": big_ids, "small_ids": small_ids}


@pytest.fixture
def assert_declared(client: TestClient) -> Callable[[str, dict[str, Any]], None]:
    """Check a page against the 200 answer our OpenAPI document declares for its path
    (the envelope's fields and the items); the document points into the HSDS schemas."""
    document = client.get("/hsds/openapi.json").json()

    def check(path: str, page: dict[str, Any]) -> None:
        answer = document["paths"][path]["get"]["responses"]["200"]
        schema = answer["content"]["application/json"]["schema"]
        validator = jsonschema_rs.validator_for(
            {**schema, "components": document["components"]}, validate_formats=True
        )
        errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(page)]
        assert not errors, errors[:3]

    return check


def assert_envelope(page: dict[str, Any], *, total: int, number: int, per_page: int) -> None:
    total_pages = math.ceil(total / per_page)
    size = max(0, min(per_page, total - (number - 1) * per_page))
    assert page["total_items"] == total
    assert page["total_pages"] == total_pages
    assert page["page_number"] == number
    assert page["size"] == len(page["contents"]) == size
    assert page["first_page"] is (number == 1)
    assert page["last_page"] is (number >= total_pages)
    assert page["empty"] is (size == 0)


def service_ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["contents"]]


def test_caps_keep_every_page_of_organizations_moderate() -> None:
    assert NESTED_PER_ORGANIZATION <= MAX_PER_PAGE
    for per_page in range(1, MAX_PER_PAGE + 1):
        cap = nested_per_listed_organization(per_page)
        assert 1 <= cap <= NESTED_PER_LISTED_ORGANIZATION
        assert per_page * cap <= NESTED_PER_PAGE
    assert nested_per_listed_organization(1) == NESTED_PER_LISTED_ORGANIZATION


@pytest.mark.parametrize("full_service", [False, True])
def test_read_organization_caps_services_and_pages_the_rest(
    client: TestClient, catalogue: dict[str, Any], full_service: bool
) -> None:
    query = "?full_service=true" if full_service else ""
    org = get_json(client, f"/hsds/organizations/{catalogue['big']}{query}")
    assert_valid("compiled/organization.json", org)
    nested = [service["id"] for service in org["services"]]
    assert nested == catalogue["big_ids"][:NESTED_PER_ORGANIZATION]  # the first by name
    assert all(("phones" in service) is full_service for service in org["services"])

    url = f"/hsds/services?organization_id={catalogue['big']}&per_page={NESTED_PER_ORGANIZATION}"
    first = get_page(client, f"{url}&page=1", "compiled/service_list.json")
    rest = get_page(client, f"{url}&page=2&full=true", "compiled/service.json")
    assert service_ids(first) == nested
    assert service_ids(first) + service_ids(rest) == catalogue["big_ids"]  # no draft
    assert_envelope(rest, total=BIG_SERVICES, number=2, per_page=NESTED_PER_ORGANIZATION)


@pytest.mark.parametrize("per_page", [1, 10, 50, 200])
@pytest.mark.parametrize("nesting", ["full=true", "full_service=true"])
def test_list_organizations_caps_services_per_organization(
    client: TestClient,
    catalogue: dict[str, Any],
    assert_declared: Callable[[str, dict[str, Any]], None],
    per_page: int,
    nesting: str,
) -> None:
    cap = nested_per_listed_organization(per_page)
    url = f"/hsds/organizations?{nesting}&per_page={per_page}"
    page = get_page(client, url, "compiled/organization.json")
    assert_declared("/organizations", page)
    assert_envelope(page, total=2, number=1, per_page=per_page)
    nested = {org["id"]: [s["id"] for s in org["services"]] for org in page["contents"]}
    assert nested[catalogue["big"]] == catalogue["big_ids"][:cap]
    if per_page > 1:
        assert nested[catalogue["small"]] == catalogue["small_ids"][:cap]
    assert sum(map(len, nested.values())) <= NESTED_PER_PAGE

    # The rest of the big organization's services: the next page of its services.
    rest = get_page(
        client,
        f"/hsds/services?organization_id={catalogue['big']}&per_page={cap}&page=2",
        "compiled/service_list.json",
    )
    assert service_ids(rest) == catalogue["big_ids"][cap : 2 * cap]


def test_list_organizations_without_nesting_has_no_services(
    client: TestClient,
    catalogue: dict[str, Any],  # noqa: ARG001
) -> None:
    page = get_page(client, "/hsds/organizations?per_page=1", "compiled/organization_list.json")
    assert_envelope(page, total=2, number=1, per_page=1)
    assert "services" not in page["contents"][0]


def test_minimal_honours_per_page(
    client: TestClient,
    catalogue: dict[str, Any],
    assert_declared: Callable[[str, dict[str, Any]], None],
) -> None:
    every = sorted(catalogue["big_ids"] + catalogue["small_ids"])
    total = len(every)
    one = get_json(client, "/hsds/services?minimal=true&per_page=1")
    assert_declared("/services", one)
    assert_envelope(one, total=total, number=1, per_page=1)
    assert service_ids(one) == every[:1]
    assert set(one["contents"][0]) == {"id", "last_modified"}

    last = get_json(client, f"/hsds/services?minimal=true&per_page=1&page={total}")
    assert_envelope(last, total=total, number=total, per_page=1)
    assert service_ids(last) == every[-1:]
    beyond = get_json(client, f"/hsds/services?minimal=true&per_page=1&page={total + 1}")
    assert_envelope(beyond, total=total, number=total + 1, per_page=1)

    # Without per_page a minimal list comes in the largest pages, in id order.
    pages = [get_json(client, f"/hsds/services?minimal=true&page={n}") for n in (1, 2)]
    for number, page in enumerate(pages, start=1):
        assert_declared("/services", page)
        assert_envelope(page, total=total, number=number, per_page=MAX_PER_PAGE)
    assert service_ids(pages[0]) + service_ids(pages[1]) == every


def test_services_default_to_fifty_per_page(
    client: TestClient,
    catalogue: dict[str, Any],  # noqa: ARG001
    assert_declared: Callable[[str, dict[str, Any]], None],
) -> None:
    page = get_page(client, "/hsds/services", "compiled/service_list.json")
    assert_declared("/services", page)
    assert_envelope(page, total=BIG_SERVICES + SMALL_SERVICES, number=1, per_page=50)


LISTS = [
    "/hsds/services",
    "/hsds/services?minimal=true",
    "/hsds/services?full=true",
    "/hsds/services?search=hold",
    "/hsds/organizations",
    "/hsds/organizations?full_service=true",
    "/hsds/taxonomies",
    "/hsds/taxonomy_terms",
    "/hsds/service_at_locations",
]
OUT_OF_RANGE = [
    ("per_page", "0"),
    ("per_page", "201"),
    ("per_page", "-1"),
    ("per_page", "99999999999999999999"),
    ("per_page", "ten"),
    ("page", "0"),
    ("page", "100001"),
    ("page", "1.5"),
]


@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE)
@pytest.mark.parametrize("url", LISTS)
def test_lists_refuse_parameters_out_of_range(
    client: TestClient, url: str, name: str, value: str
) -> None:
    separator = "&" if "?" in url else "?"
    answer = get_json(client, f"{url}{separator}{name}={value}", status=422)
    assert [error["loc"] for error in answer["detail"]] == [["query", name]]
    assert all(error["msg"] for error in answer["detail"])


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/hsds/organizations/{big}?full_service=maybe", "full_service"),
        ("/hsds/organizations?full=2", "full"),
        ("/hsds/services?minimal=yes please", "minimal"),
        ("/hsds/services?modified_after=yesterday", "modified_after"),
    ],
)
def test_bad_flags_get_a_json_422(
    client: TestClient, catalogue: dict[str, Any], url: str, name: str
) -> None:
    answer = get_json(client, url.format(**catalogue), status=422)
    assert [error["loc"] for error in answer["detail"]] == [["query", name]]


def test_openapi_documents_the_caps(client: TestClient) -> None:
    document = get_json(client, "/hsds/openapi.json")
    assert "/services?organization_id=" in document["info"]["description"]
    assert (
        f"min({NESTED_PER_LISTED_ORGANIZATION}, {NESTED_PER_PAGE}"
        in document["info"]["description"]
    )
    listed = document["paths"]["/organizations"]["get"]["description"]
    single = document["paths"]["/organizations/{id}"]["get"]["description"]
    assert f"min({NESTED_PER_LISTED_ORGANIZATION}, {NESTED_PER_PAGE}" in listed
    assert f"first {NESTED_PER_ORGANIZATION} public services" in single
    assert "/services?organization_id=" in listed and "/services?organization_id=" in single
    per_page = next(
        p for p in document["paths"]["/services"]["get"]["parameters"] if p["name"] == "per_page"
    )
    assert {"minimum": 1, "maximum": MAX_PER_PAGE} in [
        {k: v for k, v in s.items() if k in ("minimum", "maximum")}
        for s in per_page["schema"]["anyOf"]
    ]
