"""Search statistics: counts per day and text, nothing personal, rare texts folded."""

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.db import session_scope
from app.models import SearchStat
from app.statistics.search_counts import compact, normalise, record_search

DAY = date(2026, 11, 23)


def rows(engine: Engine) -> dict[tuple[date, str], tuple[int, int, int]]:
    with Session(engine) as session:
        found = session.exec(select(SearchStat)).all()
        return {(r.day, r.text): (r.searches, r.zero_hits, r.results) for r in found}


def test_normalise_drops_digits_so_no_cpr_or_phone_survives() -> None:
    assert normalise("Min CPR er 010203-4455, ring 70 00 12 34") == "min cpr er ring"
    assert normalise("  Gæld   til SKAT! ") == "gæld til skat"
    assert normalise("1234") == ""


def test_searches_are_counted_per_day_and_text(engine: Engine) -> None:
    for results in (3, 0, 5):
        record_search(engine, text="Gæld til skat", results=results, today=DAY)
    record_search(engine, text="12345678", results=0, today=DAY)  # nothing left to keep
    assert rows(engine) == {(DAY, "gæld til skat"): (3, 1, 8)}


def test_rare_texts_keep_only_a_count_once_the_day_is_over(engine: Engine) -> None:
    for _ in range(3):
        record_search(engine, text="ensom", results=4, today=DAY)
    record_search(engine, text="sjælden søgning", results=0, today=DAY)
    record_search(engine, text="en anden", results=2, today=DAY)
    with session_scope(engine) as session:
        compact(session, today=DAY)  # the day is not over yet: nothing changes
    assert (DAY, "sjælden søgning") in rows(engine)

    with session_scope(engine) as session:
        compact(session, today=DAY + timedelta(days=1))
    assert rows(engine) == {(DAY, "ensom"): (3, 0, 12), (DAY, ""): (2, 1, 2)}


def test_rows_older_than_13_months_are_deleted(engine: Engine) -> None:
    old = DAY - timedelta(days=400)
    for _ in range(3):
        record_search(engine, text="gammel", results=1, today=old)
        record_search(engine, text="ny", results=1, today=DAY)
    with session_scope(engine) as session:
        compact(session, today=DAY)
    assert set(rows(engine)) == {(DAY, "ny")}


@pytest.mark.usefixtures("fixture_catalogue")
def test_only_a_persons_first_page_on_the_portal_is_counted(
    client: TestClient, engine: Engine
) -> None:
    """The statistics describe what citizens look for: API clients and further pages of the
    same search are not counted."""
    assert client.get("/hsds/services", params={"search": "kaffe"}).status_code == 200
    assert rows(engine) == {}
    assert client.get("/soeg", params={"q": "kaffe"}).status_code == 200
    assert client.get("/soeg", params={"q": "kaffe", "side": "2"}).status_code == 200
    (counted,) = rows(engine).items()
    assert counted[0][1] == "kaffe"
    assert counted[1][0] == 1


@pytest.mark.usefixtures("fixture_catalogue")
def test_names_streets_and_email_addresses_are_never_stored(
    client: TestClient, engine: Engine
) -> None:
    text = "Mit navn er Hans Jensen hans.jensen@example.dk bor Lindevej 8 og vil stoppe med at ryge"
    assert client.get("/soeg", params={"q": text}).status_code == 200
    (stored,) = [key[1] for key in rows(engine)]
    for personal in ("hans", "jensen", "example", "lindevej", "8"):
        assert personal not in stored
    # The words the catalogue knows stay, so the overview still says what was asked for.
    assert "stoppe" in stored and "ryge" in stored
    assert "…" in stored
