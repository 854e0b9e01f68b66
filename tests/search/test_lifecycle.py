"""The index under real processes: two server workers, and a reindex killed half-way.

These tests wait by polling with generous limits; they never assert on timings.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import Result

from app.catalogue.visibility import visible
from app.config import Settings
from app.db import session_scope
from app.models import Offer, OfferState
from app.search import SearchRequest, SearchService
from tests.conftest import FIXTURE_CATALOGUE

BIN = Path(sys.executable).parent
LIMIT = 60.0  # seconds; only an upper bound for polling


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPSLAGSTAVLE_")}
    env |= {
        "OPSLAGSTAVLE_DATA_DIR": str(settings.DATA_DIR),
        "OPSLAGSTAVLE_INDEX_DIR": str(settings.index_dir),
        "OPSLAGSTAVLE_DATABASE_URL": settings.database_url,
    }
    return env


def _poll(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(
    run_cli: Callable[..., Result], settings: Settings
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`opslagstavle serve --workers 2` over the fixture catalogue."""
    assert run_cli("load-catalogue", FIXTURE_CATALOGUE).exit_code == 0
    port = _free_port()
    command = [str(BIN / "opslagstavle"), "serve", "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(
        command, env=_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    try:
        _poll(healthy, "the server to start")
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _found(base: str, word: str) -> list[str]:
    url = f"{base}/hsds/services?" + urllib.parse.urlencode({"search": word})
    with urllib.request.urlopen(url, timeout=10) as response:
        return [item["id"] for item in json.load(response)["contents"]]


def test_committed_change_is_found_by_every_worker(
    server: tuple[str, subprocess.Popen[bytes]], engine: Engine
) -> None:
    base, _ = server
    assert _found(base, "zyxwolk") == []
    with session_scope(engine) as session:
        offer = session.exec(select(Offer).where(Offer.state == OfferState.PUBLISHED)).first()
        assert offer is not None
        offer.description += " Nu også med zyxwolk."
        changed = offer.id

    _poll(lambda: _found(base, "zyxwolk") == [changed], "the change to be searchable")
    # Many requests spread over both workers: every one must see the change.
    for _ in range(20):
        assert _found(base, "zyxwolk") == [changed]


def _public_count(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Offer.id).where(visible())).all())


def _bigger_catalogue(run_cli: Callable[..., Result], tmp_path: Path, copies: int) -> None:
    """The fixture catalogue, exported and imported again under new ids, many times over."""
    assert run_cli("load-catalogue", FIXTURE_CATALOGUE).exit_code == 0
    exported = tmp_path / "fixture.json"
    assert run_cli("export-hsds", exported).exit_code == 0
    scale = Path(__file__).resolve().parents[2] / "bench" / "scale_corpus.py"
    scaled = tmp_path / "scaled.json"
    services = json.loads(exported.read_text(encoding="utf-8"))
    subprocess.run(
        [
            sys.executable,
            str(scale),
            str(len(services) * copies),
            str(scaled),
            "--corpus",
            str(exported),
        ],
        check=True,
        capture_output=True,
    )
    assert run_cli("import-hsds", scaled).exit_code == 0


def test_reindex_killed_half_way_leaves_a_correct_index(
    run_cli: Callable[..., Result], settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    _bigger_catalogue(run_cli, tmp_path, copies=800)
    expected = _public_count(engine)
    store_root = settings.index_dir
    before = {p.name for p in store_root.glob("index-*")}

    process = subprocess.Popen(
        [str(BIN / "opslagstavle"), "reindex"],
        env=_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _poll(
            lambda: bool({p.name for p in store_root.glob("index-*")} - before),
            "the rebuild to start",
        )
        time.sleep(0.3)  # let it write part of the new index
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    service = SearchService(settings, engine)
    service.ensure()
    everything = service.search(SearchRequest(text="", limit=None))
    assert everything.total == expected
    assert len({hit.offer_id for hit in everything.hits}) == expected
    assert service.search(SearchRequest(text="rygestop")).total > 0
    service.close()


def test_reindex_killed_before_the_first_index_existed(
    run_cli: Callable[..., Result], settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    _bigger_catalogue(run_cli, tmp_path, copies=800)
    expected = _public_count(engine)
    (settings.index_dir / "CURRENT").unlink()  # as if no index had ever been built
    process = subprocess.Popen(
        [str(BIN / "opslagstavle"), "reindex"],
        env=_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    service = SearchService(settings, engine)
    service.ensure()
    assert service.search(SearchRequest(text="", limit=None)).total == expected
    service.close()
