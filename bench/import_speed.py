"""Bulk import speed: `opslagstavle import-hsds` of N offers into an empty SQLite database.

    python bench/import_speed.py [N ...]      (default 10000; reads ../shared/eval)

Each size runs three times in a fresh data dir, in a subprocess as a user would run it. The
baseline, in the same run, is the least any importer must do: parse the JSON and store each
service as one blob row in SQLite. Prints medians and the ratio to the baseline.
"""

import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale_corpus import DEFAULT_CORPUS, scale

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3


def _import_once(path: Path) -> float:
    with tempfile.TemporaryDirectory() as data:
        env = {"OPSLAGSTAVLE_DATA_DIR": data, "PATH": "/usr/bin:/bin"}
        command = [str(ROOT / ".venv/bin/opslagstavle"), "import-hsds", str(path)]
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        return time.perf_counter() - start


def _baseline_once(path: Path) -> float:
    with tempfile.TemporaryDirectory() as data:
        start = time.perf_counter()
        services = json.loads(path.read_text(encoding="utf-8"))
        db = sqlite3.connect(Path(data) / "baseline.sqlite3")
        db.execute("CREATE TABLE service (id TEXT PRIMARY KEY, body TEXT)")
        db.executemany(
            "INSERT INTO service VALUES (?, ?)",
            ((s["id"], json.dumps(s, ensure_ascii=False)) for s in services),
        )
        db.commit()
        db.close()
        return time.perf_counter() - start


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000]
    corpus = json.loads(DEFAULT_CORPUS.read_text(encoding="utf-8"))
    print(f"{'offers':>8} {'import (median s)':>18} {'baseline (s)':>13} {'ratio':>7}")  # noqa: T201
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"corpus-{n}.json"
            path.write_text(json.dumps(scale(corpus, n), ensure_ascii=False), encoding="utf-8")
            ours = statistics.median(_import_once(path) for _ in range(RUNS))
            base = statistics.median(_baseline_once(path) for _ in range(RUNS))
        print(f"{n:>8} {ours:>18.2f} {base:>13.2f} {ours / base:>7.1f}")  # noqa: T201


if __name__ == "__main__":
    main()
