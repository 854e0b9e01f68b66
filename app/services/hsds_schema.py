"""The official HSDS 3.0 JSON schemas (copied into app/hsds_schemas/) as ready validators.

jsonschema-rs validates a service in microseconds, where a pure-Python validator needs about a
millisecond against these large compiled schemas; bulk imports of 10,000 offers depend on it.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "hsds_schemas"


@lru_cache
def load_schema(path: str) -> dict[str, Any]:
    """A schema file below app/hsds_schemas, e.g. "compiled/service.json"."""
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / path).read_text(encoding="utf-8"))
    return schema


@lru_cache
def validator(name: str) -> Any:
    """A validator for `compiled/<name>.json`, checking formats such as uuid and email."""
    return jsonschema_rs.validator_for(load_schema(f"compiled/{name}.json"), validate_formats=True)


def first_error(name: str, instance: object) -> str | None:
    """The first way the instance breaks the schema, as one readable line, or None."""
    check = validator(name)
    if check.is_valid(instance):
        return None
    error = next(iter(check.iter_errors(instance)))
    path = error.instance_path
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
    return f"{where.lstrip('.') or 'service'}: {message}"
