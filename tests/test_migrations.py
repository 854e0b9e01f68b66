"""The migrations build exactly the tables app/models.py describes, on every database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table)


def test_migrated_database_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_rate_limit_table_is_keyed_by_window_then_client(engine: Engine) -> None:
    # The window's end leads the primary key, so deleting ended windows needs no extra index.
    key = inspect(engine).get_pk_constraint("ratelimit")
    assert key["constrained_columns"] == ["expires_at", "key"]
