"""Schedules as short Danish phrases for spreadsheets, and back.

    tirsdag 10:00-11:00
    mandag, onsdag 09:00-15:00
    mandag-fredag 09:00-15:00
    hver anden torsdag 17:00-19:00 fra 2026-11-12
    hver 3. fredag 10:00-12:00 fra 2026-11-06
    første onsdag i måneden 19:00-21:00
    sidste fredag i måneden 14:00-16:00
    2026-12-05 10:00-14:00

A recurring phrase may end with "fra YYYY-MM-DD" (first date) and "til YYYY-MM-DD" (last date).
Several schedules share one cell, separated by " | ".
"""

import re
from dataclasses import dataclass
from datetime import date

DAYS = {
    "MO": "mandag",
    "TU": "tirsdag",
    "WE": "onsdag",
    "TH": "torsdag",
    "FR": "fredag",
    "SA": "lørdag",
    "SU": "søndag",
}
_DAY_CODES = {name: code for code, name in DAYS.items()}
ORDINALS = {"1": "første", "2": "anden", "3": "tredje", "4": "fjerde", "5": "femte", "-1": "sidste"}
_ORDINAL_CODES = {name: code for code, name in ORDINALS.items()}
_TIME = r"(?P<opens>\d{1,2}:\d{2})(?:-(?P<closes>\d{1,2}:\d{2}))?"
_DATE = r"\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True)
class ScheduleFacts:
    """The parts of a schedule a phrase can carry."""

    freq: str | None = None
    interval: int | None = None
    byday: str | None = None
    dtstart: date | None = None
    until: date | None = None
    opens_at: str | None = None
    closes_at: str | None = None

    @property
    def is_event(self) -> bool:
        return self.freq is None


class ScheduleWordsError(ValueError):
    """A phrase that does not say when something happens in a way we can read."""


def to_words(facts: ScheduleFacts) -> str:
    """One schedule as a phrase; `from_words` reads it back."""
    hours = ""
    if facts.opens_at:
        hours = facts.opens_at[:5] + (f"-{facts.closes_at[:5]}" if facts.closes_at else "")
    if facts.is_event:
        day = facts.dtstart.isoformat() if facts.dtstart else ""
        return " ".join(part for part in (day, hours) if part)
    parts = [_days_to_words(facts)]
    if hours:
        parts.append(hours)
    if facts.dtstart:
        parts.append(f"fra {facts.dtstart.isoformat()}")
    if facts.until:
        parts.append(f"til {facts.until.isoformat()}")
    return " ".join(parts)


def _days_to_words(facts: ScheduleFacts) -> str:
    items = [p.strip() for p in (facts.byday or "").split(",") if p.strip()]
    if facts.freq == "MONTHLY":
        named = []
        for item in items:
            code, ordinal = item[-2:], item[:-2]
            named.append(f"{ORDINALS.get(ordinal, ordinal)} {DAYS[code]}".strip())
        return (", ".join(named) + " i måneden") if named else "hver måned"
    days = _day_list(items) if items else "hver uge"
    interval = facts.interval or 1
    if interval == 2:
        return f"hver anden {days}"
    if interval > 2:
        return f"hver {interval}. {days}"
    return days


def _day_list(codes: list[str]) -> str:
    """ "mandag-fredag" for three or more days in a row, else "mandag, onsdag"."""
    order = list(DAYS)
    positions = [order.index(code) for code in codes]
    if len(positions) >= 3 and positions == list(range(positions[0], positions[0] + len(codes))):
        return f"{DAYS[codes[0]]}-{DAYS[codes[-1]]}"
    return ", ".join(DAYS[code] for code in codes)


_EVENT = re.compile(rf"^(?P<day>{_DATE})(?:\s+{_TIME})?$")
_RECURRING = re.compile(
    rf"^(?P<days>.+?)(?:\s+{_TIME})?(?:\s+fra\s+(?P<start>{_DATE}))?(?:\s+til\s+(?P<end>{_DATE}))?$"
)


def from_words(phrase: str) -> ScheduleFacts:
    """Read one phrase; raise ScheduleWordsError saying what is wrong."""
    text = " ".join(phrase.strip().lower().split())
    if not text:
        raise ScheduleWordsError("the phrase is empty")
    event = _EVENT.match(text)
    if event:
        return ScheduleFacts(
            dtstart=_date(event["day"]),
            opens_at=_time(event["opens"]),
            closes_at=_time(event["closes"]),
        )
    match = _RECURRING.match(text)
    if not match:
        raise ScheduleWordsError(f"cannot read {phrase!r}")
    freq, interval, byday = _days_from_words(match["days"], phrase)
    start = _date(match["start"]) if match["start"] else None
    if interval and interval > 1 and start is None:
        raise ScheduleWordsError(f"{phrase!r}: say from which date, e.g. 'fra 2026-11-12'")
    return ScheduleFacts(
        freq=freq,
        interval=interval,
        byday=byday,
        dtstart=start,
        until=_date(match["end"]) if match["end"] else None,
        opens_at=_time(match["opens"]),
        closes_at=_time(match["closes"]),
    )


def _days_from_words(words: str, phrase: str) -> tuple[str, int | None, str | None]:
    if words == "hver måned":
        return "MONTHLY", None, None
    if words.endswith(" i måneden"):
        monthly = []
        for item in (p.strip() for p in words.removesuffix(" i måneden").split(",")):
            ordinal, _, day = item.partition(" ")
            if ordinal not in _ORDINAL_CODES or day not in _DAY_CODES:
                raise ScheduleWordsError(f"{phrase!r}: write e.g. 'første onsdag i måneden'")
            monthly.append(_ORDINAL_CODES[ordinal] + _DAY_CODES[day])
        return "MONTHLY", None, ",".join(monthly)
    interval = None
    every = re.match(r"^hver (anden|\d{1,4}\.) (.+)$", words)
    if every:
        interval = 2 if every[1] == "anden" else int(every[1].rstrip("."))
        words = every[2]
    if words == "hver uge":
        return "WEEKLY", interval, None
    codes: list[str] = []
    for item in (d.strip() for d in words.replace(" og ", ", ").split(",")):
        first, _, last = item.partition("-")
        for day in (first, last) if last else (first,):
            if day not in _DAY_CODES:
                raise ScheduleWordsError(f"{phrase!r}: {day!r} is not a weekday")
        if last:
            order = list(DAYS)
            start, end = order.index(_DAY_CODES[first]), order.index(_DAY_CODES[last])
            if end <= start:
                raise ScheduleWordsError(
                    f"{phrase!r}: write the days in order, e.g. 'mandag-fredag'"
                )
            codes += order[start : end + 1]
        else:
            codes.append(_DAY_CODES[first])
    return "WEEKLY", interval, ",".join(codes)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ScheduleWordsError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _time(value: str | None) -> str | None:
    if value is None:
        return None
    hours, minutes = (int(part) for part in value.split(":"))
    if hours > 24 or minutes > 59:
        raise ScheduleWordsError(f"{value!r} is not a time of day")
    return f"{hours:02d}:{minutes:02d}"
