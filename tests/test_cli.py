"""The `opslagstavle` command: imports are all or nothing, and bad input is one clear line."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from app.cli import cli
from app.config import Settings, get_settings
from app.db import make_engine
from app.models import ChangeLog, Offer, OfferState, StaffFacts
from tests.conftest import FIXTURE_CATALOGUE


def _snapshot(settings: Settings) -> tuple[int, int, list[tuple[str, str, str]]]:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        offers = session.exec(select(Offer).order_by(Offer.id)).all()
        rows = [(o.id, o.name, o.state.value) for o in offers]
        count = session.exec(select(func.count()).select_from(Offer)).one()
        changes = session.exec(select(func.count()).select_from(ChangeLog)).one()
    engine.dispose()
    return count, changes, rows


@pytest.fixture
def exported(run_cli: Callable[..., Result], tmp_path: Path) -> list[dict[str, Any]]:
    """The fixture catalogue loaded, and exported as HSDS services."""
    assert run_cli("load-catalogue", FIXTURE_CATALOGUE).exit_code == 0
    out = tmp_path / "fixture.json"
    assert run_cli("export-hsds", out).exit_code == 0
    services: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return services


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _renamed(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A valid change to every service, so a failed import would show if any of it landed."""
    return [{**s, "name": s["name"] + " (ændret)"} for s in services]


def test_init_loads_demo_into_empty_database_only(
    run_cli: Callable[..., Result], settings: Settings, demo_catalogue_dir: Path
) -> None:
    # The fixture's four offers (one a draft) stand in for the demo's.
    first = run_cli("init", DEMO="1", CATALOGUE_DIR=str(demo_catalogue_dir))
    assert first.exit_code == 0, first.output
    assert "Demo catalogue loaded" in first.output
    count, _, rows = _snapshot(settings)
    assert count == 4
    assert "Gåtur ved fjorden" in {name for _, name, _ in rows}

    second = run_cli("init", DEMO="1", CATALOGUE_DIR=str(demo_catalogue_dir))
    assert second.exit_code == 0
    assert "Demo catalogue loaded" not in second.output
    assert _snapshot(settings)[0] == count


def test_init_without_demo_leaves_database_empty(
    run_cli: Callable[..., Result], settings: Settings
) -> None:
    assert run_cli("init").exit_code == 0
    assert _snapshot(settings)[0] == 0


def test_import_accepts_paginated_envelope(
    run_cli: Callable[..., Result],
    exported: list[dict[str, Any]],
    tmp_path: Path,
    settings: Settings,
) -> None:
    envelope = {"total_items": len(exported), "page_number": 1, "contents": _renamed(exported)}
    result = run_cli("import-hsds", _write(tmp_path, envelope))
    assert result.exit_code == 0, result.output
    names = [name for _, name, _ in _snapshot(settings)[2]]
    assert sum(name.endswith("(ændret)") for name in names) == len(exported)


def test_import_never_touches_staff_facts(
    run_cli: Callable[..., Result],
    exported: list[dict[str, Any]],
    tmp_path: Path,
    settings: Settings,
) -> None:
    assert run_cli("import-hsds", _write(tmp_path, _renamed(exported))).exit_code == 0
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        facts = session.get(StaffFacts, "aaaaaaaa-0000-4000-8000-000000000001")
        assert facts is not None
        assert facts.internal_note == "Kontaktpersonen er på ferie i uge 7."
    engine.dispose()


def test_import_maps_hsds_status_to_state(
    run_cli: Callable[..., Result],
    exported: list[dict[str, Any]],
    tmp_path: Path,
    settings: Settings,
) -> None:
    statuses = ["inactive", "temporarily closed", "defunct"]
    changed = [{**s, "status": status} for s, status in zip(exported, statuses, strict=False)]
    assert run_cli("import-hsds", _write(tmp_path, changed)).exit_code == 0
    states = {offer_id: state for offer_id, _, state in _snapshot(settings)[2]}
    expected = ["retired", "temporarily_closed", "retired"]
    for service, state in zip(exported, expected, strict=False):
        assert states[service["id"]] == state


def _malformed_json(tmp_path: Path, _services: list[dict[str, Any]]) -> Path:
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "x", "name": ', encoding="utf-8")
    return path


def _breaks_schema(tmp_path: Path, services: list[dict[str, Any]]) -> Path:
    bad = _renamed(services)
    bad[-1]["phones"] = [{"id": "not-a-uuid", "number": 4570000001}]
    return _write(tmp_path, bad)


def _unknown_code(tmp_path: Path, services: list[dict[str, Any]]) -> Path:
    bad = _renamed(services)
    bad[-1]["attributes"][0]["taxonomy_term"]["code"] = "no-such-theme"
    return _write(tmp_path, bad)


def _duplicate_id(tmp_path: Path, services: list[dict[str, Any]]) -> Path:
    bad = _renamed(services)
    return _write(tmp_path, [*bad, {**bad[0], "name": "Kopi"}])


def _not_utf8(tmp_path: Path, services: list[dict[str, Any]]) -> Path:
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(_renamed(services), ensure_ascii=False).encode("cp1252"))
    return path


