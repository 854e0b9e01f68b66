"""Hostile records through every way in (HSDS file, sheet, YAML catalogue): each is refused in
one line naming the record, the field and the rule, and the database stays as it was."""

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select
from typer.testing import Result

from app.config import Settings
from app.db import make_engine
from app.models import ChangeLog, Offer
from app.search import IndexWriteError
from app.search.indexer import IndexStore
from tests.conftest import FIXTURE_CATALOGUE

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: object) -> Mutation:
    """Set a dotted path ("schedules.0.byday") in a service."""

    def mutate(service: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = service
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[last] = value

    return mutate


# (case id, mutation of an exported HSDS service, words the refusal must contain)
HSDS_CASES: list[tuple[str, Mutation, tuple[str, ...]]] = [
    ("long-name", _set("name", "A" * 301), ("name", "301 characters", "at most 300")),
    ("long-description", _set("description", "ord " * 5001), ("description", "at most 20000")),
    ("nul", _set("name", "Gåtur\x00"), ("name", "control character", "0000")),
    ("bell", _set("name", "Gåtur\x07"), ("name", "control character")),
    ("rlo", _set("description", "Ring \u202e1234"), ("description", "direction-override")),
    ("isolate", _set("name", "Navn \u2066x"), ("name", "direction-override")),
    ("line-break-in-name", _set("name", "To\nlinjer"), ("name", "line break")),
    ("javascript-url", _set("url", "javascript:alert(1)"), ("url", "http")),
    ("vbscript-url", _set("url", "VBScript:msgbox(1)"), ("url", "http")),
    ("data-url", _set("url", "data:text/html,<script>x</script>"), ("url",)),
    ("scheme-relative", _set("url", "//evil.example/"), ("url",)),
    ("website", _set("organization.website", "javascript:alert(1)"), ("website", "http")),
    ("long-url", _set("url", "https://x.dk/" + "a" * 2000), ("url", "at most 2000")),
    ("email", _set("email", "ikke en adresse"), ("email",)),
    ("byday", _set("schedules.0.byday", "XX"), ("byday", "weekday")),
    ("opens-at", _set("schedules.0.opens_at", "25:99"), ("opens_at", "time of day")),
    ("interval-zero", _set("schedules.0.interval", 0), ("interval", "outside")),
    ("interval-huge", _set("schedules.0.interval", 10**9), ("interval", "outside")),
    ("year-one", _set("schedules.0.dtstart", "0001-01-01"), ("dtstart", "outside the years")),
    ("not-a-date", _set("schedules.0.until", "2026-02-30"), ("until", "not a date")),
    ("age-negative", _set("minimum_age", -5), ("minimum_age", "outside")),
    ("age-absurd", _set("maximum_age", 10**30), ("maximum_age", "outside")),
    ("ages-crossed", lambda s: s.update(minimum_age=60, maximum_age=10), ("minimum_age",)),
    (
        "latitude",
        _set("service_at_locations.0.location.latitude", 1e308),
        ("latitude", "outside"),
    ),
    ("long-id", _set("phones.0.number", "4" * 101), ("number", "at most 100")),
    ("deep", _set("extra", json.loads('{"a":' * 500 + "1" + "}" * 500)), ("nested too deeply",)),
]


def _snapshot(settings: Settings) -> list[tuple[Any, ...]]:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        offers = session.exec(select(Offer).order_by(Offer.id)).all()
        rows: list[tuple[Any, ...]] = [
            (o.id, o.name, o.description, o.url, o.minimum_age, o.updated_at) for o in offers
        ]
        rows.append((len(session.exec(select(ChangeLog)).all()),))
    engine.dispose()
    return rows


def _one_line(result: Result) -> str:
    """The refusal: exit code 1, one error line (after any note on how a sheet was read)."""
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert "Traceback" not in result.output
    return errors[0]


@pytest.fixture
def loaded(run_cli: Callable[..., Result], tmp_path: Path) -> list[dict[str, Any]]:
    """The fixture catalogue loaded; its public offers as exported HSDS services."""
    assert run_cli("load-catalogue", FIXTURE_CATALOGUE).exit_code == 0
    out = tmp_path / "export.json"
    assert run_cli("export-hsds", out).exit_code == 0
    services: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return services


@pytest.mark.parametrize(
    ("mutation", "words"), [c[1:] for c in HSDS_CASES], ids=[c[0] for c in HSDS_CASES]
)
def test_hsds_import_refuses_hostile_record(
    run_cli: Callable[..., Result],
    loaded: list[dict[str, Any]],
    settings: Settings,
    tmp_path: Path,
    mutation: Mutation,
    words: tuple[str, ...],
) -> None:
    before = _snapshot(settings)
    services = [{**s, "name": s["name"] + " (ændret)"} for s in loaded]
    target = next(s for s in services if s.get("schedules") and s.get("phones"))
    mutation(target)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")

    line = _one_line(run_cli("import-hsds", path))

    assert f"id {target['id']}" in line
    for word in words:
        assert word in line
    assert _snapshot(settings) == before


@pytest.mark.usefixtures("loaded")
def test_deeply_nested_json_is_one_line(
    run_cli: Callable[..., Result], settings: Settings, tmp_path: Path
) -> None:
    before = _snapshot(settings)
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    line = _one_line(run_cli("import-hsds", path))
    assert "nested too deeply" in line
    assert _snapshot(settings) == before


def test_text_is_normalised_on_the_way_in(
    run_cli: Callable[..., Result], loaded: list[dict[str, Any]], settings: Settings, tmp_path: Path
) -> None:
    service = loaded[0]
    # Decomposed "å" and "ø", a soft hyphen and a zero-width space, as pasted from elsewhere.
    service["name"] = "Pa\u030araørende\u00adgruppe i Sto\u0308r\u200bby"
    path = tmp_path / "nfd.json"
    path.write_text(json.dumps([service], ensure_ascii=False), encoding="utf-8")
    assert run_cli("import-hsds", path).exit_code == 0
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        offer = session.get(Offer, service["id"])
        assert offer is not None
        assert offer.name == "Påraørendegruppe i Störby"
    engine.dispose()


# ----------------------------------------------------------------------------- the sheet

SHEET_CASES = [
    ("navn", "Navn\x00", "control character"),
    ("web", "javascript:alert(1)", "http"),
    ("min. alder", "-5", "outside"),
    ("tider", "hver XX kl. 10-12", "tider"),
    ("breddegrad", "1e308", "outside"),
    ("beskrivelse", "Ring \u202e1234", "direction-override"),
]


@pytest.mark.parametrize(("column", "value", "word"), SHEET_CASES, ids=[c[0] for c in SHEET_CASES])
@pytest.mark.usefixtures("loaded")
def test_sheet_import_refuses_hostile_cell(
    run_cli: Callable[..., Result],
    settings: Settings,
    tmp_path: Path,
    column: str,
    value: str,
    word: str,
) -> None:
    sheet = tmp_path / "sheet.csv"
    assert run_cli("export-csv", sheet).exit_code == 0
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    row = next(r for r in rows if r["adresse"])
    row[column] = value
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    before = _snapshot(settings)

    line = _one_line(run_cli("import-csv", sheet))

    assert word in line
    assert _snapshot(settings) == before


# ----------------------------------------------------------------------- the YAML catalogue

YAML_CASES = [
    ("name: Gåtur ved fjorden", "name: Gåtur ved fjorden\x07", "special characters"),
    ("name: Gåtur ved fjorden", "name: Gåtur ved fjorden" + "n" * 300, "at most 300"),
    ("min_age: 18", "min_age: 1000000000000000000000000000000", "min_age"),
    (
        "url: https://sundhed.testkommune.example.dk/rygestop",
        "url: javascript:alert(1)",
        "http",
    ),
    ('opens: "16:00"', 'opens: "25:99"', "opens"),
    ("internal_note: Kontaktpersonen", "internal_note: \u202eKontaktpersonen", "direction"),
]


@pytest.mark.parametrize(
    ("old", "new", "word"), YAML_CASES, ids=[str(n) for n in range(len(YAML_CASES))]
)
@pytest.mark.usefixtures("loaded")
def test_yaml_catalogue_refuses_hostile_value(
    run_cli: Callable[..., Result],
    settings: Settings,
    tmp_path: Path,
    old: str,
    new: str,
    word: str,
) -> None:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, catalogue)
    offers = catalogue / "offers" / "fixture.yaml"
    text = offers.read_text(encoding="utf-8")
    assert old in text
    offers.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = _snapshot(settings)

    line = _one_line(run_cli("load-catalogue", catalogue))

    assert word in line
    assert _snapshot(settings) == before


