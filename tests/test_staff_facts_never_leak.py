"""Staff-only facts never leave: not through pages, the HSDS API or exports."""

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import Result

from app.db import session_scope
from app.models import Offer, StaffFacts
from tests.staff.support import log_in
from tests.staff.test_authorisation import STAFF_APIS, STAFF_PAGES, api_routes

MARKER = "STAFFONLY"
STAFF_FIELDS = [name for name in StaffFacts.model_fields if name not in ("offer_id", "updated_at")]


@pytest.fixture
def marked(engine: Engine, fixture_catalogue: None) -> list[str]:  # noqa: ARG001
    """Every offer, with a marker in every staff-only field; returns the offer ids."""
    with session_scope(engine) as session:
        offers = session.exec(select(Offer)).all()
        for offer in offers:
            facts = offer.staff_facts or StaffFacts(offer_id=offer.id)
            for name in STAFF_FIELDS:
                setattr(facts, name, f"{MARKER}-{name}-{offer.id}")
            session.add(facts)
        return [offer.id for offer in offers]


def test_staff_fields_are_all_marked(marked: list[str], engine: Engine) -> None:
    assert len(STAFF_FIELDS) >= 3
    with session_scope(engine) as session:
        facts = session.exec(select(StaffFacts)).all()
        assert len(facts) == len(marked)
        assert all(MARKER in getattr(f, name) for f in facts for name in STAFF_FIELDS)


def _hsds_urls(client: TestClient, offer_ids: list[str]) -> list[str]:
    urls = [
        "/hsds/services?full=true&per_page=200",
        "/hsds/services?per_page=200",
        "/hsds/services?minimal=true",
        "/hsds/services?modified_after=2000-01-01&full=true",
        "/hsds/organizations?full_service=true",
        "/hsds/organizations?full=true",
        "/hsds/service_at_locations?full=true",
        "/hsds/taxonomy_terms?per_page=200",
        "/hsds/services?search=STAFFONLY",
    ]
    urls += [f"/hsds/services/{offer_id}" for offer_id in offer_ids]
    orgs = client.get("/hsds/organizations").json()["contents"]
    urls += [f"/hsds/organizations/{org['id']}?full_service=true" for org in orgs]
    places = client.get("/hsds/service_at_locations").json()["contents"]
    urls += [f"/hsds/service_at_locations/{place['id']}" for place in places]
    return urls


def test_no_hsds_response_carries_staff_facts(client: TestClient, marked: list[str]) -> None:
    urls = _hsds_urls(client, marked)
    for url in urls:
        response = client.get(url)
        assert MARKER not in response.text, url
    search = client.get("/hsds/services?search=STAFFONLY").json()
    assert search["empty"], "staff-only text must not be searchable in public"


def test_no_page_carries_staff_facts(client: TestClient, marked: list[str]) -> None:
    for url in ["/", *(f"/tilbud/{offer_id}" for offer_id in marked)]:
        assert MARKER not in client.get(url).text, url


def test_no_export_carries_staff_facts(
    run_cli: Callable[..., Result], marked: list[str], tmp_path: Path
) -> None:
    assert marked
    for command, name in (("export-hsds", "export.json"), ("export-csv", "export.csv")):
        out = tmp_path / name
        assert run_cli(command, out).exit_code == 0
        assert MARKER not in out.read_text(encoding="utf-8-sig"), command


def test_no_public_route_carries_staff_facts(
    app: FastAPI, client: TestClient, marked: list[str]
) -> None:
    """Every GET route of the app outside the staff area, walked from the route table, for
    every offer id where the route takes one: a new public route cannot leak them."""
    checked = 0
    for path, route in api_routes(app.routes):
        if "GET" not in route.methods or path.startswith(STAFF_PAGES + STAFF_APIS):
            continue
        urls = [path.replace("{id}", offer_id) for offer_id in marked] if "{" in path else [path]
        for url in urls:
            for query in ("", "?q=STAFFONLY", "?q=ferie"):
                response = client.get(url + query)
                assert f"{MARKER}-" not in response.text, url + query
                checked += 1
    assert checked > 10


def test_staff_see_the_facts_on_the_offer_page(
    client: TestClient, marked: list[str], make_account: Callable[..., str]
) -> None:
    """The positive control: the facts exist and are shown to a logged-in staff member."""
    make_account("sagsbehandler@kommune.dk")
    log_in(client, "sagsbehandler@kommune.dk")
    assert MARKER in client.get(f"/tilbud/{marked[0]}").text
