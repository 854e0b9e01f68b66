"""Aggregated search statistics for the municipality's overview of needs.

Per day: the normalised query text (lower-cased, digits removed so no CPR or phone number
survives), how often it was searched, how often it found nothing, and how many results it
gave. No address, cookie or person. Once a day is over, texts searched fewer than three times
that day keep only their counts (in the day's "" row); rows older than 13 months are deleted.
"""

import re
from datetime import date, timedelta

from sqlalchemy import Engine, Table, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from app.models import SearchStat

KEEP_DAYS = 396  # 13 months
MIN_SEARCHES = 3
_NOT_TEXT = re.compile(r"[\d\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case words without digits or punctuation, at most 200 characters.

    >>> normalise("Gæld til SKAT 0102-03 4455!")
    'gæld til skat'
    """
    return " ".join(_NOT_TEXT.sub(" ", text.lower()).split())[:200]


def record_search(engine: Engine, *, text: str, results: int, today: date) -> None:
    """Count one search."""
    normalised = normalise(text)
    if not normalised:
        return
    values = {
        "day": today,
        "text": normalised,
        "searches": 1,
        "zero_hits": int(results == 0),
        "results": results,
    }
    table = _table()
    dialect = engine.dialect.name
    insert = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    statement = insert.values(**values).on_conflict_do_update(
        index_elements=["day", "text"],
        set_={
            "searches": table.c.searches + 1,
            "zero_hits": table.c.zero_hits + values["zero_hits"],
            "results": table.c.results + results,
        },
    )
    with engine.begin() as connection:
        connection.execute(statement)


def compact(session: Session, *, today: date) -> None:
    """Fold rare texts of finished days into their day's "" row; forget what is too old."""
    t = _table()
    session.execute(delete(t).where(t.c.day < today - timedelta(days=KEEP_DAYS)))
    rare = (
        select(t.c.day, func.sum(t.c.searches), func.sum(t.c.zero_hits), func.sum(t.c.results))
        .where(t.c.day < today, t.c.text != "", t.c.searches < MIN_SEARCHES)
        .group_by(t.c.day)
    )
    for day, searches, zero_hits, results in session.execute(rare).all():
        bucket = session.execute(
            select(t.c.id).where(t.c.day == day, t.c.text == "")
        ).scalar_one_or_none()
        if bucket is None:
            values = {"day": day, "text": "", "searches": searches, "zero_hits": zero_hits}
            session.execute(t.insert().values(**values, results=results))
        else:
            session.execute(
                update(t)
                .where(t.c.id == bucket)
                .values(
                    searches=t.c.searches + searches,
                    zero_hits=t.c.zero_hits + zero_hits,
                    results=t.c.results + results,
                )
            )
        session.execute(
            delete(t).where(t.c.day == day, t.c.text != "", t.c.searches < MIN_SEARCHES)
        )


def _table() -> Table:
    table: Table = SearchStat.__table__  # type: ignore[attr-defined]
    return table
