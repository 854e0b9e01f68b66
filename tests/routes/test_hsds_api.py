"""The HSDS 3.0 API: every route answers valid HSDS, filters mean what HSDS says."""

import functools
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.catalogue.taxonomy import Vocabulary
from app.db import session_scope
from app.hsds.schema import load_schema
from app.models import Offer, OfferState

WALK = "aaaaaaaa-0000-4000-8000-000000000001"
STOP_SMOKING = "aaaaaaaa-0000-4000-8000-000000000002"
CLOSED = "aaaaaaaa-0000-4000-8000-000000000003"
DRAFT = "aaaaaaaa-0000-4000-8000-000000000004"

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
}


@functools.cache
def _validator(schema_path: str) -> Any:
    return jsonschema_rs.validator_for(load_schema(schema_path), validate_formats=True)


def assert_valid(schema_path: str, instance: object) -> None:
    validator = _validator(schema_path)
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(instance)]
    assert not errors, errors[:3]


def get_json(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def get_page(client: TestClient, url: str, item_schema: str) -> dict[str, Any]:
    page = get_json(client, url)
    assert PAGE_KEYS | {"contents"} == set(page)
    assert page["size"] == len(page["contents"])
    for item in page["contents"]:
        assert_valid(item_schema, item)
    return page


def term_id(vocabulary: Vocabulary, taxonomy: str, code: str) -> str:
    term = vocabulary.term(taxonomy, code)
    assert term is not None
    return term.id


@pytest.fixture
def api(client: TestClient, fixture_catalogue: None) -> TestClient:  # noqa: ARG001
    return client


def ids(page: dict[str, Any]) -> set[str]:
    return {item["id"] for item in page["contents"]}


def test_api_info_names_version_and_openapi(api: TestClient) -> None:
    info = get_json(api, "/hsds/")
    assert info["version"] == "3.0"
    assert info["openapi_url"].endswith("/hsds/openapi.json")
    assert get_json(api, "/hsds/openapi.json")["openapi"].startswith("3.")


def test_services_lists_public_offers_as_list_items(api: TestClient) -> None:
    page = get_page(api, "/hsds/services", "compiled/service_list.json")
    assert ids(page) == {WALK, STOP_SMOKING, CLOSED}
    statuses = {item["id"]: item["status"] for item in page["contents"]}
    assert statuses[CLOSED] == "temporarily closed"
    assert all("phones" not in item for item in page["contents"])


def test_services_full_nests_and_validates(api: TestClient) -> None:
    page = get_page(api, "/hsds/services?full=true", "compiled/service.json")
    walk = next(s for s in page["contents"] if s["id"] == WALK)
    assert walk["phones"][0]["number"] == "+45 70 00 00 01"
    assert len(walk["schedules"]) == 3


def test_services_pages_through_results(api: TestClient) -> None:
    first = get_page(api, "/hsds/services?per_page=2&page=1", "compiled/service_list.json")
    second = get_page(api, "/hsds/services?per_page=2&page=2", "compiled/service_list.json")
    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert first["first_page"] and not first["last_page"]
    assert second["last_page"] and second["size"] == 1
    assert ids(first).isdisjoint(ids(second))
    beyond = get_page(api, "/hsds/services?per_page=2&page=9", "compiled/service_list.json")
    assert beyond["empty"] and beyond["contents"] == []


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "per_page=201", "page=x"])
def test_services_refuse_bad_paging(api: TestClient, query: str) -> None:
    assert "detail" in get_json(api, f"/hsds/services?{query}", status=422)


def test_taxonomy_term_ids_require_every_term(api: TestClient, vocabulary: Vocabulary) -> None:
    motion = term_id(vocabulary, "tema", "motion")
    community = term_id(vocabulary, "tema", "faellesskab")
    health = term_id(vocabulary, "tema", "sundhed")
    both = get_page(
        api, f"/hsds/services?taxonomy_term_id={motion},{community}", "compiled/service_list.json"
    )
    assert ids(both) == {WALK}
    only_community = get_page(
        api, f"/hsds/services?taxonomy_term_id={community}", "compiled/service_list.json"
    )
    assert ids(only_community) == {WALK, CLOSED}
    none = get_page(
        api, f"/hsds/services?taxonomy_term_id={motion},{health}", "compiled/service_list.json"
    )
    assert none["empty"]


