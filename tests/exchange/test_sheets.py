"""Spreadsheets: export-csv and import-csv keep every column, bad rows change nothing."""

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import Result

from app.config import Settings
from app.db import make_engine
from app.exchange.schedule_words import ScheduleWordsError, from_words, to_words
from app.exchange.sheets import COLUMNS
from app.models import Language, Offer, StaffFacts
from tests.conftest import FIXTURE_CATALOGUE, TEST_DATABASE_URL, empty_database

WALK = "aaaaaaaa-0000-4000-8000-000000000001"


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Danish Excel needs the byte-order mark"
    rows = csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";")
    assert tuple(rows.fieldnames or ()) == COLUMNS
    return {row["id"]: row for row in rows}


def offers(settings: Settings) -> dict[str, Offer]:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        found = {o.id: o for o in session.exec(select(Offer)).all()}
    engine.dispose()
    return found


@pytest.fixture
def sheet(run_cli: Callable[..., Result], tmp_path: Path) -> Path:
    """The fixture catalogue, loaded and exported as a sheet."""
    assert run_cli("load-catalogue", FIXTURE_CATALOGUE).exit_code == 0
    path = tmp_path / "tilbud.csv"
    result = run_cli("export-csv", path)
    assert result.exit_code == 0, result.output
    return path


def test_export_writes_danish_excel_sheet(sheet: Path) -> None:
    rows = read_rows(sheet)
    walk = rows[WALK]
    assert walk["navn"] == "Gåtur ved fjorden"
    assert walk["tema"] == "Fællesskab og netværk | Motion og bevægelse"
    assert walk["udbyder"] == "Forening eller frivillige"
    assert walk["tider"].split(" | ") == [
        "tirsdag 10:00-11:00",
        "hver anden torsdag 17:00-19:00 fra 2026-11-12",
        "2026-12-05 10:00-14:00",
    ]
    assert (walk["adresse"], walk["postnr."], walk["by"]) == ("Kirkevej 1", "4400", "Testby")
    assert walk["status"] == "aktiv"
    assert len(rows) == 3  # not the draft


def test_sheet_round_trip_into_empty_database(
    run_cli: Callable[..., Result], corpus_path: Path, tmp_path: Path, settings: Settings
) -> None:
    assert run_cli("import-hsds", corpus_path).exit_code == 0
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert run_cli("export-csv", first).exit_code == 0

    if TEST_DATABASE_URL and settings.database_url == TEST_DATABASE_URL:
        empty_database(TEST_DATABASE_URL)
        env = {}
    else:
        other = tmp_path / "other"
        env = {"DATA_DIR": str(other), "DATABASE_URL": f"sqlite:///{other / 'db.sqlite3'}"}
    result = run_cli("import-csv", first, **env)
    assert result.exit_code == 0, result.output
    assert "240 new" in result.output
    assert run_cli("export-csv", second, **env).exit_code == 0

    before, after = read_rows(first), read_rows(second)
    assert len(before) == 240
    assert before == after


def test_import_updates_offers_and_keeps_what_the_sheet_lacks(
    run_cli: Callable[..., Result], sheet: Path, settings: Settings
) -> None:
    rows = read_rows(sheet)
    rows[WALK]["navn"] = "Gåtur ved stranden"
    rows[WALK]["telefon"] = "+45 70 00 00 09"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(rows.values())

    result = run_cli("import-csv", sheet)
    assert result.exit_code == 0, result.output
    assert "0 new, 1 updated, 2 unchanged" in result.output
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        offer = session.get(Offer, WALK)
        assert offer is not None and offer.name == "Gåtur ved stranden"
        assert [p.number for p in offer.phones] == ["+45 70 00 00 09"]
        languages = session.exec(select(Language.code).where(Language.offer_id == WALK)).all()
        assert sorted(languages) == ["da", "en"]
        facts = session.get(StaffFacts, WALK)
        assert facts is not None and facts.internal_note == "Kontaktpersonen er på ferie i uge 7."
    engine.dispose()


