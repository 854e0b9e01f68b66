"""Database engine, sessions and migrations."""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, create_engine

from app.config import PROJECT_DIR, Settings

MIGRATIONS_DIR = PROJECT_DIR / "migrations"


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names; None for other databases and in-memory SQLite."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


def database_exists(url: str) -> bool:
    """Whether the database is there to read: an SQLite file on disk; a server database is
    assumed to exist (connecting says otherwise)."""
    path = sqlite_file(url)
    return path is None or path.exists()


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, WAL and a generous busy timeout."""
    if url.startswith("sqlite"):
        if (path := sqlite_file(url)) is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrate(settings: Settings) -> None:
    """Create or upgrade the database schema to the newest migration."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    command.upgrade(config, "head")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it fails."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def upsert(
    dialect: str,
    table: Table,
    values: Mapping[str, Any],
    *,
    keys: Sequence[str],
    set_: Mapping[str, Any],
) -> postgresql.Insert | sqlite.Insert:
    """INSERT … ON CONFLICT (keys) DO UPDATE, in the SQL of PostgreSQL or SQLite: one statement,
    so workers counting at once never lose a count."""
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return insert.values(**values).on_conflict_do_update(index_elements=list(keys), set_=dict(set_))
