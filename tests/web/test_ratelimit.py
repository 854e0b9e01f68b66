"""Rate limits counted in the database: shared by workers, keyed without the address, forgotten
when the window ends. Time is a fake clock, so no test waits."""

import threading
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.models import RateLimit
from app.web.ratelimit import MAX_WINDOW, PURGE_EVERY, RateLimitStore, network_of, rate_limit
from app.web.security import CONTENT_SECURITY_POLICY

T0 = 1_800_000_000  # a multiple of 600: a window starts here
ADDRESS = "203.0.113.7"


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _store(engine: Engine, clock: FakeClock) -> RateLimitStore:
    return RateLimitStore(engine, lambda: "test secret key", clock=clock)


def _rows(engine: Engine) -> list[RateLimit]:
    with Session(engine) as session:
        return list(session.exec(select(RateLimit)).all())


def test_hits_count_up_within_a_window(engine: Engine) -> None:
    store = _store(engine, FakeClock(T0 + 5))
    counts = [store.hit("feedback", ADDRESS, per=600).count for _ in range(4)]
    assert counts == [1, 2, 3, 4]
    assert store.hit("feedback", ADDRESS, per=600).expires_at == T0 + 600
    # Other scopes and other clients count on their own.
    assert store.hit("signup", ADDRESS, per=600).count == 1
    assert store.hit("feedback", "198.51.100.1", per=600).count == 1


def test_a_new_window_starts_from_zero(engine: Engine) -> None:
    clock = FakeClock(T0 + 599)
    store = _store(engine, clock)
    assert [store.hit("feedback", ADDRESS, per=600).count for _ in range(3)] == [1, 2, 3]
    clock.now = T0 + 600
    assert store.hit("feedback", ADDRESS, per=600).count == 1


def test_no_address_is_stored(engine: Engine) -> None:
    store = _store(engine, FakeClock())
    store.hit("feedback", ADDRESS, per=600)
    store.hit("feedback", "2001:db8:1:2:3:4:5:6", per=600)
    rows = _rows(engine)
    assert len(rows) == 2
    for row in rows:
        assert len(row.key) == 64 and int(row.key, 16) >= 0  # a hex HMAC-SHA256
        stored = f"{row.key} {row.expires_at} {row.hits}"
        assert ADDRESS not in stored and "2001" not in stored and "feedback" not in stored
    # The key depends on the site's secret: without it, nobody can test guesses against it.
    other = RateLimitStore(engine, lambda: "another key")
    assert other.client_key("feedback", ADDRESS) != store.client_key("feedback", ADDRESS)


