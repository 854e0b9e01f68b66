"""Typo tolerance is conservative: known words stay as typed, only long unknown words bend."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.config import Settings
from app.db import session_scope
from app.search import SearchRequest, SearchService
from app.services.catalogue import load_catalogue
from app.services.taxonomy import Vocabulary
from tests.conftest import FIXTURE_CATALOGUE

MENTAL = "bbbbbbbb-0000-4000-8000-000000000001"
RENTAL = "bbbbbbbb-0000-4000-8000-000000000002"
EXTRA = f"""
offers:
  - id: {MENTAL}
    name: Mental sundhed i hverdagen
    organization: testkommune
    description: Et kursus om at have det godt.
    tema: [psykisk-trivsel]
    maalgruppe: [voksne]
  - id: {RENTAL}
    name: Rental af cykler
    organization: testforening
    description: Lej en cykel for en dag.
    tema: [kultur-fritid]
    maalgruppe: [alle]
"""


@pytest.fixture
def search(
    settings: Settings, engine: Engine, vocabulary: Vocabulary, tmp_path: Path
) -> Iterator[SearchService]:
    directory = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, directory)
    (directory / "offers" / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    with session_scope(engine) as session:
        load_catalogue(session=session, directory=directory, vocabulary=vocabulary)
    service = SearchService(settings, engine)
    yield service
    service.close()


def ids(service: SearchService, text: str) -> list[str]:
    return [hit.offer_id for hit in service.search(SearchRequest(text=text)).hits]


def test_known_word_never_drifts(search: SearchService) -> None:
    assert ids(search, "mental") == [MENTAL]
    assert ids(search, "rental") == [RENTAL]


def test_long_unknown_word_finds_the_word_meant(search: SearchService) -> None:
    assert ids(search, "mentual") == [MENTAL]


def test_short_unknown_word_is_not_bent_but_suggested(search: SearchService) -> None:
    result = search.search(SearchRequest(text="mentl"))
    assert result.total == 0
    assert result.suggestion == "mental"
