"""Safe sheets: export-csv neutralises formulas, and every sheet it writes imports again as it was.

A cell starting with "=", "+", "-", "@", a tab or a carriage return gets a leading apostrophe
(OWASP, "CSV Injection"), and import-csv takes exactly that apostrophe off (issue 10).
"""

import csv
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import Result

from app.catalogue.errors import CatalogueError
from app.catalogue.taxonomy import Vocabulary
from app.config import Settings
from app.db import make_engine, session_scope
from app.exchange.sheets import (
    COLUMNS,
    MAX_CELL_CHARS,
    escape_cell,
    export_rows,
    read_sheet,
    sheet_services,
    unescape_cell,
    write_sheet,
)
from app.hsds.importer import upsert_services
from app.models import Offer
from tests.conftest import TEST_DATABASE_URL, empty_database
from tests.factories import make_location, make_offer, make_organization

TRIGGERS = "=+-@\t\r"
# Values a spreadsheet would run, or that look like our own escape, by column.
TRICKY = {
    "navn": '=HYPERLINK("https://evil.example";"Klik")',
    "beskrivelse": "+SUM(A1:A9)",
    "sådan kommer du i gang": "-2+3",
    "pris": "@SUM(1+1)*cmd|' /C calc'!A0",
    "lovgrundlag": "\tServicelovens § 18",
    "organisation": "'=already quoted",
}


def raw_rows(path: Path) -> list[dict[str, str]]:
    """The cells exactly as written, apostrophes and all."""
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=";")
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


# ---------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+45 70 00 00 00", "'+45 70 00 00 00"),
        ("-5", "'-5"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("''-1", "'''-1"),
        ("'citat'", "'citat'"),
        ("Gåtur = motion", "Gåtur = motion"),
        ("", ""),
    ],
)
def test_escape_cell_puts_an_apostrophe_before_formulas(value: str, cell: str) -> None:
    assert escape_cell(value) == cell
    assert unescape_cell(cell) == value


@settings(max_examples=1000)
@given(st.text(alphabet=st.sampled_from(TRIGGERS + "'a1 ")) | st.text())
def test_escape_cell_round_trips_and_never_starts_a_formula(value: str) -> None:
    cell = escape_cell(value)
    assert unescape_cell(cell) == value
    assert not cell.startswith(tuple(TRIGGERS))


# ----------------------------------------------------------------------- the raw file


@pytest.fixture
def tricky_offer(engine: Engine) -> str:
    """A published offer whose texts start with formulas, with a phone and a place west of
    Greenwich, so the numbers start with "+" and "-" too."""
    with session_scope(engine) as session:
        organization = make_organization(session, name=TRICKY["organisation"])
        place = make_location(session, name="Vestpå", latitude=55.5, longitude=-5.25)
        offer = make_offer(
            session,
            organization=organization,
            name=TRICKY["navn"],
            description=TRICKY["beskrivelse"],
            application_process=TRICKY["sådan kommer du i gang"],
            fees_description=TRICKY["pris"],
            eligibility_description=TRICKY["lovgrundlag"],
            url="https://kommune.dk/tilbud",
            phones=["+45 70 00 00 09"],
            locations=[place],
        )
        return offer.id


def test_export_writes_formulas_with_an_apostrophe(
    run_cli: Callable[..., Result], tricky_offer: str, tmp_path: Path
) -> None:
    path = tmp_path / "tilbud.csv"
    result = run_cli("export-csv", path)
    assert result.exit_code == 0, result.output

    (row,) = raw_rows(path)
    assert row["id"] == tricky_offer
    for column, value in TRICKY.items():
        assert row[column] == "'" + value, column
    assert row["telefon"] == "'+45 70 00 00 09"
    assert row["længdegrad"] == "'-5.25"
    assert row["breddegrad"] == "55.5"
    assert row["web"] == "https://kommune.dk/tilbud"
    for cell in row.values():
        assert not cell.startswith(tuple(TRIGGERS))


def test_export_imports_into_an_empty_database_as_it_was(
    run_cli: Callable[..., Result], tricky_offer: str, tmp_path: Path, settings: Settings
) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert run_cli("export-csv", first).exit_code == 0
    again = run_cli("import-csv", first)  # into the same database: nothing to change
    assert again.exit_code == 0, again.output
    assert "0 new, 0 updated, 1 unchanged" in again.output

    if TEST_DATABASE_URL and settings.database_url == TEST_DATABASE_URL:
        empty_database(TEST_DATABASE_URL)
        env = {}
        url = TEST_DATABASE_URL
    else:
        other = tmp_path / "other"
        url = f"sqlite:///{other / 'db.sqlite3'}"
        env = {"DATA_DIR": str(other), "DATABASE_URL": url}
    result = run_cli("import-csv", first, **env)
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    assert run_cli("export-csv", second, **env).exit_code == 0
    assert raw_rows(first) == raw_rows(second)

    engine = make_engine(url)
    with Session(engine) as session:
        offer = session.get(Offer, tricky_offer)
        assert offer is not None
        assert (offer.name, offer.description) == (TRICKY["navn"], TRICKY["beskrivelse"])
        assert offer.application_process == TRICKY["sådan kommer du i gang"]
        assert offer.fees_description == TRICKY["pris"]
        assert offer.eligibility_description == TRICKY["lovgrundlag"]
        assert offer.organization.name == TRICKY["organisation"]
        assert [p.number for p in offer.phones] == ["+45 70 00 00 09"]
        assert offer.service_at_locations[0].location.longitude == -5.25
    engine.dispose()


