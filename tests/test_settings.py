"""Settings: every one is documented, and the secret key is generated once, never a constant."""

import re
from collections.abc import Callable
from pathlib import Path

from app.config import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(OPSLAGSTAVLE_[A-Z_]+)`", readme, flags=re.MULTILINE))
    settings = {f"OPSLAGSTAVLE_{name}" for name in Settings.model_fields}
    assert settings - documented == set(), "settings missing from README.md"
    assert documented - settings == set(), "README.md documents settings that do not exist"


def test_database_and_index_default_to_the_data_dir(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings(DATABASE_URL=None, INDEX_DIR=None, DATA_DIR=tmp_path / "d")
    assert settings.database_url == f"sqlite:///{tmp_path / 'd' / 'opslagstavle.sqlite3'}"
    assert settings.index_dir == tmp_path / "d" / "index"


def test_secret_key_is_generated_once_and_kept(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    first = make_settings(DATA_DIR=tmp_path / "d").secret_key()
    second = make_settings(DATA_DIR=tmp_path / "d").secret_key()
    other = make_settings(DATA_DIR=tmp_path / "e").secret_key()
    assert first == second
    assert first != other
    assert len(first) >= 40
    assert (tmp_path / "d" / "secret_key").stat().st_mode & 0o077 == 0


def test_explicit_secret_key_wins(make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    settings = make_settings(DATA_DIR=tmp_path / "d", SECRET_KEY="set-by-the-operator")
    assert settings.secret_key() == "set-by-the-operator"
    assert not (tmp_path / "d" / "secret_key").exists()


def test_settings_come_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OPSLAGSTAVLE_SITE_NAME", "Hjælpekortet")
    monkeypatch.setenv("OPSLAGSTAVLE_DEMO", "1")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.SITE_NAME == "Hjælpekortet"
    assert settings.DEMO is True