def _not_a_list(tmp_path: Path, _services: list[dict[str, Any]]) -> Path:
    return _write(tmp_path, {"services": []})


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (_malformed_json, "not valid JSON"),
        (_breaks_schema, "phones[0]"),
        (_unknown_code, "unknown code 'no-such-theme' in taxonomy"),
        (_duplicate_id, "the id is used twice"),
        (_not_utf8, "not UTF-8"),
        (_not_a_list, "expected a JSON array"),
    ],
)
def test_import_bad_input_changes_nothing(
    run_cli: Callable[..., Result],
    exported: list[dict[str, Any]],
    tmp_path: Path,
    settings: Settings,
    make_file: Callable[[Path, list[dict[str, Any]]], Path],
    message: str,
) -> None:
    before = _snapshot(settings)
    result = run_cli("import-hsds", make_file(tmp_path, exported))

    assert result.exit_code == 1
    error_lines = result.stderr.strip().splitlines()
    assert len(error_lines) == 1
    assert message in error_lines[0]
    assert "Traceback" not in result.output
    assert _snapshot(settings) == before


def test_import_error_names_the_record(
    run_cli: Callable[..., Result], exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    result = run_cli("import-hsds", _unknown_code(tmp_path, exported))
    last = exported[-1]
    assert last["id"] in result.stderr
    assert f"service {len(exported)}" in result.stderr


def test_import_of_missing_file_is_one_clear_line(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = run_cli("import-hsds", tmp_path / "nowhere.json")
    assert result.exit_code == 1
    assert "nowhere.json" in result.stderr
    assert "Traceback" not in result.output


def test_export_leaves_out_drafts_and_retired_offers(
    exported: list[dict[str, Any]],
) -> None:
    names = {s["name"]: s["status"] for s in exported}
    assert names == {
        "Gåtur ved fjorden": "active",
        "Rygestop på hold": "active",
        "Fælleshaven om vinteren": "temporarily closed",
    }
    assert OfferState.DRAFT.value not in json.dumps(exported)


def test_import_keeps_terms_of_other_taxonomies(
    run_cli: Callable[..., Result], exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    service = exported[0]
    foreign = {
        "id": "0d9c1f7e-4b7a-4d55-9a0e-5a2b8c3d4e5f",
        "link_id": service["id"],
        "link_type": "openeligibility",
        "link_entity": "service",
        "taxonomy_term_id": "6f2b9e0c-1d3a-4c5b-8e7f-9a0b1c2d3e4f",
        "taxonomy_term": {
            "id": "6f2b9e0c-1d3a-4c5b-8e7f-9a0b1c2d3e4f",
            "code": "walking",
            "name": "Walking",
            "description": "Walking groups",
            "taxonomy": "openeligibility",
        },
    }
    changed = [{**service, "attributes": [*service["attributes"], foreign]}, *exported[1:]]
    assert run_cli("import-hsds", _write(tmp_path, changed)).exit_code == 0
    out = tmp_path / "again.json"
    assert run_cli("export-hsds", out).exit_code == 0

    again = {s["id"]: s for s in json.loads(out.read_text(encoding="utf-8"))}
    kept = [a for a in again[service["id"]]["attributes"] if a["id"] == foreign["id"]]
    assert len(kept) == 1
    term = kept[0]["taxonomy_term"]
    assert (term["id"], term["code"], term["taxonomy"], term["name"]) == (
        foreign["taxonomy_term"]["id"],
        "walking",
        "openeligibility",
        "Walking",
    )


def _log(settings: Settings) -> list[tuple[str, str]]:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        rows = session.exec(select(ChangeLog).order_by(ChangeLog.seq)).all()  # type: ignore[arg-type]
        log = [(row.offer_id, row.action.value) for row in rows]
    engine.dispose()
    return log


def test_import_appends_to_change_log_only_what_changed(
    run_cli: Callable[..., Result],
    exported: list[dict[str, Any]],
    tmp_path: Path,
    settings: Settings,
) -> None:
    assert run_cli("import-hsds", _write(tmp_path, exported)).exit_code == 0
    before = _log(settings)
    assert run_cli("import-hsds", _write(tmp_path, exported)).exit_code == 0
    assert _log(settings) == before  # same data: nothing changed, nothing logged

    changed = [dict(s) for s in exported]
    changed[0]["description"] = "Ny tekst."
    changed[1]["status"] = "inactive"
    changed[2]["organization"] = {**changed[2]["organization"], "name": "Nyt navn"}
    assert run_cli("import-hsds", _write(tmp_path, changed)).exit_code == 0

    new = _log(settings)[len(before) :]
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        org_id = exported[2]["organization_id"]
        sharing_org = set(session.exec(select(Offer.id).where(Offer.organization_id == org_id)))
    engine.dispose()
    assert len(sharing_org) == 2  # a draft shares it: its organization changed too
    expected = {(exported[0]["id"], "update"), (exported[1]["id"], "retire")}
    expected |= {(offer_id, "update") for offer_id in sharing_org - {exported[1]["id"]}}
    assert set(new) == expected


@pytest.mark.parametrize(
    "command", [["export-hsds", "out.json"], ["export-csv", "out.csv"], ["reindex"]]
)
def test_a_read_command_refuses_a_missing_database_and_leaves_no_file(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the wrong folder, a read command says where it looked instead of creating an
    empty database and reporting zero offers."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    for name in ("DATA_DIR", "DATABASE_URL", "INDEX_DIR"):
        monkeypatch.delenv(f"OPSLAGSTAVLE_{name}", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, command)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(elsewhere / "data" / "opslagstavle.sqlite3") in lines[0]
    assert "OPSLAGSTAVLE_DATA_DIR" in lines[0]
    assert list(elsewhere.iterdir()) == []
