"""The demo catalogue (catalogue/offers, catalogue/organizations.yaml, catalogue/site.yaml) is
the demo's own test: it loads, exports as valid HSDS, covers every theme and uses only made-up
contact data. The rest of the suite never relies on its content."""

import yaml
from sqlalchemy import Engine
from sqlmodel import Session

from app.catalogue.taxonomy import Vocabulary
from app.config import DEFAULT_CATALOGUE_DIR
from app.db import session_scope
from app.exchange.yaml_catalogue import load_catalogue, read_catalogue
from app.hsds.export import iter_public_services
from app.hsds.schema import first_error

ALL_THEMES = {"faellesskab", "motion", "mad", "psykisk-trivsel", "sundhed", "raadgivning",
              "oekonomi", "job-uddannelse", "bolig", "rusmidler", "familie", "kultur-fritid",
              "frivillig", "hverdagsliv"}  # fmt: skip


def _codes(service: dict[str, object], taxonomy: str) -> set[str]:
    attributes = service["attributes"]
    assert isinstance(attributes, list)
    return {
        a["taxonomy_term"]["code"] for a in attributes if a["taxonomy_term"]["taxonomy"] == taxonomy
    }


def test_demo_catalogue_exports_as_valid_hsds(engine: Engine, vocabulary: Vocabulary) -> None:
    with session_scope(engine) as session:
        load_catalogue(session=session, directory=DEFAULT_CATALOGUE_DIR, vocabulary=vocabulary)
    with Session(engine) as session:
        services = list(iter_public_services(session=session))

    assert len(services) >= 60
    for service in services:
        assert first_error("service", service) is None, service["name"]
        assert _codes(service, "tema"), service["name"]
        assert _codes(service, "maalgruppe"), service["name"]
    themes = set().union(*(_codes(s, "tema") for s in services))
    assert themes == ALL_THEMES
    groups = set().union(*(_codes(s, "maalgruppe") for s in services))
    assert len(groups) >= 12
    crisis = [s for s in services if "akut" in _codes(s, "adgang")]
    assert len(crisis) >= 3


def test_demo_catalogue_uses_only_fictional_contact_data(vocabulary: Vocabulary) -> None:
    for item in read_catalogue(DEFAULT_CATALOGUE_DIR, vocabulary):
        for phone in item.data["phones"]:
            assert phone["number"].startswith("+45 70 00 "), item.label
        for key in ("url", "email"):
            if key in item.data:
                assert ".example.dk" in item.data[key], item.label
    # The demo site's identity too, which fills the pages' footer in demo mode.
    site = yaml.safe_load((DEFAULT_CATALOGUE_DIR / "site.yaml").read_text(encoding="utf-8"))
    assert site["site_name"] and "(demo)" in site["municipality"]
    assert site["contact_email"].endswith(".example.dk")
    assert site["contact_phone"].startswith("+45 70 00 ")
