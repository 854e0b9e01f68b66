"""The index heals itself while the site serves: no fault on disk ever gives a 5xx.

Each test damages the live index of a serving app (in process, with the real database and
index), then keeps asking the portal and the HSDS API while a change is committed: every
answer must be below 500, and without a restart the change must become searchable from the
index again, for this app and for a second one over the same folders (another worker).
Read-only folders and full disks are injected at the storage layer (the tests run as root,
where chmod stops nothing): Whoosh's file creation and our own file writes raise EROFS or
ENOSPC while the fault lasts.
"""

import errno
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from whoosh.filedb.filestore import FileStorage

from app.catalogue.taxonomy import Vocabulary
from app.config import Settings
from app.db import session_scope
from app.exchange.yaml_catalogue import load_catalogue
from app.main import create_app
from app.models import Offer
from app.search import indexer
from tests.conftest import FIXTURE_CATALOGUE

LIMIT = 60.0  # seconds; only an upper bound for polling
CHANGED = "aaaaaaaa-0000-4000-8000-000000000002"  # Rygestop på hold
NEW_WORD = "zyxkaffe"
DEGRADED = 'id="search-degraded"'


@pytest.fixture
def serving(
    make_settings: Callable[..., Settings], engine: Engine, vocabulary: Vocabulary
) -> Iterator[Callable[[], TestClient]]:
    """Start apps (workers) over one database and index folder; the first is started here."""
    with session_scope(engine) as session:
        load_catalogue(session=session, directory=FIXTURE_CATALOGUE, vocabulary=vocabulary)
    settings = make_settings(INDEX_RETRY_SECONDS=0.1)
    clients: list[TestClient] = []

    def start() -> TestClient:
        app = create_app(settings)
        client = TestClient(app)
        client.__enter__()
        app.state.search.wait()
        clients.append(client)
        return client

    start()
    yield start
    for client in clients:
        client.__exit__(None, None, None)


def _live(client: TestClient) -> Path:
    folder = client.app.state.search.store.current  # type: ignore[attr-defined]
    assert folder is not None
    return Path(folder)


def _ask(client: TestClient, word: str) -> tuple[bool, bool]:
    """Search the portal and the API for a word: (found the changed offer, answered by the
    index). Both must answer below 500."""
    page = client.get("/soeg", params={"q": word})
    api = client.get("/hsds/services", params={"search": word})
    assert page.status_code < 500, page.text[:300]
    assert api.status_code < 500, api.text[:300]
    ids = [item["id"] for item in api.json()["contents"]]
    return CHANGED in ids and f"/tilbud/{CHANGED}" in page.text, DEGRADED not in page.text


def _change(engine: Engine) -> None:
    with session_scope(engine) as session:
        offer = session.get(Offer, CHANGED)
        assert offer is not None
        offer.description += f" Der er {NEW_WORD} bagefter."


def _heals(engine: Engine, clients: list[TestClient]) -> None:
    """While a change is committed, every answer stays below 500, and every client finds the
    change from a whole index again, with /readyz saying so."""
    for client in clients:
        _ask(client, "rygestop")
    _change(engine)
    deadline = time.monotonic() + LIMIT
    waiting = list(clients)
    while waiting and time.monotonic() < deadline:
        for client in list(waiting):
            found, from_index = _ask(client, NEW_WORD)
            ready = client.get("/readyz")
            assert ready.status_code in (200, 503)
            if found and from_index and ready.status_code == 200:
                waiting.remove(client)
        time.sleep(0.05)
    assert not waiting, "the index did not heal"
    for client in clients:
        assert _ask(client, "rygestop") == (True, True)


def _segments(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.seg")) or sorted(
        p for p in folder.iterdir() if p.suffix not in (".toc", ".json", ".lock")
    )


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda f: _segments(f)[0].unlink(), id="delete-segment"),
        pytest.param(
            lambda f: _segments(f)[0].write_bytes(_segments(f)[0].read_bytes()[:100]),
            id="truncate-segment",
        ),
        pytest.param(lambda f: [p.unlink() for p in f.glob("*.toc")], id="delete-toc"),
        pytest.param(lambda f: (f / "state.json").write_text("{not json"), id="state-json"),
        pytest.param(lambda f: (f / "words.json").write_text('{"known": 7}'), id="words-json"),
    ],
)
def test_a_damaged_index_heals_while_serving(
    serving: Callable[[], TestClient], engine: Engine, damage: Callable[[Path], Any]
) -> None:
    first = serving()
    damage(_live(first))
    # A worker that starts now finds the damage on disk at once.
    second = serving()
    _heals(engine, [first, second])