# ------------------------------------------------------------------- any text at all


def _survives_trimming(value: str) -> bool:
    """Import trims a cell, so surrounding spaces are not the sheet's to keep; a leading tab
    or carriage return is, as the apostrophe in front protects it."""
    return value == value.rstrip() and (value == value.lstrip() or value[0] in "\t\r")


def _clean(value: str) -> bool:
    """What the catalogue's rules keep as it is: NFC, no invisible characters."""
    return unicodedata.normalize("NFC", value) == value


# Text without NUL or other control characters, format characters (which the rules remove
# or refuse) or unassigned code points; a name is one line, a description may have several.
_LETTERS = st.characters(exclude_categories=("Cc", "Cs", "Cf", "Cn"))
names = (
    st.text(
        alphabet=_LETTERS | st.sampled_from(TRIGGERS[:-1] + "'|;\",\t"), min_size=1, max_size=80
    )
    .filter(_survives_trimming)
    .filter(_clean)
)
descriptions = (
    st.text(alphabet=_LETTERS | st.sampled_from(TRIGGERS + "'|;\",\n"), max_size=200)
    .filter(_survives_trimming)
    .filter(_clean)
)


@pytest.fixture
def one_offer(engine: Engine) -> Iterator[tuple[Engine, str]]:
    with session_scope(engine) as session:
        offer_id = make_offer(session, name="Tilbud", phones=["+45 70 00 00 00"]).id
    yield engine, offer_id


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # one offer, updated
)
@given(name=names, description=descriptions)
@example(name="=1+2", description="-1+2")
@example(name="'@x", description="\r\n=cmd")
@example(name="\t-", description="''=x | y")
def test_any_name_and_description_survive_export_and_import(
    one_offer: tuple[Engine, str],
    vocabulary: Vocabulary,
    tmp_path: Path,
    name: str,
    description: str,
) -> None:
    engine, offer_id = one_offer
    with session_scope(engine) as session:
        offer = session.get(Offer, offer_id)
        assert offer is not None
        offer.name, offer.description = name, description
        session.add(offer)
    path = tmp_path / "tilbud.csv"
    with Session(engine) as session:
        assert write_sheet(path, export_rows(session=session, vocabulary=vocabulary)) == 1

    _, rows = read_sheet(path)
    assert (rows[0]["navn"], rows[0]["beskrivelse"]) == (name, description)
    with session_scope(engine) as session:
        items = sheet_services(session=session, path=path, rows=rows, vocabulary=vocabulary)
        result = upsert_services(session=session, items=items, vocabulary=vocabulary)
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 1)
    with Session(engine) as session:
        offer = session.get(Offer, offer_id)
        assert offer is not None and (offer.name, offer.description) == (name, description)


# ----------------------------------------------------------------- what import reads


def _row(**cells: str) -> dict[str, str]:
    return dict.fromkeys(COLUMNS, "") | {"navn": "A", "organisation": "B"} | cells


def test_export_writes_the_longest_cell_import_reads(tmp_path: Path) -> None:
    path = tmp_path / "lang.csv"
    longest = "x" * MAX_CELL_CHARS
    write_sheet(path, [_row(beskrivelse=longest)])
    _, rows = read_sheet(path)
    assert rows[0]["beskrivelse"] == longest


@pytest.mark.parametrize(
    "value", ["x" * (MAX_CELL_CHARS + 1), "=" + "x" * (MAX_CELL_CHARS - 1), "y" * 1_000_000]
)
def test_export_refuses_a_cell_import_could_not_read(tmp_path: Path, value: str) -> None:
    path = tmp_path / "lang.csv"
    path.write_text("navn;organisation\nforrige;eksport\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"column 'beskrivelse': \d+ characters, more than"):
        write_sheet(path, [_row(), _row(id="abc", beskrivelse=value)])
    assert path.read_text(encoding="utf-8").startswith("navn;organisation")  # left as it was
    assert list(tmp_path.iterdir()) == [path]  # and no half-written file beside it


def test_import_refuses_a_cell_longer_than_export_writes(tmp_path: Path) -> None:
    path = tmp_path / "lang.csv"
    path.write_text(f"navn;organisation\n{'x' * (MAX_CELL_CHARS + 1)};B\n", encoding="utf-8")
    before = csv.field_size_limit()
    with pytest.raises(CatalogueError, match=r"field larger than field limit \(131072\)"):
        read_sheet(path)
    assert csv.field_size_limit() == before  # the process's limit is left as it was


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "x" * 25_000, "description: is 25000 characters long"),
        ("url", "javascript:alert(1)", "url: is not a web address"),
    ],
)
def test_export_refuses_a_stored_offer_import_would_refuse(
    run_cli: Callable[..., Result],
    engine: Engine,
    tmp_path: Path,
    field: str,
    value: str,
    message: str,
) -> None:
    # Stored before the catalogue's rules existed.
    with session_scope(engine) as session:
        offer_id = make_offer(session, name="Gammelt tilbud", **{field: value}).id
    path = tmp_path / "tilbud.csv"
    result = run_cli("export-csv", path)
    assert result.exit_code == 1
    assert f"offer {offer_id} ('Gammelt tilbud'): {message}" in result.stderr
    assert not path.exists() and list(tmp_path.glob("*.tmp")) == []
