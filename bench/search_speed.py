"""Search speed: index build, search latency and change visibility at N offers, against FTS5.

    cd bench && ../.venv/bin/python search_speed.py [--sizes 1000,10000,30000] [--repeat 3]

For each size the shared corpus (../shared/eval) is scaled to N offers (scale_corpus.py) and
imported with `opslagstavle import-hsds` into a fresh data dir, timed ("import with indexing");
then `opslagstavle reindex` is timed, with its peak memory from /usr/bin/time when present.

Searches are the public queries, each `--repeat` times, without and with their filters:
- in process: `SearchService.search`, after one untimed round; this includes the facet counts,
  the suggestion and the search statistics that every search computes;
- over HTTP: `GET /hsds/services?search=...&per_page=10[&taxonomy_term_id=...]`, one request at a
  time, a new connection each, against `opslagstavle serve --workers 1` and then, never at the
  same time, against the baseline fts5_app.py (FTS5 bm25 over the same SQLite file, the same
  envelope and items); each server gets one untimed round first, ours once /readyz says the
  index check every worker runs at start is done.
Change visibility: with our server up, an offer's description gets a new made-up word through
SQLModel and the API is asked for that word every 10 ms until the offer is found.
Figures are medians and 95th percentiles (nearest rank) in milliseconds.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from scale_corpus import DEFAULT_CORPUS, scale
from sqlmodel import select

from app.bootstrap import prepare_database
from app.catalogue.changelog import install_change_log
from app.catalogue.taxonomy import load_vocabulary
from app.catalogue.visibility import running
from app.config import Settings
from app.db import make_engine, session_scope
from app.models import Offer
from app.search import SearchRequest, SearchService

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
OPSLAGSTAVLE = ROOT / ".venv/bin/opslagstavle"
PYTHON = ROOT / ".venv/bin/python"
GNU_TIME = Path("/usr/bin/time")
START_TIMEOUT = 120.0
VISIBILITY_ROUNDS = 5
VISIBILITY_LIMIT = 30.0
POLL_INTERVAL = 0.01


@dataclass(frozen=True)
class Query:
    text: str
    term_ids: tuple[str, ...]


@dataclass
class Report:
    """The figures of one size; None where a figure could not be had."""

    offers: int
    import_s: float = 0.0
    reindex_s: float = 0.0
    reindex_peak_kib: int | None = None
    fts5_build_s: float | None = None
    in_process: dict[str, list[float]] | None = None
    ours_http: dict[str, list[float]] | None = None
    fts5_http: dict[str, list[float]] | None = None
    visibility_ms: list[float] | None = None


# --- helpers ------------------------------------------------------------------------------------


def load_queries(path: Path, settings: Settings) -> list[Query]:
    vocabulary = load_vocabulary(settings.taxonomy_path)
    queries = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        term_ids = []
        for taxonomy, code in item.get("filters") or []:
            term = vocabulary.term(taxonomy, code)
            if term is None:
                sys.exit(f"unknown filter term {taxonomy}/{code} in {path}")
            term_ids.append(term.id)
        queries.append(Query(item["q"], tuple(term_ids)))
    return queries


def clean_env(data_dir: Path) -> dict[str, str]:
    """This process's environment without our settings, pointed at one data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPSLAGSTAVLE_")}
    env["OPSLAGSTAVLE_DATA_DIR"] = str(data_dir)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    rank = max(1, -(-95 * len(ordered) // 100))  # nearest rank: ceil(0.95 n)
    return statistics.median(ordered), ordered[rank - 1]


def run_timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"{' '.join(command[:2])} failed: {done.stderr.strip()[-2000:]}")
    return took


def reindex(env: dict[str, str], cwd: Path) -> tuple[float, int | None]:
    """Wall seconds of `opslagstavle reindex` and its peak RSS in KiB (None without GNU time)."""
    if not GNU_TIME.exists():
        return run_timed([str(OPSLAGSTAVLE), "reindex"], env, cwd), None
    out = cwd / "reindex.maxrss"
    command = [str(GNU_TIME), "-f", "%M", "-o", str(out), str(OPSLAGSTAVLE), "reindex"]
    took = run_timed(command, env, cwd)
    try:
        return took, int(out.read_text(encoding="ascii").split()[-1])
    except (OSError, ValueError, IndexError):
        return took, None


def services_url(base: str, text: str, term_ids: tuple[str, ...] = ()) -> str:
    params = {"search": text, "per_page": "10"}
    if term_ids:
        params["taxonomy_term_id"] = ",".join(term_ids)
    return f"{base}/hsds/services?{urllib.parse.urlencode(params)}"


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


@contextmanager
def server(
    command: list[str], env: dict[str, str], port: int, log: Path, ready: str = "/healthz"
) -> Iterator[str]:
    """Run a server until the block ends; yield its base URL once `ready` answers 200."""
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
                sys.exit(f"{command[0]} exited with {process.returncode}:\n{tail}")
            try:
                fetch(f"{base}{ready}")
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit(f"{command[0]} did not answer on {base} in {START_TIMEOUT:.0f} s")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- measurements -------------------------------------------------------------------------------


def time_in_process(
    settings: Settings, queries: list[Query], repeat: int
) -> dict[str, list[float]]:
    engine, _ = prepare_database(settings)
    service = SearchService(settings, engine)
    try:
        for q in queries:  # warm up: opens the searcher, builds the facet masks
            service.search(SearchRequest(text=q.text, limit=10))
            service.search(SearchRequest(text=q.text, term_ids=q.term_ids, limit=10))
        samples: dict[str, list[float]] = {"no filters": [], "filters": []}
        for label, filtered in (("no filters", False), ("filters", True)):
            for q in queries:
                request = SearchRequest(
                    text=q.text, term_ids=q.term_ids if filtered else (), limit=10
                )
                for _ in range(repeat):
                    start = time.perf_counter()
                    service.search(request)
                    samples[label].append((time.perf_counter() - start) * 1000)
        return samples
    finally:
        service.close()
        engine.dispose()


def time_http(base: str, queries: list[Query], repeat: int) -> dict[str, list[float]]:
    for q in queries:  # warm up, untimed
        fetch(services_url(base, q.text))
    samples: dict[str, list[float]] = {"no filters": [], "filters": []}
    for label, filtered in (("no filters", False), ("filters", True)):
        for q in queries:
            url = services_url(base, q.text, q.term_ids if filtered else ())
            for _ in range(repeat):
                start = time.perf_counter()
                body = fetch(url)
                samples[label].append((time.perf_counter() - start) * 1000)
                if "contents" not in json.loads(body):
                    sys.exit(f"no HSDS envelope from {url}")
    return samples


def made_up_word() -> str:
    # Consonants only: no Danish stem, suffix or compound part to strip.
    return "zq" + "".join(random.choices("bcdfghjklmnpqrstvwxz", k=10))


def time_visibility(settings: Settings, base: str) -> list[float]:
    """Milliseconds from a committed description change until the API finds the offer by it."""
    install_change_log()
    engine = make_engine(settings.database_url)
    delays = []
    try:
        with session_scope(engine) as session:
            query = select(Offer.id).where(running())
            offer_ids = list(session.exec(query.order_by(Offer.id).limit(VISIBILITY_ROUNDS)))
        for offer_id in offer_ids:
            word = made_up_word()
            with session_scope(engine) as session:
                offer = session.get(Offer, offer_id)
                assert offer is not None
                offer.description = f"{offer.description} {word}"
            committed = time.perf_counter()
            url = services_url(base, word)
            while True:
                contents = json.loads(fetch(url))["contents"]
                if any(item["id"] == offer_id for item in contents):
                    delays.append((time.perf_counter() - committed) * 1000)
                    break
                if time.perf_counter() - committed > VISIBILITY_LIMIT:
                    print(f"  {offer_id} not found by {word!r} in 30 s")  # noqa: T201
                    break
                time.sleep(POLL_INTERVAL)
    finally:
        engine.dispose()
    return delays


def fts5_build_seconds(log: Path) -> float | None:
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("fts5 index built in "):
            return float(line.split()[4])
    return None


def measure(n: int, corpus: list[dict[str, Any]], queries_path: Path, repeat: int) -> Report:
    report = Report(n)
    with tempfile.TemporaryDirectory(prefix=f"search-speed-{n}-") as tmp:
        data_dir = Path(tmp)
        env = clean_env(data_dir)
        path = data_dir / f"corpus-{n}.json"
        path.write_text(json.dumps(scale(corpus, n), ensure_ascii=False), encoding="utf-8")

        step(f"{n}: import-hsds")
        command = [str(OPSLAGSTAVLE), "import-hsds", str(path)]
        report.import_s = run_timed(command, env, data_dir)
        step(f"{n}: reindex")
        report.reindex_s, report.reindex_peak_kib = reindex(env, data_dir)

        settings = Settings(_env_file=None, DATA_DIR=data_dir)
        queries = load_queries(queries_path, settings)
        step(f"{n}: in-process searches")
        report.in_process = time_in_process(settings, queries, repeat)

        step(f"{n}: our server")
        port = free_port()
        ours = [str(OPSLAGSTAVLE), "serve", "--port", str(port), "--workers", "1"]
        # /readyz: once the index check that every worker runs at start is done, so the timed
        # searches do not share the CPU with it (FTS5 has nothing of the kind).
        with server(ours, env, port, data_dir / "ours.log", ready="/readyz") as base:
            report.ours_http = time_http(base, queries, repeat)
            step(f"{n}: change visibility")
            report.visibility_ms = time_visibility(settings, base)

        step(f"{n}: FTS5 server")
        port = free_port()
        fts5 = [str(PYTHON), "-m", "uvicorn", "bench.fts5_app:create_app", "--factory"]
        fts5 += ["--app-dir", str(ROOT), "--host", "127.0.0.1", "--port", str(port)]
        fts5 += ["--workers", "1"]
        fts5_env = {**env, "BENCH_DB": str(data_dir / "opslagstavle.sqlite3")}
        log = data_dir / "fts5.log"
        with server(fts5, fts5_env, port, log) as base:
            report.fts5_build_s = fts5_build_seconds(log)
            report.fts5_http = time_http(base, queries, repeat)
    return report


# --- output -------------------------------------------------------------------------------------


def step(what: str) -> None:
    print(f"... {what}", file=sys.stderr, flush=True)  # noqa: T201


def _cell(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_report(report: Report, queries: int, repeat: int) -> None:
    rows: list[tuple[str, float | None, float | None, bool]] = [
        ("import with indexing (s)", report.import_s, None, False),
        ("index build (s) [1]", report.reindex_s, report.fts5_build_s, False),
        (
            "index build peak memory (MiB)",
            None if report.reindex_peak_kib is None else report.reindex_peak_kib / 1024,
            None,
            False,
        ),
    ]
    for label in ("no filters", "filters"):
        median, p95 = median_p95((report.in_process or {})[label])
        rows += [
            (f"in-process, {label}: median (ms)", median, None, False),
            (f"in-process, {label}: p95 (ms)", p95, None, False),
        ]
    for label in ("no filters", "filters"):
        ours = median_p95((report.ours_http or {})[label])
        base = median_p95((report.fts5_http or {})[label])
        rows += [
            (f"HTTP, {label}: median (ms)", ours[0], base[0], True),
            (f"HTTP, {label}: p95 (ms)", ours[1], base[1], True),
        ]
    delays = report.visibility_ms or []
    found = f" ({len(delays)}/{VISIBILITY_ROUNDS} found)" if len(delays) < VISIBILITY_ROUNDS else ""
    rows.append(
        (
            f"change visible after, median (ms){found}",
            statistics.median(delays) if delays else None,
            None,
            False,
        )
    )

    print(f"\n{report.offers} offers, {queries} queries x {repeat}")  # noqa: T201
    print(f"{'metric':<38} {'ours':>9} {'FTS5':>9} {'ours/FTS5':>10}")  # noqa: T201
    for label, ours_value, base_value, ratio in rows:
        quotient = ours_value / base_value if ratio and ours_value and base_value else None
        digits = 2 if label.endswith("(s)") or "(s) " in label else 1
        ours_cell, base_cell = _cell(ours_value, digits), _cell(base_value, digits)
        line = f"{label:<38} {ours_cell:>9} {base_cell:>9} {_cell(quotient):>10}"
        print(line.rstrip())  # noqa: T201
    print("[1] ours: `opslagstavle reindex`, process start and migration included;")  # noqa: T201
    print("    FTS5: creating and filling its table inside the running server.")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,30000", help="comma-separated offers")
    parser.add_argument("--repeat", type=int, default=3, help="times each query is timed")
    parser.add_argument("--queries", type=Path, default=SHARED / "queries.public.yaml")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if args.repeat < 1 or not sizes or min(sizes) < 1:
        parser.error("--sizes and --repeat must be positive")

    corpus = json.loads(args.corpus.read_text(encoding="utf-8"))
    queries = len(yaml.safe_load(args.queries.read_text(encoding="utf-8")))
    if not GNU_TIME.exists():
        print("/usr/bin/time not found: peak memory is not measured")  # noqa: T201
    for n in sizes:
        print_report(measure(n, corpus, args.queries, args.repeat), queries, args.repeat)


if __name__ == "__main__":
    main()