# ---------------------------------------------------------------------- honest messages


def test_an_import_whose_index_update_fails_says_so_and_exits_0(
    run_cli: Callable[..., Result],
    loaded: list[dict[str, Any]],
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full_disk(*_args: object, **_kwargs: object) -> int:
        raise IndexWriteError("could not update the index: [Errno 28] No space left on device")

    monkeypatch.setattr(IndexStore, "sync", full_disk)
    renamed = [{**s, "name": s["name"] + " (ændret)"} for s in loaded]
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(renamed, ensure_ascii=False), encoding="utf-8")

    result = run_cli("import-hsds", path)

    assert result.exit_code == 0, result.output
    assert "catch up on the next start or `opslagstavle reindex`" in result.output
    assert "Traceback" not in result.output
    names = {row[1] for row in _snapshot(settings)[:-1]}
    assert sum(name.endswith("(ændret)") for name in names) == len(loaded)


def test_an_unreachable_database_is_one_line_without_its_password(
    run_cli: Callable[..., Result],
) -> None:
    url = "postgresql+psycopg://opslag:hemmeligt-kodeord@127.0.0.1:1/opslag"
    result = run_cli("init", DATABASE_URL=url)
    line = _one_line(result)
    assert "did not answer" in line
    assert "hemmeligt-kodeord" not in result.output


def test_a_file_that_is_no_database_is_one_line(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    line = _one_line(run_cli("init", DATABASE_URL=f"sqlite:///{path}"))
    assert "not a database" in line


@pytest.mark.usefixtures("loaded")
def test_a_number_too_long_for_python_is_one_line(
    run_cli: Callable[..., Result], settings: Settings, tmp_path: Path
) -> None:
    """Python refuses to read an integer of more than 4,300 digits; JSON and YAML may hold one."""
    before = _snapshot(settings)
    path = tmp_path / "long.json"
    path.write_text('[{"minimum_age": ' + "9" * 5000 + "}]", encoding="utf-8")
    assert "not valid JSON" in _one_line(run_cli("import-hsds", path))
    catalogue = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, catalogue)
    (catalogue / "offers" / "long.yaml").write_text(
        "offers:\n  - id: x\n    min_age: " + "9" * 5000 + "\n", encoding="utf-8"
    )
    assert "not valid YAML" in _one_line(run_cli("load-catalogue", catalogue))
    assert _snapshot(settings) == before
