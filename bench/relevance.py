"""Search relevance: success@3 and nDCG@10 of our search against simple baselines.

    python relevance.py [--queries PATH] [--catalogue corpus|demo] [--no-show-failures]
    python relevance.py --all     (every set, figures only)
    (from bench/; reads ../shared/eval)

"ours" is the acceptance procedure: `opslagstavle import-hsds` of the shared corpus (or
`load-catalogue` of the demo catalogue) into an empty data dir, then
`GET /hsds/services?search=...&taxonomy_term_id=...&per_page=10` in process. Only that HTTP
contract is used, so the script keeps working whatever engine sits behind it. The baselines
(substring LIKE, Whoosh AND/OR, SQLite FTS5 bm25) index the same offers as HSDS directly and
apply the same filters. Metrics are defined in ../shared/eval/README.md; on top, for queries
that list `acute` offers (crisis queries), the share whose first result is one of them.

Query files: the public set (keys through keys.json) or our own frozen sets under
bench/queries/ (HSDS ids). A held-out set is run with --no-show-failures, so nobody tunes on
its queries: only the figures are printed (also per `kind`).
"""

import argparse
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup

from app.catalogue.taxonomy import load_vocabulary
from app.config import Settings
from app.main import create_app

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
CORPUS = SHARED / "corpus.hsds.json"
FIELDS = ("name", "description", "how", "org")

# A search: (query text, required [taxonomy, code] pairs) -> ranked HSDS ids.
Search = Callable[[str, list[tuple[str, str]]], list[str]]


@dataclass(frozen=True)
class Query:
    text: str
    filters: list[tuple[str, str]]
    grades: dict[str, int]  # HSDS id -> grade
    kind: str = ""
    acute: frozenset[str] = frozenset()  # crisis queries: the fitting acute offers


def load_queries(path: Path) -> list[Query]:
    keys: dict[str, str] = json.loads((SHARED / "keys.json").read_text(encoding="utf-8"))
    queries = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        grades = {keys.get(key, key): grade for key, grade in (item.get("relevant") or {}).items()}
        filters = [(taxonomy, code) for taxonomy, code in item.get("filters") or []]
        acute = frozenset(keys.get(key, key) for key in item.get("acute") or [])
        queries.append(Query(item["q"], filters, grades, str(item.get("kind") or ""), acute))
    return queries


def success_at_3(ranked: list[str], grades: dict[str, int]) -> float:
    best = max(grades.values())
    return float(any(grades.get(offer_id) == best for offer_id in ranked[:3]))


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2.0**g - 1) / math.log2(rank + 1) for rank, g in enumerate(gains, start=1))

    ideal = dcg(sorted(grades.values(), reverse=True)[:10])
    return dcg([grades.get(offer_id, 0) for offer_id in ranked[:10]]) / ideal


def words(text: str) -> list[str]:
    """Query words for the baselines: lowercased, at least two characters, no duplicates."""
    return list(dict.fromkeys(w for w in re.findall(r"\w+", text.lower()) if len(w) >= 2))


# --- baselines over the corpus file -------------------------------------------------------------


class Corpus:
    def __init__(self, services: list[dict[str, Any]]) -> None:
        self.rows = [
            {
                "id": s["id"],
                "name": s["name"],
                "description": s.get("description") or "",
                "how": s.get("application_process") or "",
                "org": (s.get("organization") or {}).get("name") or "",
            }
            for s in services
        ]
        # HSDS semantics: a term counts when the service or its organization carries it (the
        # provider type, udbyder, lives on the organization).
        self.terms: dict[str, set[tuple[str, str]]] = {}
        for s in services:
            attributes = s.get("attributes", []) + (s.get("organization") or {}).get(
                "attributes", []
            )
            self.terms[s["id"]] = {
                (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]) for a in attributes
            }

    def top10(self, ranked: list[str], filters: list[tuple[str, str]]) -> list[str]:
        return [i for i in ranked if self.terms[i].issuperset(filters)][:10]


def like_search(corpus: Corpus) -> Search:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE offer (id TEXT, name TEXT, text TEXT)")
    # Lowercase in Python: SQLite's LIKE folds case for ASCII only, not for æ, ø, å.
    db.executemany(
        "INSERT INTO offer VALUES (?, ?, ?)",
        [(r["id"], r["name"], " ".join(r[f] for f in FIELDS).lower()) for r in corpus.rows],
    )

    def search(text: str, filters: list[tuple[str, str]]) -> list[str]:
        patterns = [
            "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for w in words(text)
        ]
        if not patterns:
            return []
        hits = " + ".join(["(text LIKE ? ESCAPE '\\')"] * len(patterns))
        sql = f"SELECT id FROM (SELECT id, name, {hits} AS hits FROM offer) WHERE hits > 0"
        rows = db.execute(sql + " ORDER BY hits DESC, name, id", patterns)
        return corpus.top10([row[0] for row in rows], filters)

    return search