def test_taxonomy_term_id_matches_the_provider_type_on_the_organization(
    api: TestClient, vocabulary: Vocabulary
) -> None:
    municipal = term_id(vocabulary, "udbyder", "kommune")
    page = get_page(
        api, f"/hsds/services?taxonomy_term_id={municipal}", "compiled/service_list.json"
    )
    assert ids(page) == {STOP_SMOKING}


def test_taxonomy_id_and_organization_id_filter(api: TestClient, vocabulary: Vocabulary) -> None:
    adgang = vocabulary.taxonomies["adgang"].id
    page = get_page(api, f"/hsds/services?taxonomy_id={adgang}", "compiled/service_list.json")
    assert ids(page) == {WALK, STOP_SMOKING}  # the closed garden has no access terms
    association = "22222222-2222-4222-8222-222222222222"
    page = get_page(
        api, f"/hsds/services?organization_id={association}", "compiled/service_list.json"
    )
    assert ids(page) == {WALK, CLOSED}


def test_unknown_ids_in_filters_match_nothing(api: TestClient) -> None:
    for query in ("taxonomy_term_id=nope", "taxonomy_id=nope", f"organization_id={uuid.uuid4()}"):
        assert get_page(api, f"/hsds/services?{query}", "compiled/service_list.json")["empty"]


def test_search_matches_words_in_name_and_description(api: TestClient) -> None:
    page = get_page(api, "/hsds/services?search=fjorden", "compiled/service_list.json")
    assert ids(page) == {WALK}


def test_modified_after_lists_retired_offers_as_inactive(api: TestClient, engine: Engine) -> None:
    since = get_json(api, "/hsds/services?minimal=true")["contents"]
    assert {item["id"] for item in since} == {WALK, STOP_SMOKING, CLOSED}
    stamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    with session_scope(engine) as session:
        offer = session.get(Offer, STOP_SMOKING)
        assert offer is not None
        offer.state = OfferState.RETIRED

    changed = get_page(api, f"/hsds/services?modified_after={stamp}", "compiled/service_list.json")
    statuses = {item["id"]: item["status"] for item in changed["contents"]}
    assert statuses == {STOP_SMOKING: "inactive"}
    assert STOP_SMOKING not in ids(get_page(api, "/hsds/services", "compiled/service_list.json"))
    get_json(api, f"/hsds/services/{STOP_SMOKING}", status=404)


def test_modified_after_without_zone_is_utc(api: TestClient) -> None:
    page = get_page(
        api, "/hsds/services?modified_after=2000-01-01T00:00:00", "compiled/service_list.json"
    )
    assert page["total_items"] == 3
    assert get_page(api, "/hsds/services?modified_after=2999-01-01", "compiled/service_list.json")[
        "empty"
    ]


def test_minimal_honours_per_page(api: TestClient) -> None:
    pages = [get_json(api, f"/hsds/services?minimal=true&per_page=1&page={n}") for n in (1, 2, 3)]
    for number, page in enumerate(pages, start=1):
        assert PAGE_KEYS | {"contents"} == set(page)
        assert (page["size"], page["total_items"], page["total_pages"]) == (1, 3, 3)
        assert (page["page_number"], page["first_page"]) == (number, number == 1)
        assert page["last_page"] is (number == 3) and not page["empty"]
        assert all(set(item) == {"id", "last_modified"} for item in page["contents"])
    assert [p["contents"][0]["id"] for p in pages] == sorted([WALK, STOP_SMOKING, CLOSED])
    everything = get_json(api, "/hsds/services?minimal=true")  # by default the largest page
    assert (everything["size"], everything["total_pages"]) == (3, 1)


