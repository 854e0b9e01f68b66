"""The catalogue as a spreadsheet: one row per offer, Danish column headers.

Export writes UTF-8 with a byte-order mark and ";" between columns, which Danish Excel opens as
it is. Import also reads "," and Windows-1252 (and says so). Lists in a cell are separated by
" | ". An imported row updates the offer with that id and leaves what the sheet has no column
for (languages, prices as amounts, other taxonomies) as it was; a row without an id gets one
derived from its name and organisation, so importing the same sheet twice changes nothing.

A cell a spreadsheet would run as a formula (starting with "=", "+", "-", "@", a tab or a
carriage return) is written with a leading apostrophe, and import takes exactly that apostrophe
off again. Export refuses what its own import would refuse (a cell over `MAX_CELL_CHARS`, a
value against the catalogue's rules), so every sheet it writes imports again.
"""

import copy
import csv
import io
import math
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app.catalogue.errors import CatalogueError
from app.catalogue.loading import offer_load_options
from app.catalogue.rules import RuleError, check_service
from app.catalogue.taxonomy import Vocabulary
from app.exchange.schedule_words import ScheduleFacts, ScheduleWordsError, from_words, to_words
from app.hsds.build import place, term_attribute
from app.hsds.export import iter_public_services, service_to_hsds
from app.hsds.importer import IncomingService
from app.models import Offer, Organization

SEPARATOR = " | "
# The sheet's columns, in order; "status" is ours, so a closed offer stays closed.
COLUMNS = (
    "id", "navn", "beskrivelse", "sådan kommer du i gang", "organisation", "udbyder", "tema",
    "målgruppe", "kanal", "adgang", "pris", "min. alder", "maks. alder", "lovgrundlag",
    "adresse", "postnr.", "by", "breddegrad", "længdegrad", "telefon", "e-mail", "web", "tider",
    "sidst bekræftet", "status",
)  # fmt: skip
TERM_COLUMNS = {"udbyder": "udbyder", "tema": "tema", "målgruppe": "maalgruppe",
                "kanal": "kanal", "adgang": "adgang"}  # fmt: skip
STATUS_WORDS = {"active": "aktiv", "temporarily closed": "midlertidigt lukket"}
_STATUS_FROM_WORD = {word: status for status, word in STATUS_WORDS.items()}
_ROW_NAMESPACE = uuid.UUID("3b9e2f64-8a1c-4d7e-9f20-5c6b7a8d9e0f")
# The longest cell import reads (the csv module's default limit, pinned here so that export
# checks the same number); export refuses a longer one rather than write an unreadable sheet.
MAX_CELL_CHARS = 131_072
# What Excel and LibreOffice run as a formula (OWASP, "CSV Injection"), after any apostrophes
# we put in front: "'=x" is written "''=x", so a value that starts with an apostrophe survives.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


@dataclass(frozen=True)
class SheetFormat:
    """How a sheet was read: its encoding and the character between columns."""

    encoding: str
    delimiter: str


# ---------------------------------------------------------------------------------- export


def export_rows(*, session: Session, vocabulary: Vocabulary) -> Iterable[dict[str, str]]:
    """Every published or temporarily closed offer as a sheet row.

    Raises CatalogueError for an offer the import would refuse (stored before the rules of
    `app/catalogue/rules.py` existed), naming it, so the sheet never says more than it can
    bring back.
    """
    for service in iter_public_services(session=session):
        try:
            check_service(copy.deepcopy(service))  # it normalises in place: leave ours be
        except RuleError as exc:
            raise CatalogueError(
                f"offer {service['id']} ({service['name']!r}): {exc}; "
                "import-csv would refuse it, so nothing was exported"
            ) from None
        yield service_row(service, vocabulary)


def write_sheet(path: Path, rows: Iterable[dict[str, str]]) -> int:
    """Write rows as UTF-8 with BOM and ';', formulas neutralised; return how many.

    Raises CatalogueError, and leaves `path` as it was, when a cell is longer than import
    reads (`MAX_CELL_CHARS`).
    """
    count = 0
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";")
            writer.writeheader()
            for row in rows:
                writer.writerow(_safe_cells(row))
                count += 1
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    return count


def escape_cell(value: str) -> str:
    """The value as a cell no spreadsheet runs as a formula: an apostrophe in front if needed.

    >>> escape_cell("=1+2")
    "'=1+2"
    >>> escape_cell("-5"), escape_cell("Gåtur")
    ("'-5", 'Gåtur')
    """
    return "'" + value if _FORMULA.match(value) else value


