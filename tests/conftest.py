"""Shared fixtures: settings over a temp data dir, a migrated database, the app and a client.

Database tests run on SQLite in a temp dir; when OPSLAGSTAVLE_TEST_DATABASE_URL is set they run
against that server instead, on a database emptied before each test.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, MetaData, text
from sqlmodel import Session
from typer.testing import CliRunner, Result

from app.accounts.store import create_account
from app.bootstrap import prepare_database
from app.catalogue.changelog import install_change_log
from app.catalogue.taxonomy import Vocabulary, load_vocabulary
from app.cli import cli
from app.config import Settings, get_settings
from app.db import make_engine, session_scope
from app.exchange.yaml_catalogue import load_catalogue
from app.main import create_app
from app.models import Role
from tests.staff.support import PASSWORD

TESTS_DIR = Path(__file__).resolve().parent
FIXTURE_CATALOGUE = TESTS_DIR / "data" / "catalogue"
# More offers for the search tests, in the catalogue's YAML, loaded beside the fixture catalogue.
SEARCH_OFFERS = TESTS_DIR / "data" / "search_offers.yaml"
SHARED_EVAL = TESTS_DIR.parent.parent / "shared" / "eval"
SHARED_HSDS = TESTS_DIR.parent.parent / "shared" / "hsds"
TEST_DATABASE_URL = os.environ.get("OPSLAGSTAVLE_TEST_DATABASE_URL")


# The tests are a composition root of their own: every session they open logs its changes.
install_change_log()


def empty_database(url: str) -> None:
    """Drop every table, migrations included: the database as a new installation finds it."""
    engine = make_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


# Every database test runs on SQLite, and on the server OPSLAGSTAVLE_TEST_DATABASE_URL names.
DATABASES = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: an SQLite file in the temp dir, or the emptied test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'opslagstavle.sqlite3'}"
    assert TEST_DATABASE_URL is not None
    empty_database(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


@pytest.fixture
def make_settings(tmp_path: Path, database_url: str) -> Callable[..., Settings]:
    """Settings over a temp data dir; keyword arguments override single settings."""

    def factory(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "DATA_DIR": tmp_path / "data",
            "INDEX_DIR": tmp_path / "index",
            "DATABASE_URL": database_url,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return factory


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """A freshly migrated, empty database."""
    engine, _ = prepare_database(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def vocabulary(settings: Settings) -> Vocabulary:
    return load_vocabulary(settings.taxonomy_path)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def fixture_catalogue(engine: Engine, vocabulary: Vocabulary) -> None:
    """The suite's own small catalogue, loaded."""
    with session_scope(engine) as session:
        load_catalogue(session=session, directory=FIXTURE_CATALOGUE, vocabulary=vocabulary)


@pytest.fixture
def demo_catalogue_dir(settings: Settings, tmp_path: Path) -> Path:
    """A catalogue folder laid out as the product ships it: the product's taxonomy, search
    vocabulary and thesaurus, with the fixture's organisations, offers and site identity where
    the demo's would be. Point CATALOGUE_DIR at it to test the demo mode without the demo."""
    folder = tmp_path / "demo-catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, folder)
    for path in (settings.taxonomy_path, settings.concepts_path, settings.thesaurus_path):
        (folder / path.name).symlink_to(path)
    return folder


@pytest.fixture
def app(settings: Settings, engine: Engine) -> FastAPI:  # noqa: ARG001  (engine migrates)
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        # The app checks its index in the background at start; tests begin once it is done.
        app.state.search.wait()
        yield client


@pytest.fixture
def run_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the `opslagstavle` command with the test settings in its environment."""
    monkeypatch.setenv("OPSLAGSTAVLE_DATA_DIR", str(settings.DATA_DIR))
    monkeypatch.setenv("OPSLAGSTAVLE_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("OPSLAGSTAVLE_DATABASE_URL", settings.database_url)

    def invoke(*args: str, stdin: str | None = None, **env: str) -> Result:
        for name, value in env.items():
            monkeypatch.setenv(f"OPSLAGSTAVLE_{name}", value)
        get_settings.cache_clear()
        return CliRunner().invoke(cli, [str(a) for a in args], input=stdin)

    yield invoke
    get_settings.cache_clear()


@pytest.fixture
def corpus_path() -> Path:
    """The shared HSDS test corpus; tests that need it are skipped only when it is absent."""
    path = SHARED_EVAL / "corpus.hsds.json"
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/eval only exists beside a project checkout)")
    return path


@pytest.fixture
def make_account(engine: Engine) -> Callable[..., str]:
    """Create an account through the real store (password tests.staff.support.PASSWORD)."""

    def make(email: str = "sagsbehandler@kommune.dk", role: Role = Role.STAFF) -> str:
        with session_scope(engine) as session:
            account = create_account(session, email=email, password=PASSWORD, role=role)
            account_id = account.id
        return account_id

    return make
