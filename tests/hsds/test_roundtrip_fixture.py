"""HSDS 3.0 out and in again on the suite's own catalogue: never skipped, whatever the machine.

The shared-corpus version (test_roundtrip.py) needs ../shared/eval; these need nothing but
tests/data/catalogue.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import Result

from app.bootstrap import prepare_database
from app.catalogue.taxonomy import Vocabulary
from app.config import Settings
from app.db import session_scope
from app.hsds.export import iter_public_services
from app.hsds.importer import IncomingService, upsert_services
from app.hsds.schema import first_error
from tests.conftest import FIXTURE_CATALOGUE, empty_database

# The fixture's public offers: the walk, the stop-smoking course and the closed garden (the
# draft is not exported).
PUBLIC = {
    "aaaaaaaa-0000-4000-8000-000000000001",
    "aaaaaaaa-0000-4000-8000-000000000002",
    "aaaaaaaa-0000-4000-8000-000000000003",
}


def _content(value: Any) -> Any:
    """What the services say, without when each installation last wrote them."""
    if isinstance(value, dict):
        return {k: _content(v) for k, v in value.items() if k != "last_modified"}
    if isinstance(value, list):
        return [_content(v) for v in value]
    return value


def _export(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as session:
        return list(iter_public_services(session=session))


@pytest.mark.usefixtures("fixture_catalogue")
def test_export_wipe_import_exports_the_same(
    engine: Engine, settings: Settings, vocabulary: Vocabulary
) -> None:
    first = _export(engine)
    assert {service["id"] for service in first} == PUBLIC
    for service in first:
        assert first_error("service", service) is None, service["name"]

    # A fresh installation on the same database: emptied, migrated, vocabulary synced.
    engine.dispose()
    empty_database(settings.database_url)
    fresh, _ = prepare_database(settings)
    try:
        assert _export(fresh) == []
        # Through JSON, as a file or the API would carry it.
        carried = json.loads(json.dumps(first, ensure_ascii=False))
        items = [IncomingService(data=s, label=f"service {s['id']}") for s in carried]
        with session_scope(fresh) as session:
            result = upsert_services(session=session, items=items, vocabulary=vocabulary)
        assert result.inserted == len(first) and result.updated == result.unchanged == 0
        second = _export(fresh)
    finally:
        fresh.dispose()

    assert _content(second) == _content(first)
    assert all(service["last_modified"] for service in second)


def _export_file(run_cli: Callable[..., Result], path: Path, **env: str) -> list[dict[str, Any]]:
    result = run_cli("export-hsds", path, **env)
    assert result.exit_code == 0, result.output
    services: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return services


def test_an_export_file_imported_elsewhere_exports_the_same(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    # Through the commands, into a second installation with its own SQLite database (on the
    # PostgreSQL run, from one database engine to the other).
    assert run_cli("load-catalogue", FIXTURE_CATALOGUE).exit_code == 0
    first = _export_file(run_cli, tmp_path / "first.json")
    assert {service["id"] for service in first} == PUBLIC

    other = tmp_path / "other"
    env = {
        "DATA_DIR": str(other),
        "INDEX_DIR": str(other / "index"),
        "DATABASE_URL": f"sqlite:///{other / 'opslagstavle.sqlite3'}",
    }
    assert run_cli("init", **env).exit_code == 0
    imported = run_cli("import-hsds", tmp_path / "first.json", **env)
    assert imported.exit_code == 0, imported.output
    assert f"{len(first)} new" in imported.output
    second = _export_file(run_cli, tmp_path / "second.json", **env)
    assert _content(second) == _content(first)
