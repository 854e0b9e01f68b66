"""The YAML catalogue: loads are upserts, offers that left are retired, errors name the spot."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import Result

from app.catalogue.errors import CatalogueError
from app.catalogue.taxonomy import Vocabulary
from app.db import session_scope
from app.exchange.yaml_catalogue import load_catalogue, read_catalogue
from app.models import Offer, OfferState
from tests.conftest import FIXTURE_CATALOGUE


def test_load_catalogue_upserts_and_retires_what_left(
    engine: Engine, vocabulary: Vocabulary, tmp_path: Path
) -> None:
    directory = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, directory)
    with session_scope(engine) as session:
        first = load_catalogue(session=session, directory=directory, vocabulary=vocabulary)
    assert (first.inserted, first.updated, first.retired) == (4, 0, 0)

    offers_file = directory / "offers" / "fixture.yaml"
    text = offers_file.read_text(encoding="utf-8")
    text = text.replace("name: Rygestop på hold", "name: Rygestop i grupper")
    # Drop the last offer (the draft) from the file.
    text = text[: text.index("  - id: aaaaaaaa-0000-4000-8000-000000000004")]
    offers_file.write_text(text, encoding="utf-8")
    with session_scope(engine) as session:
        second = load_catalogue(session=session, directory=directory, vocabulary=vocabulary)
    assert (second.inserted, second.updated, second.unchanged, second.retired) == (0, 1, 2, 1)

    with Session(engine) as session:
        states = {o.name: o.state for o in session.exec(select(Offer)).all()}
    assert states["Rygestop i grupper"] == OfferState.PUBLISHED
    assert states["Kladde til nyt tilbud"] == OfferState.RETIRED
    assert states["Fælleshaven om vinteren"] == OfferState.TEMPORARILY_CLOSED


def test_load_catalogue_leaves_imported_offers_alone(
    engine: Engine, vocabulary: Vocabulary, run_cli: Callable[..., Result], corpus_path: Path
) -> None:
    assert run_cli("import-hsds", corpus_path).exit_code == 0
    with session_scope(engine) as session:
        result = load_catalogue(session=session, directory=FIXTURE_CATALOGUE, vocabulary=vocabulary)
    assert result.retired == 0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("tema: [sundhed]\n    maalgruppe: [voksne]\n    kanal: [fysisk, telefon]",
         "tema: [sundhedd]\n    maalgruppe: [voksne]\n    kanal: [fysisk, telefon]",
         "offer 2 ('Rygestop på hold', id aaaaaaaa-0000-4000-8000-000000000002): "
         "field 'tema': unknown code 'sundhedd'"),
        ("organization: testkommune\n    description: >-\n      Du får",
         "organization: nogen\n    description: >-\n      Du får",
         "field 'organization': unknown key 'nogen'"),
        ("min_age: 18", "min_age: atten", "field 'min_age'"),
        ("min_age: 18", "minimum: 18", "field 'minimum'"),
        ('opens: "16:00"', 'opens: "25:00"', "field 'schedules.0.opens'"),
        ("id: aaaaaaaa-0000-4000-8000-000000000002", "id: aaaaaaaa-0000-4000-8000-000000000001",
         "field 'id': the id is also used by"),
        ("    fees: Gratis.\n    cost: 0", "    fees: Gratis.\n   cost: [", "not valid YAML"),
    ],
)  # fmt: skip
def test_read_catalogue_names_file_offer_and_field(
    vocabulary: Vocabulary, tmp_path: Path, old: str, new: str, message: str
) -> None:
    directory = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, directory)
    offers_file = directory / "offers" / "fixture.yaml"
    text = offers_file.read_text(encoding="utf-8")
    assert old in text
    offers_file.write_text(text.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(CatalogueError) as caught:
        read_catalogue(directory, vocabulary)
    assert str(caught.value).startswith("offers/fixture.yaml: ")
    assert message in str(caught.value)