def test_ipv6_counts_per_household_network(engine: Engine) -> None:
    store = _store(engine, FakeClock())
    assert store.hit("feedback", "2001:db8:1:2::1", per=600).count == 1
    assert store.hit("feedback", "2001:db8:1:2:aaaa::9", per=600).count == 2
    assert store.hit("feedback", "2001:db8:1:3::1", per=600).count == 1
    assert network_of("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert network_of(ADDRESS) == ADDRESS


def test_rows_are_forgotten_when_their_window_ends(engine: Engine) -> None:
    clock = FakeClock(T0 + 10)
    store = _store(engine, clock)
    store.hit("feedback", ADDRESS, per=60)
    store.hit("signup", ADDRESS, per=600)
    clock.now = T0 + 60
    assert store.purge() == 1  # the 60-second window is over; the 600-second one is not
    assert [row.expires_at for row in _rows(engine)] == [T0 + 600]
    clock.now = T0 + 600
    store.purge()
    assert _rows(engine) == []


def test_counting_also_purges_once_a_minute(engine: Engine) -> None:
    clock = FakeClock(T0)
    store = _store(engine, clock)
    store.hit("feedback", ADDRESS, per=60)
    clock.now = T0 + PURGE_EVERY
    store.hit("feedback", "198.51.100.1", per=60)
    # The first client's row is gone without anyone running a purge by hand.
    assert [row.hits for row in _rows(engine)] == [1]


def test_windows_longer_than_the_hour_are_refused() -> None:
    with pytest.raises(ValueError):
        rate_limit("feedback", limit=5, per=3600)
    with pytest.raises(ValueError):
        rate_limit("feedback", limit=0, per=60)


def test_concurrent_workers_never_lose_a_count(settings: Settings, engine: Engine) -> None:
    """Two engines (two worker processes' pools) hammer one counter from several threads."""
    engines = [engine, make_engine(settings.database_url)]
    stores = [_store(e, FakeClock(T0 + 1)) for e in engines]
    counts: list[int] = []
    lock = threading.Lock()

    def work(store: RateLimitStore) -> None:
        for _ in range(15):
            count = store.hit("feedback", ADDRESS, per=600).count
            with lock:
                counts.append(count)

    threads = [threading.Thread(target=work, args=(stores[i % 2],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engines[1].dispose()
    # Every increment was seen exactly once: the counts are 1..60 with no gap or repeat.
    assert sorted(counts) == list(range(1, 61))


# Two app instances over one database stand in for two uvicorn workers.


def _limited_app(settings: Settings, clock: FakeClock) -> FastAPI:
    app = create_app(settings)
    app.state.rate_limits.clock = clock
    router = APIRouter()

    @router.post("/test-send", dependencies=[Depends(rate_limit("send", limit=3, per=600))])
    def send() -> PlainTextResponse:
        return PlainTextResponse("sent")

    app.include_router(router)
    return app


Workers = tuple[TestClient, TestClient, FakeClock]


@pytest.fixture
def workers(settings: Settings, engine: Engine) -> Iterator[Workers]:  # noqa: ARG001
    clock = FakeClock(T0 + 100)
    address = (ADDRESS, 50000)
    with (
        TestClient(_limited_app(settings, clock), client=address) as one,
        TestClient(_limited_app(settings, clock), client=address) as two,
    ):
        yield one, two, clock


def test_workers_share_the_count(workers: Workers) -> None:
    one, two, _clock = workers
    assert one.post("/test-send").status_code == 200
    assert two.post("/test-send").status_code == 200
    assert one.post("/test-send").status_code == 200
    refused = two.post("/test-send")
    assert refused.status_code == 429
    assert one.post("/test-send").status_code == 429


def test_429_says_when_to_try_again_in_the_users_language(
    workers: Workers,
) -> None:
    one, two, clock = workers
    for _ in range(3):
        one.post("/test-send")
    refused = two.post("/test-send")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "500"  # the window ends at T0 + 600
    assert refused.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    soup = BeautifulSoup(refused.text, "html.parser")
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "For mange forsøg"
    assert "Vent 9 min., og prøv igen." in soup.get_text()
    two.cookies.set("lang", "en")
    english = BeautifulSoup(two.post("/test-send").text, "html.parser")
    assert english.h1 is not None and english.h1.get_text(strip=True) == "Too many attempts"
    assert "Please wait 9 min. and try again." in english.get_text()
    # Once the window is over, the client may send again.
    clock.now = T0 + 600
    assert one.post("/test-send").status_code == 200


def test_other_clients_are_not_held_back(settings: Settings, workers: Workers) -> None:
    one, _two, clock = workers
    for _ in range(4):
        one.post("/test-send")
    with TestClient(_limited_app(settings, clock), client=("198.51.100.1", 50000)) as other:
        assert other.post("/test-send").status_code == 200


def test_the_table_never_holds_the_address(engine: Engine, workers: Workers) -> None:
    one, _two, _clock = workers
    one.post("/test-send")
    rows = _rows(engine)
    assert len(rows) == 1
    assert ADDRESS not in f"{rows[0].key} {rows[0].expires_at} {rows[0].hits}"


def test_an_address_is_forgotten_within_the_hour() -> None:
    # The longest window plus the time until the next purge stays within the hour.
    assert MAX_WINDOW + PURGE_EVERY <= 3600
