"""HSDS 3.0 in and out: the shared test corpus survives an import and an export."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result

from app.hsds.schema import first_error

TERM_TAXONOMIES = ("tema", "maalgruppe", "kanal", "adgang")


def _terms(service: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]) for a in service["attributes"]
    }


def _org_terms(service: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"])
        for a in service["organization"].get("attributes", [])
    }


def _strip(rows: list[dict[str, Any]], *drop: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in drop} for row in rows]


def _locations(service: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": sal["id"],
            "location_id": sal["location"]["id"],
            "name": sal["location"].get("name"),
            "latitude": sal["location"].get("latitude"),
            "longitude": sal["location"].get("longitude"),
            "addresses": [
                {k: a.get(k) for k in ("id", "address_1", "postal_code", "city", "country")}
                for a in sal["location"].get("addresses", [])
            ],
        }
        for sal in service.get("service_at_locations", [])
    ]


SCALARS = (
    "id",
    "organization_id",
    "name",
    "description",
    "status",
    "application_process",
    "fees_description",
    "minimum_age",
    "maximum_age",
    "url",
    "email",
    "eligibility_description",
    "assured_date",
)


def test_export_gives_back_every_imported_service(
    run_cli: Callable[..., Result], corpus_path: Path, tmp_path: Path
) -> None:
    original = json.loads(corpus_path.read_text(encoding="utf-8"))
    out = tmp_path / "out.json"

    assert run_cli("import-hsds", corpus_path).exit_code == 0
    result = run_cli("export-hsds", out)
    assert result.exit_code == 0, result.output

    exported = {s["id"]: s for s in json.loads(out.read_text(encoding="utf-8"))}
    assert len(exported) == len(original) == 240
    for before in original:
        after = exported[before["id"]]
        assert first_error("service", after) is None, after["id"]
        for key in SCALARS:
            assert after.get(key) == before.get(key), (before["id"], key)
        assert after["organization"]["name"] == before["organization"]["name"]
        assert _terms(after) == _terms(before)
        assert _org_terms(after) == _org_terms(before)
        assert _strip(after["phones"], "service_id") == _strip(before["phones"], "service_id")
        assert after["schedules"] == before["schedules"]
        assert after["languages"] == before["languages"]
        assert after["cost_options"] == before["cost_options"]
        assert _locations(after) == _locations(before)
        assert {a["id"] for a in after["attributes"]} == {a["id"] for a in before["attributes"]}


def test_import_twice_changes_nothing(run_cli: Callable[..., Result], corpus_path: Path) -> None:
    assert run_cli("import-hsds", corpus_path).exit_code == 0
    again = run_cli("import-hsds", corpus_path)
    assert again.exit_code == 0
    assert "0 new, 0 updated, 240 unchanged" in again.output
