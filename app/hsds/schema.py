"""The official HSDS 3.0 JSON schemas (copied into app/hsds/schemas/) as ready validators.

jsonschema-rs validates a service in microseconds, where a pure-Python validator needs about a
millisecond against these large compiled schemas; bulk imports of 10,000 offers depend on it.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


@lru_cache
def load_schema(path: str) -> dict[str, Any]:
    """A schema file below app/hsds/schemas, e.g. "compiled/service.json".

    References to sibling files ("$ref": "metadata.json") are inlined, so the schema stands
    alone: validators and our OpenAPI document need no file access or network.
    """
    folder = (SCHEMA_DIR / path).parent

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.endswith(".json") and "/" not in ref:
                return inline(json.loads((folder / ref).read_text(encoding="utf-8")))
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    schema: dict[str, Any] = inline(json.loads((SCHEMA_DIR / path).read_text(encoding="utf-8")))
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


# Keywords that only annotate a schema; leaving them out keeps its meaning and a third of its size.
_ANNOTATIONS = frozenset(
    {"description", "example", "examples", "title", "name", "constraints", "core", "path",
     "datapackage_type", "datapackage_metadata", "tabular_required"}
)  # fmt: skip


def openapi_schema(path: str) -> dict[str, Any]:
    """A schema file for embedding in our OpenAPI document, without annotation keywords.

    Keys inside `properties` are field names (a field may be called "name"), so they stay.
    """

    def strip(node: Any, in_properties: bool = False) -> Any:
        if isinstance(node, dict):
            return {
                key: strip(value, in_properties=key == "properties" and not in_properties)
                for key, value in node.items()
                if in_properties or key not in _ANNOTATIONS
            }
        if isinstance(node, list):
            return [strip(value) for value in node]
        return node

    stripped: dict[str, Any] = strip(load_schema(path))
    return stripped
