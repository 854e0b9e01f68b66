"""Search fixtures: the suite's small catalogue plus a test's own offers, indexed."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.catalogue.taxonomy import Vocabulary
from app.config import Settings
from app.db import session_scope
from app.exchange.yaml_catalogue import load_catalogue
from app.search import SearchService
from tests.conftest import FIXTURE_CATALOGUE


@pytest.fixture
def search_with(
    settings: Settings, engine: Engine, vocabulary: Vocabulary, tmp_path: Path
) -> Iterator[Callable[[str], SearchService]]:
    """Load the fixture catalogue with extra offers (YAML with an `offers:` list); search it."""
    services: list[SearchService] = []

    def make(extra: str) -> SearchService:
        directory = tmp_path / "catalogue"
        shutil.copytree(FIXTURE_CATALOGUE, directory)
        (directory / "offers" / "extra.yaml").write_text(extra, encoding="utf-8")
        with session_scope(engine) as session:
            load_catalogue(session=session, directory=directory, vocabulary=vocabulary)
        services.append(SearchService(settings, engine))
        # As a server does at start (in the background there).
        services[-1].ensure()
        return services[-1]

    yield make
    for service in services:
        service.close()
