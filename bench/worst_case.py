"""Search time with and without a worst-case offer, side by side, in one process.

    cd bench && ../.venv/bin/python worst_case.py [--repeat 5] [--word 100000] [--queries N]

The shared corpus (../shared/eval) is imported into a fresh SQLite database and indexed. Then
the public queries are asked through the portal's `/soeg?q=` (the search, the cards, their
highlighted summaries) in process, `--repeat` rounds after one untimed round. Then one offer
is added straight through SQLModel, as data imported before the input rules would be: its
name and description are each one "word" of `--word` characters, plus ordinary words that
the queries match, so it lands in their results and gets highlighted. The same rounds run
again. Figures are medians and 95th percentiles (nearest rank) in milliseconds, and the ratio
of the worst-case run to the baseline.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from app.bootstrap import prepare_database
from app.catalogue.changelog import install_change_log
from app.catalogue.taxonomy import load_vocabulary
from app.config import Settings
from app.db import make_engine, session_scope
from app.hsds.importer import read_hsds_file, upsert_services
from app.main import create_app
from app.models import Offer, OfferState

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"
WORST_ID = "ffffffff-0000-4000-8000-00000000dead"


def _timings(client: TestClient, queries: list[str], repeat: int) -> list[float]:
    for query in queries:
        client.get("/soeg", params={"q": query})
    timings = []
    for _ in range(repeat):
        for query in queries:
            start = time.perf_counter()
            response = client.get("/soeg", params={"q": query})
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
    return timings


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _add_worst_case(settings: Settings, length: int, organization_id: str) -> None:
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        session.add(
            Offer(
                id=WORST_ID,
                organization_id=organization_id,
                name="Samvær og hjælp " + "å" * length,
                description=(
                    "Hjælp til gæld, ensomhed og angst. "
                    + "ø" * length
                    + " https://x.dk/"
                    + "a" * length
                    + " Vi har rådgivning, samtaler og fællesskab."
                ),
                state=OfferState.PUBLISHED,
            )
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--word", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=None, help="only the first N queries")
    args = parser.parse_args()
    corpus, queries_file = SHARED / "corpus.hsds.json", SHARED / "queries.public.yaml"
    if not corpus.exists():
        sys.exit(f"{corpus} is absent")
    queries = [q["q"] for q in yaml.safe_load(queries_file.read_text("utf-8"))][: args.queries]
    install_change_log()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, DATA_DIR=Path(tmp))  # type: ignore[call-arg]
        engine, _ = prepare_database(settings)
        vocabulary = load_vocabulary(settings.taxonomy_path)
        items = read_hsds_file(corpus)
        with session_scope(engine) as session:
            upsert_services(session=session, items=items, vocabulary=vocabulary)
        organization_id = (
            items[0].data.get("organization_id") or items[0].data["organization"]["id"]
        )
        engine.dispose()
        app = create_app(settings)
        with TestClient(app) as client:
            app.state.search.ensure()
            baseline = _timings(client, queries, args.repeat)
            _add_worst_case(settings, args.word, organization_id)
            app.state.search.follow()
            found = client.get("/soeg", params={"q": "gæld ensomhed"}).text
            assert WORST_ID in found, "the worst-case offer should be among the results"
            worst = _timings(client, queries, args.repeat)
    base_median, worst_median = statistics.median(baseline), statistics.median(worst)
    print(f"{len(queries)} queries × {args.repeat} rounds through /soeg, in process")  # noqa: T201
    print(f"{'':28}{'median ms':>10}{'p95 ms':>10}")  # noqa: T201
    print(f"{'corpus':28}{base_median:10.1f}{_p95(baseline):10.1f}")  # noqa: T201
    label = f"+ one {args.word:,}-char word offer"
    print(f"{label:28}{worst_median:10.1f}{_p95(worst):10.1f}")  # noqa: T201
    print(f"ratio (worst case / corpus): median {worst_median / base_median:.2f}")  # noqa: T201


if __name__ == "__main__":
    main()
