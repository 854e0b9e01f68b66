"""Offers in from Open Referral HSDS 3.0 services: read, validate, then upsert by HSDS id.

Everything is checked before anything is written, and the caller runs the writes in one
transaction, so a bad file changes nothing. Every id that comes in is kept. Terms of our own
taxonomies are matched by taxonomy + code; terms of other taxonomies are kept as they come.
Staff-only facts are only written when the caller passes them (the YAML catalogue does; an HSDS
import never does).
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.catalogue.errors import CatalogueError
from app.catalogue.rules import RuleError, check_service, check_texts
from app.catalogue.taxonomy import Vocabulary
from app.hsds.bulk_writer import BulkWriter
from app.hsds.rows import STATE_FOR_STATUS
from app.hsds.schema import first_error
from app.models import (
    OfferState,
)

# Services written per flush: large enough for batched INSERTs, small enough to keep memory flat.
_CHUNK = 250


@dataclass
class IncomingService:
    """One HSDS service to upsert, with how errors should name it."""

    data: dict[str, Any]
    label: str
    state: OfferState | None = None
    staff: dict[str, str | None] | None = None
    source: str = "hsds"


@dataclass
class ImportResult:
    """What an import did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    ids: list[str] = field(default_factory=list)


def read_hsds_file(path: Path) -> list[IncomingService]:
    """Read a JSON array of HSDS services, or a paginated envelope with `contents`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read the file ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            f"{path}: the file is not UTF-8 text (invalid byte at position {exc.start})"
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except RecursionError:
        raise CatalogueError(f"{path}: the JSON is nested too deeply") from None
    except ValueError as exc:  # a number of more than 4,300 digits
        raise CatalogueError(f"{path}: not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if not isinstance(data, list):
        raise CatalogueError(
            f"{path}: expected a JSON array of HSDS services or an envelope with 'contents'"
        )
    items = []
    for index, service in enumerate(data, start=1):
        items.append(IncomingService(data=service, label=_label(path.name, index, service)))
    return items


def _label(source: str, index: int, service: object) -> str:
    if not isinstance(service, dict):
        return f"{source}: service {index}"
    name = service.get("name")
    quoted = json.dumps(name, ensure_ascii=False)
    return f"{source}: service {index} (id {service.get('id')}, {quoted})"


def validate_services(items: list[IncomingService], vocabulary: Vocabulary) -> None:
    """Check every service before anything is written; raise on the first problem."""
    seen: dict[str, str] = {}
    for item in items:
        problem = first_error("service", item.data)
        if problem:
            raise CatalogueError(f"{item.label}: {problem}")
        service = item.data
        try:
            check_service(service)
            if item.staff is not None:
                check_texts(item.staff, "staff")
        except RuleError as exc:
            raise CatalogueError(f"{item.label}: {exc}") from None
        if service["id"] in seen:
            raise CatalogueError(
                f"{item.label}: the id is used twice (also by {seen[service['id']]})"
            )
        seen[service["id"]] = item.label
        if not service.get("organization") and not service.get("organization_id"):
            raise CatalogueError(f"{item.label}: the service has no organization")
        if service["status"] not in STATE_FOR_STATUS:
            raise CatalogueError(f"{item.label}: unknown status {service['status']!r}")
        for where, attribute in _attributes(service):
            _check_attribute(item.label, where, attribute, vocabulary)
        for key in ("minimum_age", "maximum_age"):
            if key in service and service[key] != int(service[key]):
                raise CatalogueError(f"{item.label}: {key}: {service[key]} is not a whole number")


def _attributes(service: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for index, attribute in enumerate(service.get("attributes", [])):
        yield f"attributes[{index}]", attribute
    for index, attribute in enumerate((service.get("organization") or {}).get("attributes", [])):
        yield f"organization.attributes[{index}]", attribute


def _check_attribute(
    label: str, where: str, attribute: dict[str, Any], vocabulary: Vocabulary
) -> None:
    term = attribute.get("taxonomy_term")
    if term is None:
        if not attribute.get("taxonomy_term_id"):
            raise CatalogueError(f"{label}: {where}: the attribute has no taxonomy term")
        return
    taxonomy = term.get("taxonomy")
    if taxonomy in vocabulary.taxonomies:
        code = term.get("code")
        if vocabulary.term(taxonomy, code or "") is None:
            known = ", ".join(vocabulary.codes(taxonomy))
            raise CatalogueError(
                f"{label}: {where}: unknown code {code!r} in taxonomy {taxonomy!r} (known: {known})"
            )


def upsert_services(
    *,
    session: Session,
    items: list[IncomingService],
    vocabulary: Vocabulary,
    on_progress: Callable[[], None] | None = None,
) -> ImportResult:
    """Validate, then insert or update every service by its HSDS id. The caller commits."""
    validate_services(items, vocabulary)
    writer = BulkWriter(session, vocabulary)
    result = ImportResult()
    for start in range(0, len(items), _CHUNK):
        chunk = items[start : start + _CHUNK]
        try:
            outcome = writer.write(chunk)
        except SQLAlchemyError as exc:
            reason = str(exc.orig if hasattr(exc, "orig") else exc).splitlines()[0]
            where = f"{chunk[0].label} … {chunk[-1].label}" if len(chunk) > 1 else chunk[0].label
            raise CatalogueError(f"{where}: the database refused it ({reason})") from exc
        for item in chunk:
            setattr(result, outcome[item.data["id"]], getattr(result, outcome[item.data["id"]]) + 1)
            result.ids.append(item.data["id"])
            if on_progress:
                on_progress()
    return result
