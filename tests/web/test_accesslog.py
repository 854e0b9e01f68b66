"""The access log keeps method, path, status and duration, never the query string."""

import logging
from collections.abc import Callable
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import Result


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "opslagstavle.access"]


def test_search_words_never_reach_the_log(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="opslagstavle.access"):
        client.get("/soeg?q=gæld&tema=oekonomi")
        client.get("/soeg?q=g%C3%A6ld+til+skat")
    lines = _lines(caplog)
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("GET /soeg ")
        assert "gæld" not in line and "g%C3%A6ld" not in line and "skat" not in line
        assert "q=" not in line and "?" not in line and "oekonomi" not in line


def test_a_line_has_method_path_status_and_duration(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="opslagstavle.access"):
        client.get("/")
        client.get("/no/such/page?q=hemmelig")
        client.post("/")
    method, path, status, duration = _lines(caplog)[0].split(" ")
    assert (method, path, status) == ("GET", "/", "200")
    assert duration.endswith("ms") and float(duration.removesuffix("ms")) >= 0
    assert _lines(caplog)[1].startswith("GET /no/such/page 404 ")
    assert _lines(caplog)[2].startswith("POST / 405 ")
    # No client address either: the test client's "testclient" never shows.
    assert not any("testclient" in line for line in _lines(caplog))


def test_serve_switches_off_uvicorns_access_log(
    run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **kw: started.update(kw))
    result = run_cli("serve")
    assert result.exit_code == 0, result.output
    # uvicorn's own access line carries the full URL and the client's address.
    assert started["access_log"] is False
    loggers = started["log_config"]["loggers"]
    assert loggers["opslagstavle.access"]["level"] == "INFO"
    assert loggers["opslagstavle"]["handlers"]  # errors with tracebacks reach stderr