def unescape_cell(cell: str) -> str:
    """The value `escape_cell` wrote: one leading apostrophe off, when one was put on."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


def _safe_cells(row: dict[str, str]) -> dict[str, str]:
    cells = {column: escape_cell(value) for column, value in row.items()}
    for column, cell in cells.items():
        if len(cell) > MAX_CELL_CHARS:
            raise CatalogueError(
                f"offer {row.get('id', '?')}, column {column!r}: {len(cell)} characters, "
                f"more than the {MAX_CELL_CHARS} import-csv reads in one cell; "
                "nothing was exported"
            )
    return cells


def service_row(service: dict[str, Any], vocabulary: Vocabulary) -> dict[str, str]:
    """An HSDS service as a sheet row: Danish column → cell text."""

    def labels(attributes: list[dict[str, Any]], taxonomy: str) -> str:
        codes = [a["taxonomy_term"]["code"] for a in attributes if a["link_type"] == taxonomy]
        return SEPARATOR.join(_label(vocabulary, taxonomy, code) for code in codes)

    places = [sal["location"] for sal in service.get("service_at_locations", [])]
    addresses = [(place.get("addresses") or [{}])[0] for place in places]
    organization = service["organization"]
    return {
        "id": service["id"],
        "navn": service["name"],
        "beskrivelse": service.get("description", ""),
        "sådan kommer du i gang": service.get("application_process", ""),
        "organisation": organization["name"],
        "udbyder": labels(organization.get("attributes", []), "udbyder"),
        "tema": labels(service["attributes"], "tema"),
        "målgruppe": labels(service["attributes"], "maalgruppe"),
        "kanal": labels(service["attributes"], "kanal"),
        "adgang": labels(service["attributes"], "adgang"),
        "pris": service.get("fees_description", ""),
        "min. alder": _text(service.get("minimum_age")),
        "maks. alder": _text(service.get("maximum_age")),
        "lovgrundlag": service.get("eligibility_description", ""),
        "adresse": SEPARATOR.join(a.get("address_1", "") for a in addresses),
        "postnr.": SEPARATOR.join(a.get("postal_code", "") for a in addresses),
        "by": SEPARATOR.join(a.get("city", "") for a in addresses),
        "breddegrad": SEPARATOR.join(_text(p.get("latitude")) for p in places),
        "længdegrad": SEPARATOR.join(_text(p.get("longitude")) for p in places),
        "telefon": SEPARATOR.join(p["number"] for p in service.get("phones", [])),
        "e-mail": service.get("email", ""),
        "web": service.get("url", ""),
        "tider": SEPARATOR.join(to_words(_facts(s)) for s in service.get("schedules", [])),
        "sidst bekræftet": service.get("assured_date", ""),
        "status": STATUS_WORDS.get(service["status"], service["status"]),
    }


def _label(vocabulary: Vocabulary, taxonomy: str, code: str) -> str:
    term = vocabulary.term(taxonomy, code)
    return term.da if term else code


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _facts(schedule: dict[str, Any]) -> ScheduleFacts:
    def day(key: str) -> date | None:
        return date.fromisoformat(schedule[key]) if schedule.get(key) else None

    return ScheduleFacts(
        freq=schedule.get("freq"),
        interval=schedule.get("interval"),
        byday=schedule.get("byday"),
        dtstart=day("dtstart"),
        until=day("until"),
        opens_at=schedule.get("opens_at"),
        closes_at=schedule.get("closes_at"),
    )


# ---------------------------------------------------------------------------------- import


def read_sheet(path: Path) -> tuple[SheetFormat, list[dict[str, str]]]:
    """The rows of a sheet, with its encoding and delimiter detected."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read the file ({exc.strerror})") from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = raw[3:].decode("utf-8", errors="strict"), "UTF-8"
    else:
        try:
            text, encoding = raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding = raw.decode("cp1252", errors="replace"), "Windows-1252"
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    # The limit is the csv module's, global to the process: set ours while reading.
    limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        fields = [name.strip() for name in reader.fieldnames or []]
        unknown = [name for name in fields if name.lower() not in COLUMNS]
        if unknown:
            raise CatalogueError(f"{path.name}: row 1: unknown column {unknown[0]!r}")
        for required in ("navn", "organisation"):
            if required not in (name.lower() for name in fields):
                raise CatalogueError(f"{path.name}: row 1: the column {required!r} is missing")
        reader.fieldnames = [name.lower() for name in fields]
        rows = []
        for row in reader:
            if None in row:
                line = reader.line_num
                raise CatalogueError(f"{path.name}: row {line}: more cells than columns")
            rows.append({key: unescape_cell((value or "").strip()) for key, value in row.items()})
    except csv.Error as exc:
        raise CatalogueError(f"{path.name}: row {reader.line_num}: {exc}") from exc
    finally:
        csv.field_size_limit(limit)
    return SheetFormat(encoding=encoding, delimiter=delimiter), rows


