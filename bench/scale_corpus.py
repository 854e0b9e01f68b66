"""Scale the HSDS test corpus to N offers with new ids, for bulk and search benchmarks.

    python bench/scale_corpus.py 10000 /tmp/corpus-10k.json [--corpus PATH]

Copy k of every offer gets fresh ids for itself and all its parts (uuid5 of the original id and
k, so runs are repeatable); organizations, locations and taxonomy terms stay shared, as they would
in a real, larger catalogue. Copies after the first get a numbered name.
"""

import argparse
import json
import uuid
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/eval/corpus.hsds.json"
# Parts of a service whose ids belong to that service alone.
OWN_PARTS = ("phones", "schedules", "languages", "cost_options", "contacts", "attributes")


def _new_id(old: str, copy: int) -> str:
    return str(uuid.uuid5(uuid.UUID(old), f"copy/{copy}"))


def scale(services: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """N services: the originals first, then renumbered copies."""
    result = []
    for index in range(n):
        copy, original = divmod(index, len(services))
        service = json.loads(json.dumps(services[original]))
        if copy:
            old_id = service["id"]
            service["id"] = _new_id(old_id, copy)
            service["name"] = f"{service['name']} ({copy + 1})"
            for part in OWN_PARTS:
                for row in service.get(part, []):
                    row["id"] = _new_id(row["id"], copy)
                    for key in ("service_id", "link_id"):
                        if row.get(key) == old_id:
                            row[key] = service["id"]
            for link in service.get("service_at_locations", []):
                link["id"] = _new_id(link["id"], copy)
                link["service_id"] = service["id"]
        result.append(service)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    services = json.loads(args.corpus.read_text(encoding="utf-8"))
    args.out.write_text(json.dumps(scale(services, args.n), ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.n} services to {args.out}")  # noqa: T201


if __name__ == "__main__":
    main()
