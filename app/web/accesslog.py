"""Access logs without query strings or client addresses.

Search words travel in the query string (/soeg?q=gæld) and say a lot about a person, so the log
keeps only method, path, status and duration. It replaces uvicorn's own access log, which logs
the full URL and the address (`opslagstavle serve` switches that one off).
"""

import copy
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import LOGGING_CONFIG

logger = logging.getLogger("opslagstavle.access")


class AccessLogMiddleware:
    """Logs one line per HTTP request: `GET /soeg 200 12.3ms`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app fails before it starts a response

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            # scope["path"] never holds the query string (that is scope["query_string"]).
            logger.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed)


def server_log_config() -> dict[str, Any]:
    """uvicorn's logging set-up plus our loggers: access lines to stdout, the rest to stderr."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["opslagstavle_access"] = {
        "formatter": "default",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["opslagstavle"] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    config["loggers"]["opslagstavle.access"] = {
        "handlers": ["opslagstavle_access"],
        "level": "INFO",
        "propagate": False,
    }
    return config