def sheet_services(
    *, session: Session, path: Path, rows: list[dict[str, str]], vocabulary: Vocabulary
) -> list[IncomingService]:
    """The rows as HSDS services: stored offers overlaid with what the sheet says."""
    ids = [row.get("id") or "" for row in rows]
    stored = {
        offer.id: service_to_hsds(offer)
        for offer in session.exec(
            select(Offer).where(col(Offer.id).in_(ids)).options(*offer_load_options())
        ).unique()
    }
    organizations = {org.name: org.id for org in session.exec(select(Organization)).all()}
    items = []
    for number, row in enumerate(rows, start=2):
        label = f"{path.name}: row {number}"
        if row.get("id"):
            label += f" (id {row['id']})"
        try:
            service = row_service(row, stored, organizations, vocabulary)
        except CellError as exc:
            raise CatalogueError(f"{label}, column {exc.column!r}: {exc}") from None
        items.append(IncomingService(data=service, label=label))
    return items


class CellError(ValueError):
    """A cell that cannot be read: its column, and the problem as an English message with
    {placeholders} (a msgid, so forms can show it in the reader's language)."""

    def __init__(self, column: str, message: str, **values: object) -> None:
        super().__init__(message.format(**values))
        self.column = column
        self.message = message
        self.values = values


def row_service(
    row: dict[str, str],
    stored: dict[str, dict[str, Any]],
    organizations: dict[str, str],
    vocabulary: Vocabulary,
) -> dict[str, Any]:
    name, org_name = row.get("navn", ""), row.get("organisation", "")
    if not name:
        raise CellError("navn", "an offer needs a name")
    if not org_name:
        raise CellError("organisation", "an offer needs an organisation")
    offer_id = row.get("id") or str(uuid.uuid5(_ROW_NAMESPACE, f"{org_name}\n{name}"))
    try:
        offer_id = str(uuid.UUID(offer_id))
    except ValueError:
        raise CellError("id", "{value!r} is not a UUID", value=offer_id) from None
    service = dict(stored.get(offer_id) or {"id": offer_id, "status": "active"})

    def put(key: str, column: str, value: Any) -> None:
        if column not in row:
            return
        if value in ("", None):
            service.pop(key, None)
        else:
            service[key] = value

    org_id = organizations.get(org_name) or str(
        uuid.uuid5(_ROW_NAMESPACE, f"organization\n{org_name}")
    )
    organization = dict(service.get("organization") or {})
    if organization.get("name") != org_name:
        organization = {"id": org_id, "name": org_name, "description": org_name, "attributes": []}
    if "udbyder" in row:
        organization["attributes"] = _attributes(
            row,
            "udbyder",
            organization["id"],
            "organization",
            vocabulary,
            organization.get("attributes", []),
        )
    service["organization"] = organization
    service["organization_id"] = organization["id"]
    service["name"] = name
    put("description", "beskrivelse", row.get("beskrivelse"))
    put("application_process", "sådan kommer du i gang", row.get("sådan kommer du i gang"))
    put("fees_description", "pris", row.get("pris"))
    put("minimum_age", "min. alder", _whole(row, "min. alder"))
    put("maximum_age", "maks. alder", _whole(row, "maks. alder"))
    put("eligibility_description", "lovgrundlag", row.get("lovgrundlag"))
    put("email", "e-mail", row.get("e-mail"))
    put("url", "web", row.get("web"))
    put("assured_date", "sidst bekræftet", _day(row, "sidst bekræftet"))
    if row.get("status"):
        if row["status"].lower() not in _STATUS_FROM_WORD:
            raise CellError("status", "write 'aktiv' or 'midlertidigt lukket'")
        service["status"] = _STATUS_FROM_WORD[row["status"].lower()]
    attributes = [
        a for a in service.get("attributes", []) if a["link_type"] not in TERM_COLUMNS.values()
    ]
    for column, taxonomy in TERM_COLUMNS.items():
        if taxonomy == "udbyder":
            continue
        if column in row:
            attributes += _attributes(
                row, column, offer_id, "service", vocabulary, service.get("attributes", [])
            )
        else:
            attributes += [a for a in service.get("attributes", []) if a["link_type"] == taxonomy]
    service["attributes"] = attributes
    if "telefon" in row:
        service["phones"] = _phones(row["telefon"], offer_id, service.get("phones", []))
    if "tider" in row:
        service["schedules"] = _schedules(row["tider"], offer_id, service.get("schedules", []))
    if "adresse" in row:
        service["service_at_locations"] = _places(
            row, offer_id, service.get("service_at_locations", [])
        )
    service.setdefault("status", "active")
    return service


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|")] if value.strip() else []


def _whole(row: dict[str, str], column: str) -> int | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise CellError(column, "{value!r} is not a whole number", value=value) from None


def _day(row: dict[str, str], column: str) -> str | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CellError(column, "{value!r} is not a date (YYYY-MM-DD)", value=value) from None