def test_a_missing_index_is_built_in_the_background_while_the_database_answers(
    serving: Callable[[], TestClient], engine: Engine
) -> None:
    first = serving()
    store = first.app.state.search.store  # type: ignore[attr-defined]
    (store.root / "CURRENT").unlink()
    page = first.get("/soeg", params={"q": "rygestop"})
    assert page.status_code == 200
    _heals(engine, [first])


def _fault(monkeypatch: pytest.MonkeyPatch, code: int) -> Callable[[], None]:
    """Make every index write fail with `code` (after creating the file, as a full disk
    leaves one); return the function that ends the fault."""
    create_file = FileStorage.create_file
    write_json = indexer.IndexStore._write_json

    def failing_create(self: FileStorage, name: str, **kwargs: Any) -> Any:
        create_file(self, name, **kwargs).close()
        raise OSError(code, "injected", name)

    def failing_json(path: Path, _data: object) -> None:
        raise OSError(code, "injected", str(path))

    monkeypatch.setattr(FileStorage, "create_file", failing_create)
    monkeypatch.setattr(indexer.IndexStore, "_write_json", staticmethod(failing_json))

    def end() -> None:
        monkeypatch.setattr(FileStorage, "create_file", create_file)
        monkeypatch.setattr(indexer.IndexStore, "_write_json", staticmethod(write_json))

    return end


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS], ids=["full-disk", "read-only"])
def test_a_failing_disk_never_breaks_search_and_heals_when_it_recovers(
    serving: Callable[[], TestClient],
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
) -> None:
    first = serving()
    store = first.app.state.search.store  # type: ignore[attr-defined]
    live = _live(first)
    before = sorted(p.name for p in live.iterdir())
    end = _fault(monkeypatch, code)
    _change(engine)
    for _ in range(20):
        found, _from_index = _ask(first, "rygestop")
        assert found, "search keeps answering from the last good index"
        time.sleep(0.02)
    first.app.state.search.wait()  # type: ignore[attr-defined]
    # Nothing half-written stays behind: no partial segments, no unfinished folders.
    assert store.current == live
    assert sorted(p.name for p in live.iterdir()) == before
    assert [p.name for p in store.root.glob("index-*")] == [live.name]
    assert first.get("/readyz").status_code == 503
    end()
    _heals(engine, [first])


def test_unfinished_folders_are_removed_at_start(
    serving: Callable[[], TestClient],
) -> None:
    first = serving()
    store = first.app.state.search.store  # type: ignore[attr-defined]
    leftover = store.root / "index-0123456789ab"
    leftover.mkdir()
    (leftover / "_MAIN_1.toc").write_bytes(b"x" * 1000)
    (store.root / "CURRENT.tmp").write_text("index-0123456789ab")
    serving()
    assert not leftover.exists()
    assert not (store.root / "CURRENT.tmp").exists()
    assert json.loads((_live(first) / "state.json").read_text())["documents"] == 3


HOSTILE_QUERIES = [
    "%",
    "_",
    "100%_rabat",
    "'; DROP TABLE offer; --",
    "\\",
    "a" * 500,
    "ｇæｌｄ",
    "<script>",
]


@pytest.mark.usefixtures("fixture_catalogue")
def test_without_any_index_the_database_answers_every_query(
    make_settings: Callable[..., Settings],
) -> None:
    # An index folder that can never be made: every search is answered from the database.
    app = create_app(make_settings(INDEX_DIR=Path("/dev/null/index")))
    with TestClient(app) as client:
        page = client.get("/soeg", params={"q": "rygestop"})
        assert page.status_code == 200
        assert DEGRADED in page.text and f"/tilbud/{CHANGED}" in page.text
        filtered = client.get("/soeg", params={"q": "", "tema": "sundhed", "by": "Testby"})
        assert filtered.status_code == 200 and f"/tilbud/{CHANGED}" in filtered.text
        for query in HOSTILE_QUERIES:
            assert client.get("/soeg", params={"q": query}).status_code == 200
            api = client.get("/hsds/services", params={"search": query})
            assert api.status_code == 200, api.text
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
