"""One set of rules for what comes in, whatever the way in (HSDS, sheet, YAML, forms, API).

`check_service` normalises an HSDS-shaped service in place (NFC, no zero-width characters or
soft hyphens) and refuses what the rest of the system cannot take: text that is too long or
carries control or direction-override characters, links with schemes other than http(s),
times, dates, ages, coordinates and schedule numbers outside sensible ranges. Python checks
every rule, so SQLite and PostgreSQL refuse the same records.

A refusal names the field and the rule; `RuleError.rule` is an English message with
placeholders, so a page can show it in the reader's language.
"""

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.catalogue.errors import CatalogueError

# Removed, not refused: invisible, and people paste them from word processors.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# Direction overrides and isolates can make a text read differently from what it says.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\t\n\r")

LONG_TEXT = 20_000
SHORT_TEXT = 500
NAME = 300
URL = 2_000
EMAIL = 254
ID = 36

# Keys whose values are running text (descriptions, how to apply, notes).
_LONG_KEYS = frozenset(
    {
        "description",
        "application_process",
        "fees_description",
        "eligibility_description",
        "notes",
        "note",
        "transportation",
        "amount_description",
        "referral_procedure",
        "professional_contact",
        "internal_note",
        "accreditations",
        "licenses",
        "details",
    }
)
_URL_KEYS = frozenset({"url", "website", "schedule_link", "term_uri", "uri"})
_NAME_KEYS = frozenset({"name", "alternate_name", "title", "department", "attention"})
# Shorter limits where the database column is shorter, found by the key and its parent list.
_LIMITS = {
    "email": EMAIL, "number": 100, "extension": 20, "type": 20, "postal_code": 20,
    "country": 2, "currency": 3, "wkst": 2, "freq": 10, "byday": 100, "bymonthday": 100,
    "byweekno": 100, "byyearday": 100, "opens_at": 20, "closes_at": 20, "code": 200,
    "language": 10, "location_type": 20, "address_type": 20, "city": 200, "region": 200,
    "state_province": 200, "taxonomy": 200, "attending_type": 100, "option": 500,
    "value": 2_000, "link_type": 200, "status": 50,
}  # fmt: skip
_NESTED_LIMITS = {("languages", "name"): 200, ("languages", "code"): 20,
                  ("taxonomy_detail", "name"): 200}  # fmt: skip

_AGE = (0, 120)
_DATES = (date(1970, 1, 1), date(2199, 12, 31))
_TIME = re.compile(r"(?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:Z|[+-]\d{2}:?\d{2})?")
_BYDAY = re.compile(r"(?:[+-]?[1-9]\d?)?(?:MO|TU|WE|TH|FR|SA|SU)")
_DAY_LISTS = {"bymonthday": 31, "byweekno": 53, "byyearday": 366}
_SCHEDULE_NUMBERS = {"interval": (1, 100), "count": (1, 1_000)}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass
class RuleError(CatalogueError):
    """A value that breaks a rule: where it is, and the rule as a message with placeholders."""

    where: str
    rule: str
    values: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(f"{self.where}: {self.rule.format(**self.values)}")


def clean_text(value: str, where: str, *, limit: int, multiline: bool) -> str:
    """The text in NFC without invisible characters; refused when it is too long or carries
    control or direction-override characters."""
    text = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    for char in text:
        if char in _BIDI:
            raise RuleError(
                where,
                "contains a direction-override character (U+{code})",
                {"code": f"{ord(char):04X}"},
            )
        if char in _LINE_BREAKS:
            if multiline or char == "\t":
                continue
            raise RuleError(where, "contains a line break")
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or char in "\ufffe\uffff":
            raise RuleError(
                where, "contains a control character (U+{code})", {"code": f"{ord(char):04X}"}
            )
    if len(text) > limit:
        raise RuleError(
            where,
            "is {length} characters long; at most {limit} are allowed",
            {"length": len(text), "limit": limit},
        )
    return text


def check_web_url(value: str, where: str) -> None:
    """Only absolute http and https links."""
    match = _SCHEME.match(value)
    scheme = match.group(1).lower() if match else ""
    if scheme not in ("http", "https") or not value[len(scheme) + 1 :].startswith("//"):
        raise RuleError(where, "is not a web address starting with http:// or https://")
    if any(char.isspace() for char in value):
        raise RuleError(where, "is a web address with spaces in it")


def _limit(key: str, parent: str) -> tuple[int, bool]:
    if (parent, key) in _NESTED_LIMITS:
        return _NESTED_LIMITS[(parent, key)], False
    if key in _LONG_KEYS:
        return LONG_TEXT, True
    if key in _URL_KEYS:
        return URL, False
    if key == "id" or key.endswith("_id"):
        return ID, False
    if key in _NAME_KEYS:
        return NAME, False
    return _LIMITS.get(key, SHORT_TEXT), False


# No real service nests deeper (service → locations → addresses → attributes …).
MAX_DEPTH = 12