def whoosh_search(corpus: Corpus, group: type) -> Search:
    schema = Schema(id=ID(stored=True, unique=True), **{f: TEXT() for f in FIELDS})
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for row in corpus.rows:
            writer.add_document(**row)
    parser = MultifieldParser(list(FIELDS), schema, group=group)
    searcher = index.searcher()  # default weighting: BM25F

    def search(text: str, filters: list[tuple[str, str]]) -> list[str]:
        # Feed the parser plain words, so a stray colon or quote is not query syntax.
        hits = searcher.search(parser.parse(" ".join(words(text))), limit=None)
        return corpus.top10([hit["id"] for hit in hits], filters)

    return search


def fts5_search(corpus: Corpus) -> Search:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE offer USING fts5(id UNINDEXED, name, description, how, org)")
    db.executemany(
        "INSERT INTO offer VALUES (?, ?, ?, ?, ?)",
        [(r["id"], *(r[f] for f in FIELDS)) for r in corpus.rows],
    )

    def search(text: str, filters: list[tuple[str, str]]) -> list[str]:
        # Each word quoted: FTS5 would otherwise read e.g. "and", "not" or "-" as operators.
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words(text))
        if not match:
            return []
        sql = "SELECT id FROM offer WHERE offer MATCH ? ORDER BY bm25(offer), name, id"
        return corpus.top10([row[0] for row in db.execute(sql, (match,))], filters)

    return search


# --- ours, through the HSDS API -----------------------------------------------------------------


