"""HSDS 3.0 out and in again on the suite's own catalogue: never skipped, whatever the machine."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result

from app.hsds.schema import first_error
from tests.conftest import FIXTURE_CATALOGUE


def _export(run_cli: Callable[..., Result], path: Path, **env: str) -> list[dict[str, Any]]:
    result = run_cli("export-hsds", path, **env)
    assert result.exit_code == 0, result.output
    services: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return services


def _content(value: Any) -> Any:
    """What the services say, without when each installation last wrote them."""
    if isinstance(value, dict):
        return {k: _content(v) for k, v in value.items() if k != "last_modified"}
    if isinstance(value, list):
        return [_content(v) for v in value]
    return value


def test_an_export_imported_elsewhere_exports_the_same(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    assert run_cli("load-catalogue", FIXTURE_CATALOGUE).exit_code == 0
    first = _export(run_cli, tmp_path / "first.json")
    assert len(first) >= 3
    for service in first:
        assert first_error("service", service) is None, service["name"]

    # A second installation, with its own database and index.
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
    second = _export(run_cli, tmp_path / "second.json", **env)
    assert _content(second) == _content(first)
    assert all(service["last_modified"] for service in second)
