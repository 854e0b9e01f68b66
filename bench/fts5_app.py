"""A baseline HSDS search server for search_speed.py: SQLite FTS5 bm25 over our own database.

    BENCH_DB=/tmp/x/opslagstavle.sqlite3 \\
        .venv/bin/python -m uvicorn bench.fts5_app:create_app --factory --port 8001

(from the project root). At start it adds, if absent, an FTS5 table over the name, description,
application process and organization name of every published or temporarily closed offer of
the database an `opslagstavle import-hsds` created. `GET /hsds/services?search=&taxonomy_term_id=
&per_page=` answers with the same HSDS envelope and service_list items as our API: the query
words OR-ed (each one quoted), ranked by bm25, every listed term required (on the offer or on
its organization). The table is a snapshot: later changes to the database do not reach it.
"""

import os
import re
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from app.db import make_engine
from app.hsds.api import Paging, envelope, parse_term_ids, service_list_item
from app.models import Offer

TABLE = "bench_fts"
_CREATE = f"""
CREATE VIRTUAL TABLE {TABLE} USING fts5(
    offer_id UNINDEXED, organization_id UNINDEXED,
    name, description, application_process, organization,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""
_FILL = f"""
INSERT INTO {TABLE}
SELECT o.id, o.organization_id, o.name, o.description, coalesce(o.application_process, ''),
       g.name
FROM offer AS o JOIN organization AS g ON g.id = o.organization_id
WHERE o.state IN ('published', 'temporarily_closed')
"""


def words(query: str) -> list[str]:
    """Query words: lowercased, at least two characters, no duplicates (as in relevance.py)."""
    return list(dict.fromkeys(w for w in re.findall(r"\w+", query.lower()) if len(w) >= 2))


def ensure_fts(engine: Engine) -> float | None:
    """Create and fill the FTS5 table unless it exists; the seconds it took, or None."""
    with engine.begin() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": TABLE},
        ).first()
        if exists:
            return None
        start = time.perf_counter()
        connection.execute(text(_CREATE))
        connection.execute(text(_FILL))
    return time.perf_counter() - start


def ranked_ids(
    session: Session, query: str, term_ids: tuple[str, ...], limit: int
) -> tuple[list[str], int]:
    """The ids of the best `limit` matches in bm25 order, and the number of all matches."""
    match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words(query))
    if not match:
        return [], 0
    where = [f"{TABLE} MATCH :match"]
    params: dict[str, Any] = {"match": match, "limit": limit}
    for number, term_id in enumerate(term_ids):
        params[f"t{number}"] = term_id
        where.append(
            f"(offer_id IN (SELECT offer_id FROM offerterm WHERE term_id = :t{number})"
            f" OR organization_id IN"
            f" (SELECT organization_id FROM organizationterm WHERE term_id = :t{number}))"
        )
    condition = " AND ".join(where)
    top = session.execute(
        text(f"SELECT offer_id FROM {TABLE} WHERE {condition} ORDER BY bm25({TABLE}) LIMIT :limit"),
        params,
    )
    ids = [row[0] for row in top]
    total = session.execute(
        text(f"SELECT count(*) FROM {TABLE} WHERE {condition}"), params
    ).scalar_one()
    return ids, total


def create_app() -> FastAPI:
    """The baseline app over the SQLite file named by BENCH_DB."""
    engine = make_engine(f"sqlite:///{Path(os.environ['BENCH_DB']).resolve()}")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        took = ensure_fts(engine)
        if took is not None:
            print(f"fts5 index built in {took:.3f} s", file=sys.stderr, flush=True)  # noqa: T201
        yield
        engine.dispose()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/hsds/services")
    def services(
        search: str = "",
        taxonomy_term_id: str | None = None,
        per_page: Annotated[int, Query(ge=1, le=200)] = 10,
    ) -> dict[str, Any]:
        with Session(engine) as session:
            ids, total = ranked_ids(session, search, parse_term_ids(taxonomy_term_id), per_page)
            found = {
                offer.id: offer
                for offer in session.exec(select(Offer).where(col(Offer.id).in_(ids)))
                .unique()
                .all()
            }
            contents = [service_list_item(found[i]) for i in ids if i in found]
        return envelope(contents, total=total, paging=Paging(1, per_page))

    return app