def test_import_reads_commas_and_windows_1252(
    run_cli: Callable[..., Result], tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "excel.csv"
    text = (
        "navn,organisation,udbyder,tema,målgruppe,tider\r\n"
        "Strikkecafé,Foreningen Garn,forening,Fællesskab og netværk,Seniorer,onsdag 14:00-16:00\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    result = run_cli("import-csv", path)
    assert result.exit_code == 0, result.output
    assert "as Windows-1252 with ',' between columns" in result.output
    names = {o.name: o for o in offers(settings).values()}
    assert names["Strikkecafé"].organization.name == "Foreningen Garn"

    again = run_cli("import-csv", path)  # the derived id makes a second import change nothing
    assert "0 new, 0 updated, 1 unchanged" in again.output


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("min. alder", "atten", "row 3 (id"),
        ("min. alder", "atten", "column 'min. alder': 'atten' is not a whole number"),
        ("tema", "Strikning", "column 'tema': 'Strikning' is not one of"),
        ("tider", "om eftermiddagen", "column 'tider'"),
        ("sidst bekræftet", "i går", "column 'sidst bekræftet'"),
        ("breddegrad", "nord", "column 'breddegrad': 'nord' is not a number"),
        ("navn", "", "column 'navn': an offer needs a name"),
        ("status", "lukket", "column 'status'"),
    ],
)
def test_bad_cell_names_row_and_column_and_imports_nothing(
    run_cli: Callable[..., Result],
    sheet: Path,
    settings: Settings,
    column: str,
    value: str,
    message: str,
) -> None:
    rows = list(read_rows(sheet).values())
    for row in rows:
        row["navn"] += " (ændret)"
    rows[1][column] = value
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    before = {k: o.name for k, o in offers(settings).items()}

    result = run_cli("import-csv", sheet)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "row 3" in result.stderr.splitlines()[-1]
    assert {k: o.name for k, o in offers(settings).items()} == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("navn;organisation;farve\nA;B;rød\n", "row 1: unknown column 'farve'"),
        ("navn;tema\nA;Motion og bevægelse\n", "row 1: the column 'organisation' is missing"),
        ("navn;organisation\nA;B;C\n", "row 2: more cells than columns"),
    ],
)
def test_malformed_sheet_is_refused(
    run_cli: Callable[..., Result], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = run_cli("import-csv", path)
    assert result.exit_code == 1
    assert message in result.stderr


@pytest.mark.parametrize(
    "phrase",
    [
        "tirsdag 10:00-11:00",
        "mandag, onsdag 09:00-15:00",
        "mandag-fredag 08:00-16:00",
        "hver anden torsdag 17:00-19:00 fra 2026-11-12",
        "hver 3. fredag 10:00-12:00 fra 2026-11-06",
        "første onsdag i måneden 19:00-21:00",
        "første torsdag, tredje torsdag i måneden 17:00-19:00",
        "sidste fredag i måneden 14:00-16:00",
        "2026-12-05 10:00-14:00",
        "lørdag 10:00-12:00 fra 2026-01-03 til 2026-06-27",
    ],
)
def test_schedule_phrases_read_back(phrase: str) -> None:
    assert to_words(from_words(phrase)) == phrase


def test_schedule_phrases_accept_everyday_variants() -> None:
    assert from_words("Tirsdag og Torsdag 9:00-11:00").byday == "TU,TH"
    assert from_words("Tirsdag og Torsdag 9:00-11:00").opens_at == "09:00"


@pytest.mark.parametrize(
    "phrase",
    ["", "om eftermiddagen", "hver anden tirsdag 10:00-11:00", "fredag-mandag 10:00-12:00"],
)
def test_schedule_phrases_refuse_what_they_cannot_read(phrase: str) -> None:
    with pytest.raises(ScheduleWordsError):
        from_words(phrase)