def _walk(node: Any, where: str, parent: str) -> Iterator[tuple[dict[str, Any], str, str, str]]:
    """Every (dict, key, where, parent list name) holding a value, depth first, without
    recursion; deeper nesting than MAX_DEPTH is refused."""
    stack: list[tuple[Any, str, str, int]] = [(node, where, parent, 0)]
    while stack:
        current, path, list_name, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RuleError(path, "is nested too deeply")
        if not isinstance(current, dict):
            continue
        children = []
        for key, value in current.items():
            here = f"{path}.{key}" if path else str(key)
            yield current, str(key), here, list_name
            if isinstance(value, dict):
                children.append((value, here, str(key), depth + 1))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    children.append((item, f"{here}[{index}]", str(key), depth + 1))
        stack.extend(reversed(children))


# Texts that must say something once invisible characters are gone: the offer's name and
# description, its organisation's name, a phone number.
_NOT_BLANK = frozenset({"name", "description", "organization.name"})


def visible_text(value: str) -> str:
    """The text as a reader sees it: NFC, without invisible characters, stripped."""
    return unicodedata.normalize("NFC", value).translate(_INVISIBLE).strip()


def check_service(service: dict[str, Any]) -> None:
    """Normalise the texts of one HSDS service in place and check every rule; raise RuleError."""
    for owner, key, where, parent in _walk(service, "", ""):
        value = owner[key]
        if isinstance(value, str):
            limit, multiline = _limit(key, parent)
            owner[key] = value = clean_text(value, where, limit=limit, multiline=multiline)
            if not value.strip() and (where in _NOT_BLANK or (parent, key) == ("phones", "number")):
                raise RuleError(where, "is empty")
            _check_string(key, value, where)
        elif isinstance(value, float | int) and not isinstance(value, bool):
            _check_number(key, value, where, parent)
    _check_ages(service)


def check_texts(values: dict[str, Any], where: str = "") -> None:
    """Normalise and check a flat dict of running texts (staff facts) in place."""
    for key, value in values.items():
        if isinstance(value, str):
            path = f"{where}.{key}" if where else key
            values[key] = clean_text(value, path, limit=LONG_TEXT, multiline=True)


def _check_string(key: str, value: str, where: str) -> None:
    if key in _URL_KEYS and value:
        check_web_url(value, where)
    elif key == "email" and value and not _EMAIL.fullmatch(value):
        raise RuleError(where, "is not an e-mail address")
    elif key in ("opens_at", "closes_at") and value:
        _check_time(value, where)
    elif key == "byday" and value:
        for part in value.upper().split(","):
            if not _BYDAY.fullmatch(part.strip()):
                raise RuleError(
                    where, "{part!r} is not a weekday such as MO, 2TU or -1FR", {"part": part}
                )
    elif key in _DAY_LISTS and value:
        _check_day_list(value, where, _DAY_LISTS[key])
    elif key in ("dtstart", "until", "valid_from", "valid_to", "assured_date") and value:
        _check_date(value, where)


def _check_time(value: str, where: str) -> None:
    match = _TIME.fullmatch(value)
    if match is None:
        raise RuleError(where, "{value!r} is not a time of day (HH:MM)", {"value": value})
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    midnight = (hour, minute, second) == (24, 0, 0)
    if not midnight and (hour > 23 or minute > 59 or second > 59):
        raise RuleError(where, "{value!r} is not a time of day (HH:MM)", {"value": value})


def _check_day_list(value: str, where: str, highest: int) -> None:
    for part in value.split(","):
        try:
            number = int(part.strip())
        except ValueError:
            number = 0
        if number == 0 or abs(number) > highest:
            raise RuleError(
                where,
                "{part!r} is not a number from 1 to {highest} (or -1 to -{highest})",
                {"part": part, "highest": highest},
            )


def _check_date(value: str, where: str) -> None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise RuleError(where, "{value!r} is not a date (YYYY-MM-DD)", {"value": value}) from None
    if not _DATES[0] <= day <= _DATES[1]:
        raise RuleError(
            where,
            "{value} is outside the years {first} to {last}",
            {"value": value, "first": _DATES[0].year, "last": _DATES[1].year},
        )


def _check_number(key: str, value: float, where: str, parent: str) -> None:
    if not math.isfinite(value):
        raise RuleError(where, "is not a number")
    bounds: tuple[float, float] | None = None
    if key in ("minimum_age", "maximum_age"):
        bounds = _AGE
    elif key == "latitude":
        bounds = (-90, 90)
    elif key == "longitude":
        bounds = (-180, 180)
    elif parent == "schedules" and key in _SCHEDULE_NUMBERS:
        bounds = _SCHEDULE_NUMBERS[key]
    elif key == "amount":
        bounds = (0, 10_000_000)
    elif key == "timezone":
        bounds = (-14, 14)
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise RuleError(
            where,
            "{value} is outside {low} to {high}",
            {"value": value, "low": bounds[0], "high": bounds[1]},
        )


def _check_ages(service: dict[str, Any]) -> None:
    low, high = service.get("minimum_age"), service.get("maximum_age")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        raise RuleError(
            "minimum_age", "is above maximum_age ({low} > {high})", {"low": low, "high": high}
        )