def _cli(data_dir: Path, *args: str) -> None:
    # Our own settings only from the arguments, so a developer's OPSLAGSTAVLE_* cannot point the
    # import (or the app below) at another database.
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPSLAGSTAVLE_")}
    env["OPSLAGSTAVLE_DATA_DIR"] = str(data_dir)
    command = [str(ROOT / ".venv/bin/opslagstavle"), *args]
    done = subprocess.run(command, env=env, cwd=data_dir, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{args[0]} failed: {done.stderr.strip()}")


def import_offers(data_dir: Path, catalogue: str) -> list[dict[str, Any]]:
    """Load the offers into an empty data dir; the same offers as HSDS for the baselines."""
    if catalogue == "corpus":
        _cli(data_dir, "import-hsds", str(CORPUS))
        return list(json.loads(CORPUS.read_text(encoding="utf-8")))
    _cli(data_dir, "load-catalogue", str(ROOT / "catalogue"))
    exported = data_dir / "demo.hsds.json"
    _cli(data_dir, "export-hsds", str(exported))
    return list(json.loads(exported.read_text(encoding="utf-8")))


def api_search(client: TestClient, settings: Settings, names: dict[str, str]) -> Search:
    vocabulary = load_vocabulary(settings.taxonomy_path)

    def search(text: str, filters: list[tuple[str, str]]) -> list[str]:
        params = {"search": text, "per_page": "10"}
        if filters:
            ids = []
            for taxonomy, code in filters:
                term = vocabulary.term(taxonomy, code)
                if term is None:
                    sys.exit(f"unknown filter term {taxonomy}/{code}")
                ids.append(term.id)
            params["taxonomy_term_id"] = ",".join(ids)
        response = client.get("/hsds/services", params=params)
        response.raise_for_status()
        contents = response.json()["contents"][:10]
        names.update((item["id"], item.get("name", "")) for item in contents)
        return [item["id"] for item in contents]

    return search


# --- report -------------------------------------------------------------------------------------


def evaluate(search: Search, queries: list[Query]) -> tuple[float, float, list[list[str]]]:
    rankings = [search(q.text, q.filters) for q in queries]
    s3 = sum(success_at_3(r, q.grades) for r, q in zip(rankings, queries, strict=True))
    ndcg = sum(ndcg_at_10(r, q.grades) for r, q in zip(rankings, queries, strict=True))
    return s3 / len(queries), ndcg / len(queries), rankings


def acute_first(rankings: list[list[str]], queries: list[Query]) -> str:
    """How many crisis queries have a fitting acute offer first, as "n/m" ("-" for none)."""
    crisis = [i for i, q in enumerate(queries) if q.acute]
    first = sum(bool(rankings[i]) and rankings[i][0] in queries[i].acute for i in crisis)
    return f"{first}/{len(crisis)}" if crisis else "-"


def run_all() -> None:
    """Ours and FTS5 on every query set, each over its catalogue; no query is printed, so
    held-out sets stay unseen."""
    sets = [(SHARED / "queries.public.yaml", "corpus")]
    sets += [
        (path, "demo" if path.stem.startswith("demo") else "corpus")
        for path in sorted((ROOT / "bench" / "queries").glob("*.yaml"))
    ]
    header = f"{'set':<14} {'queries':>7} {'ours s@3':>9} {'nDCG':>6} {'acute':>6}"
    print(f"{header} {'FTS5 s@3':>9} {'nDCG':>6}")  # noqa: T201
    for catalogue in ("corpus", "demo"):
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp)
            corpus = Corpus(import_offers(data_dir, catalogue))
            settings = Settings(DATA_DIR=data_dir, _env_file=None)
            baseline = fts5_search(corpus)
            with TestClient(create_app(settings)) as client:
                ours = api_search(client, settings, {})
                for path, on in sets:
                    if on != catalogue:
                        continue
                    queries = [q for q in load_queries(path) if q.grades]
                    s3, ndcg, rankings = evaluate(ours, queries)
                    b3, bndcg, _ = evaluate(baseline, queries)
                    acute = acute_first(rankings, queries)
                    name = path.stem.removeprefix("queries.")
                    row = f"{name:<14} {len(queries):>7} {s3:>9.3f} {ndcg:>6.3f} {acute:>6}"
                    print(f"{row} {b3:>9.3f} {bndcg:>6.3f}")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=SHARED / "queries.public.yaml")
    parser.add_argument("--catalogue", choices=("corpus", "demo"), default="corpus")
    parser.add_argument(
        "--show-failures",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="list the queries where ours misses success@3, with our top 3",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="the public set and every set under bench/queries, figures only",
    )
    args = parser.parse_args()
    if args.all:
        run_all()
        return
    queries = [q for q in load_queries(args.queries) if q.grades]

    results: dict[str, tuple[float, float, list[list[str]]]] = {}
    names: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        corpus = Corpus(import_offers(data_dir, args.catalogue))
        unknown = {i for q in queries for i in q.grades if i not in corpus.terms}
        if unknown:
            missing = ", ".join(sorted(unknown)[:3])
            sys.exit(f"{len(unknown)} judged ids are not in the {args.catalogue}: {missing}")
        settings = Settings(DATA_DIR=data_dir, _env_file=None)
        with TestClient(create_app(settings)) as client:
            results["ours"] = evaluate(api_search(client, settings, names), queries)
    results["LIKE substring"] = evaluate(like_search(corpus), queries)
    results["Whoosh AND"] = evaluate(whoosh_search(corpus, AndGroup), queries)
    results["Whoosh OR"] = evaluate(whoosh_search(corpus, OrGroup), queries)
    results["FTS5 bm25 OR"] = evaluate(fts5_search(corpus), queries)

    print(f"{len(queries)} queries from {args.queries} over the {args.catalogue}")  # noqa: T201
    crisis = [i for i, q in enumerate(queries) if q.acute]
    print(f"{'system':<16} {'success@3':>10} {'nDCG@10':>8} {'acute first':>12}")  # noqa: T201
    for system, (s3, ndcg, rankings) in results.items():
        acute = acute_first(rankings, queries)
        print(f"{system:<16} {s3:>10.3f} {ndcg:>8.3f} {acute:>12}")  # noqa: T201

    kinds = sorted({q.kind for q in queries if q.kind})
    if kinds:
        print("\nours by kind (queries, success@3, nDCG@10):")  # noqa: T201
        ours = results["ours"][2]
        for kind in kinds:
            rows = [(q, r) for q, r in zip(queries, ours, strict=True) if q.kind == kind]
            s3 = sum(success_at_3(r, q.grades) for q, r in rows) / len(rows)
            ndcg = sum(ndcg_at_10(r, q.grades) for q, r in rows) / len(rows)
            print(f"  {kind:<16} {len(rows):>3} {s3:>6.2f} {ndcg:>6.2f}")  # noqa: T201

    if args.show_failures:
        misses = [
            (q, ranked)
            for q, ranked in zip(queries, results["ours"][2], strict=True)
            if not success_at_3(ranked, q.grades)
        ]
        late = [(queries[i], results["ours"][2][i]) for i in crisis]
        late = [(q, r) for q, r in late if not r or r[0] not in q.acute]
        misses += [(q, r) for q, r in late if (q, r) not in misses]
        print(f"\nours misses success@3, or a fitting acute offer first, on {len(misses)}:")  # noqa: T201
        for q, ranked in misses:
            top = "; ".join(
                f"{names[i][:40]} [{i[:8]}, grade {q.grades.get(i, 0)}]" for i in ranked[:3]
            )
            print(f"- {q.text!r}{' ' + str(q.filters) if q.filters else ''}")  # noqa: T201
            print(f"    top 3: {top or '(no results)'}")  # noqa: T201


if __name__ == "__main__":
    main()
