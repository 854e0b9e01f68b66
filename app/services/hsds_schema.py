"""The official HSDS 3.0 JSON schemas (copied into app/hsds_schemas/) as ready validators."""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "hsds_schemas"


@lru_cache
def validator(name: str) -> Draft202012Validator:
    """A validator for `compiled/<name>.json`, checking formats such as uuid and email."""
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / "compiled" / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def first_error(name: str, instance: object) -> str | None:
    """The first way the instance breaks the schema, as one readable line, or None."""
    error = next(iter(validator(name).iter_errors(instance)), None)
    if error is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
    return f"{where.lstrip('.') or 'service'}: {message}"
