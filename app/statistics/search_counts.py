"""Aggregated search statistics for the municipality's overview of needs.

Per day: the anonymised query text (only words the catalogue or the search vocabulary knows;
the search service puts one "…" for every run of other words, such as names, streets and
e-mail addresses; lower-cased, digits removed so no CPR or phone number survives), how often
it was searched, how often it found nothing, and how many results it
gave. No address, cookie or person. Once a day is over, texts searched fewer than three times
that day keep only their counts (in the day's "" row); rows older than 13 months are deleted.
"""

import logging
import re
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, Table, delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.config import TIMEZONE
from app.db import session_scope, upsert
from app.models import SearchStat
from app.search import PLACEHOLDER

logger = logging.getLogger("opslagstavle.statistics")

KEEP_DAYS = 396  # 13 months
MIN_SEARCHES = 3
_NOT_TEXT = re.compile(r"[\d\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case words without digits or punctuation (the placeholder stays), at most 200
    characters.

    >>> normalise("Gæld til SKAT 0102-03 4455!"), normalise("hjælp … gæld")
    ('gæld til skat', 'hjælp … gæld')
    """
    words = []
    for part in text.lower().split():
        words.extend([part] if part == PLACEHOLDER else _NOT_TEXT.sub(" ", part).split())
    return " ".join(words)[:200]


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
    statement = upsert(
        engine.dialect.name,
        table,
        values,
        keys=["day", "text"],
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


class SearchCounter:
    """The search service's recorder: counts each search a person makes on the portal."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._compacted_on: date | None = None

    def __call__(self, text: str, results: int) -> None:
        # Counting is a side matter: a busy or failing database must not cost the person
        # their results.
        today = datetime.now(TIMEZONE).date()
        try:
            if self._compacted_on != today:
                with session_scope(self.engine) as session:
                    compact(session, today=today)
                self._compacted_on = today
            record_search(self.engine, text=text, results=results, today=today)
        except SQLAlchemyError:
            logger.warning("search statistics not recorded", exc_info=True)


def _table() -> Table:
    table: Table = SearchStat.__table__  # type: ignore[attr-defined]
    return table