def test_service_by_id_is_fully_nested(api: TestClient) -> None:
    service = get_json(api, f"/hsds/services/{WALK}")
    assert_valid("compiled/service.json", service)
    assert service["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "4400"


@pytest.mark.parametrize("offer_id", [DRAFT, str(uuid.uuid4()), "not-a-uuid", "%00"])
def test_service_by_id_hides_what_is_not_public(api: TestClient, offer_id: str) -> None:
    assert get_json(api, f"/hsds/services/{offer_id}", status=404) == {"detail": "Not found"}


def test_organizations_list_and_nest_their_services(api: TestClient) -> None:
    page = get_page(api, "/hsds/organizations", "compiled/organization_list.json")
    assert {o["name"] for o in page["contents"]} == {"Testkommune – Sundhed", "Testforeningen"}
    full = get_page(api, "/hsds/organizations?full_service=true", "compiled/organization.json")
    services = {s["id"] for o in full["contents"] for s in o["services"]}
    assert services == {WALK, STOP_SMOKING, CLOSED}
    org = get_json(api, "/hsds/organizations/11111111-1111-4111-8111-111111111111")
    assert_valid("compiled/organization.json", org)
    assert [s["id"] for s in org["services"]] == [STOP_SMOKING]  # not the draft
    get_json(api, f"/hsds/organizations/{uuid.uuid4()}", status=404)


def test_taxonomies_and_terms(api: TestClient, vocabulary: Vocabulary) -> None:
    taxonomies = get_page(api, "/hsds/taxonomies", "schema/taxonomy.json")
    assert {t["name"] for t in taxonomies["contents"]} == set(vocabulary.taxonomies)
    tema = vocabulary.taxonomies["tema"]
    assert_valid("schema/taxonomy.json", get_json(api, f"/hsds/taxonomies/{tema.id}"))
    terms = get_page(
        api, f"/hsds/taxonomy_terms?taxonomy_id={tema.id}&per_page=200", "schema/taxonomy_term.json"
    )
    assert [t["code"] for t in terms["contents"]] == vocabulary.codes("tema")
    assert all(t["taxonomy"] == "tema" for t in terms["contents"])
    found = get_page(api, "/hsds/taxonomy_terms?search=gæld", "schema/taxonomy_term.json")
    assert [t["code"] for t in found["contents"]] == ["oekonomi"]
    one = get_json(api, f"/hsds/taxonomy_terms/{term_id(vocabulary, 'adgang', 'akut')}")
    assert (one["code"], one["taxonomy"]) == ("akut", "adgang")
    get_json(api, f"/hsds/taxonomies/{uuid.uuid4()}", status=404)


def test_service_at_locations(api: TestClient) -> None:
    page = get_page(api, "/hsds/service_at_locations", "compiled/service_at_location_list.json")
    assert {item["service_id"] for item in page["contents"]} == {WALK, STOP_SMOKING}
    first = page["contents"][0]
    nested = get_json(api, f"/hsds/service_at_locations/{first['id']}")
    assert_valid("compiled/service_at_location.json", nested)
    assert nested["service"]["id"] == first["service_id"]
    assert nested["location"]["addresses"]
    by_postcode = get_page(
        api, "/hsds/service_at_locations?postcode=9999", "compiled/service_at_location_list.json"
    )
    assert by_postcode["empty"]


@pytest.fixture
def corpus_api(
    run_cli: Callable[..., Any], corpus_path: Path, client: TestClient
) -> Iterator[TestClient]:
    assert run_cli("import-hsds", corpus_path).exit_code == 0
    yield client


LIST_ROUTES = [
    ("/hsds/services", "compiled/service_list.json"),
    ("/hsds/services?full=true", "compiled/service.json"),
    ("/hsds/organizations", "compiled/organization_list.json"),
    ("/hsds/organizations?full_service=true", "compiled/organization.json"),
    ("/hsds/taxonomies", "schema/taxonomy.json"),
    ("/hsds/taxonomy_terms", "schema/taxonomy_term.json"),
    ("/hsds/service_at_locations", "compiled/service_at_location_list.json"),
    ("/hsds/service_at_locations?full=true", "compiled/service_at_location.json"),
]
DETAIL_ROUTES = {
    "/hsds/services": ("/hsds/services/{}", "compiled/service.json"),
    "/hsds/organizations": ("/hsds/organizations/{}", "compiled/organization.json"),
    "/hsds/taxonomies": ("/hsds/taxonomies/{}", "schema/taxonomy.json"),
    "/hsds/taxonomy_terms": ("/hsds/taxonomy_terms/{}", "schema/taxonomy_term.json"),
    "/hsds/service_at_locations": (
        "/hsds/service_at_locations/{}",
        "compiled/service_at_location.json",
    ),
}


def test_every_route_answers_valid_hsds_for_the_test_corpus(corpus_api: TestClient) -> None:
    for url, schema in LIST_ROUTES:
        pages = 0
        page_number = 1
        while True:
            separator = "&" if "?" in url else "?"
            page = get_page(corpus_api, f"{url}{separator}per_page=200&page={page_number}", schema)
            pages += 1
            if page["last_page"]:
                break
            page_number += 1
        if url in DETAIL_ROUTES:
            detail, detail_schema = DETAIL_ROUTES[url]
            for item in page["contents"][:25]:
                assert_valid(detail_schema, get_json(corpus_api, detail.format(item["id"])))
    services = get_json(corpus_api, "/hsds/services?minimal=true")
    assert services["total_items"] == 240
