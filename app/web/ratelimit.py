"""Rate limits for public write endpoints, counted in the database so every worker shares them.

Fixed windows: a limit of 5 per 600 seconds counts requests from 10:00:00 to 10:09:59, then
starts again at 10:10:00. The count is kept under an HMAC of the limit's scope and the client's
address (IPv6 by its /64 network, what one household gets), so the table never holds an address,
and a row is deleted once its window has ended: windows are at most 59 minutes and the purge
runs every minute, so an address is forgotten within the hour.

Use: `@router.post("/...", dependencies=[Depends(rate_limit("feedback", limit=5, per=600))])`.
"""

import asyncio
import contextlib
import hashlib
import hmac
import ipaddress
import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import cached_property

import anyio.to_thread
from sqlalchemy import Engine, Table, delete
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.db import upsert
from app.models import RateLimit

MAX_WINDOW = 59 * 60
PURGE_EVERY = 60

logger = logging.getLogger("opslagstavle.ratelimit")


class RateLimited(HTTPException):
    """Too many requests; the error page asks the user to wait `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(
            status_code=429,
            detail="Too many requests",
            headers={"Retry-After": str(self.retry_after)},
        )

    @property
    def minutes(self) -> int:
        return math.ceil(self.retry_after / 60)


@dataclass(frozen=True)
class Hit:
    """One counted request: the window's count so far, and when the window ends (unix s)."""

    count: int
    expires_at: int


class RateLimitStore:
    """Counts requests per scope and client in the `ratelimit` table."""

    def __init__(
        self,
        engine: Engine,
        secret_key: Callable[[], str],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self._secret_key = secret_key
        self.clock = clock
        self._purged_at = clock()

    @cached_property
    def _key(self) -> bytes:
        # A key of its own, derived from the site's secret, so no other use can reproduce it.
        return hmac.digest(self._secret_key().encode(), b"opslagstavle rate limit", "sha256")

    def client_key(self, scope: str, address: str) -> str:
        """The stored key for a client: an HMAC, from which the address cannot be read back."""
        message = f"{scope}\n{network_of(address)}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def hit(self, scope: str, address: str, *, per: int) -> Hit:
        """Count one request in the current window, atomically across workers."""
        now = int(self.clock())
        expires_at = (now // per + 1) * per
        table = _table()
        values = {"expires_at": expires_at, "key": self.client_key(scope, address), "hits": 1}
        statement = upsert(
            self.engine.dialect.name,
            table,
            values,
            keys=["expires_at", "key"],
            set_={"hits": table.c.hits + 1},
        ).returning(table.c.hits)
        with self.engine.begin() as connection:
            count = int(connection.execute(statement).scalar_one())
        self.purge_if_due()
        return Hit(count=count, expires_at=expires_at)

    def peek(self, scope: str, address: str, *, per: int) -> Hit:
        """The current window's count, without counting."""
        now = int(self.clock())
        expires_at = (now // per + 1) * per
        table = _table()
        query = (
            table.select()
            .with_only_columns(table.c.hits)
            .where(table.c.expires_at == expires_at, table.c.key == self.client_key(scope, address))
        )
        with self.engine.connect() as connection:
            count = connection.execute(query).scalar_one_or_none() or 0
        return Hit(count=int(count), expires_at=expires_at)

    def purge(self) -> int:
        """Delete every row whose window has ended; returns how many went."""
        now = int(self.clock())
        self._purged_at = now
        table = _table()
        with self.engine.begin() as connection:
            return connection.execute(delete(table).where(table.c.expires_at <= now)).rowcount

    def purge_if_due(self) -> None:
        if self.clock() - self._purged_at >= PURGE_EVERY:
            self.purge()


def network_of(address: str) -> str:
    """An IPv4 address as it is; an IPv6 address as its /64 network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_address(request: Request) -> str:
    """The client's address as the server sees it (uvicorn applies trusted proxy headers)."""
    return request.client.host if request.client else "unknown"


def rate_limit(scope: str, *, limit: int, per: int) -> Callable[[Request], None]:
    """A dependency that answers 429 once a client has made `limit` requests in `per` seconds.

    `scope` names the limit (one count per scope and client), e.g. "feedback".
    """
    if not 1 <= per <= MAX_WINDOW:
        raise ValueError(f"per must be 1 to {MAX_WINDOW} seconds, so addresses go within the hour")
    if limit < 1:
        raise ValueError("limit must be at least 1")

    def check_rate_limit(request: Request) -> None:
        store: RateLimitStore = request.app.state.rate_limits
        hit = store.hit(scope, client_address(request), per=per)
        if hit.count > limit:
            raise RateLimited(retry_after=hit.expires_at - int(store.clock()))

    return check_rate_limit


@contextlib.asynccontextmanager
async def purging(store: RateLimitStore) -> AsyncIterator[None]:
    """Purge ended windows every minute while the block runs, even when nobody posts."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(PURGE_EVERY)
            try:
                await anyio.to_thread.run_sync(store.purge)
            except Exception:  # a busy or unreachable database must not stop the worker
                logger.warning("could not purge rate-limit rows", exc_info=True)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _table() -> Table:
    table: Table = RateLimit.__table__  # type: ignore[attr-defined]
    return table