def _number(value: str, column: str) -> float:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise CellError(column, "{value!r} is not a number", value=value) from None
    if not math.isfinite(number):  # "nan", "inf"
        raise CellError(column, "{value!r} is not a number", value=value)
    return number


def _attributes(
    row: dict[str, str],
    column: str,
    owner_id: str,
    entity: str,
    vocabulary: Vocabulary,
    existing: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    taxonomy = TERM_COLUMNS[column]
    spec = vocabulary.taxonomies[taxonomy]
    kept = {a["taxonomy_term"]["code"]: a for a in existing if a.get("link_type") == taxonomy}
    result = []
    for word in _split(row[column]):
        term = next(
            (t for t in spec.terms if word.lower() in (t.code, t.da.lower(), t.en.lower())), None
        )
        if term is None:
            known = ", ".join(t.da for t in spec.terms)
            raise CellError(column, "{word!r} is not one of: {known}", word=word, known=known)
        attribute_id = str(uuid.uuid5(uuid.UUID(owner_id), f"attribute/{taxonomy}/{term.code}"))
        result.append(
            kept.get(term.code)
            or term_attribute(term, attribute_id=attribute_id, owner_id=owner_id, entity=entity)
        )
    return result


def _phones(cell: str, offer_id: str, existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept = {p["number"]: p for p in existing}
    return [
        kept.get(number)
        or {
            "id": str(uuid.uuid5(uuid.UUID(offer_id), f"phone/{number}")),
            "service_id": offer_id,
            "number": number,
        }
        for number in _split(cell)
    ]


def _schedules(cell: str, offer_id: str, existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept = {to_words(_facts(s)): s for s in existing}
    result = []
    for phrase in _split(cell):
        try:
            facts = from_words(phrase)
        except ScheduleWordsError as exc:
            raise CellError(
                "tider", "{problem}; write e.g. 'tirsdag 10:00-11:00'", problem=exc
            ) from None
        words = to_words(facts)
        if words in kept:
            result.append(kept[words])
            continue
        schedule: dict[str, Any] = {
            "id": str(uuid.uuid5(uuid.UUID(offer_id), f"schedule/{words}")),
            "service_id": offer_id,
        }
        if facts.is_event:
            day = facts.dtstart.isoformat() if facts.dtstart else None
            schedule |= {"dtstart": day, "valid_from": day, "valid_to": day}
        else:
            schedule |= {
                "freq": facts.freq,
                "byday": facts.byday,
                "interval": facts.interval,
                "dtstart": facts.dtstart.isoformat() if facts.dtstart else None,
                "until": facts.until.isoformat() if facts.until else None,
            }
        schedule |= {"opens_at": facts.opens_at, "closes_at": facts.closes_at}
        result.append({k: v for k, v in schedule.items() if v is not None})
    return result


def _places(
    row: dict[str, str], offer_id: str, existing: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    columns = ("adresse", "postnr.", "by", "breddegrad", "længdegrad")
    cells = {column: _split(row.get(column, "")) for column in columns}
    count = len(cells["adresse"])
    for column in columns[1:]:
        if column in row and len(cells[column]) not in (0, count):
            raise CellError(
                column, "give one value per address ({count}), separated by ' | '", count=count
            )
    result = []
    for i in range(count):
        address = {
            "address_1": cells["adresse"][i],
            "postal_code": cells["postnr."][i] if cells["postnr."] else "",
            "city": cells["by"][i] if cells["by"] else "",
        }
        if not address["postal_code"] or not address["city"]:
            raise CellError(
                "postnr." if not address["postal_code"] else "by",
                "an address needs a postcode and a town",
            )
        latitude = _number(cells["breddegrad"][i], "breddegrad") if cells["breddegrad"] else None
        longitude = _number(cells["længdegrad"][i], "længdegrad") if cells["længdegrad"] else None
        same = next(
            (
                link
                for link in existing
                if _same_place(link.get("location", {}), address, latitude, longitude)
            ),
            None,
        )
        if same is not None:
            result.append(same)
            continue
        location_id = str(uuid.uuid5(uuid.UUID(offer_id), f"location/{i}/{address['address_1']}"))
        result.append(
            place(
                link_id=str(uuid.uuid5(uuid.UUID(offer_id), f"at/{location_id}")),
                offer_id=offer_id,
                location_id=location_id,
                name=address["address_1"],
                street=address["address_1"],
                postcode=address["postal_code"],
                city=address["city"],
                latitude=latitude,
                longitude=longitude,
            )
        )
    return result


def _same_place(
    location: dict[str, Any],
    address: dict[str, str],
    latitude: float | None,
    longitude: float | None,
) -> bool:
    stored = (location.get("addresses") or [{}])[0]
    return (
        all(stored.get(key) == value for key, value in address.items())
        and location.get("latitude") == latitude
        and location.get("longitude") == longitude
    )
