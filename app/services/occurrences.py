"""The next dates of an offer, computed from its HSDS-like schedules with dateutil's rrule.

Schedules are kept in local Danish wall-clock time (a date plus "HH:MM"), so recurrences are
expanded on naive local datetimes and only then placed in Europe/Copenhagen: "every Tuesday at
10:00" stays at 10:00 across the change to and from summer time.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil import rrule

from app.models import Schedule

TIMEZONE = ZoneInfo("Europe/Copenhagen")

# How far ahead we look: a rule whose next date is further away is as good as none, and the cap
# keeps a rule that can never match (e.g. the 5th Friday of February) from running for long.
HORIZON = timedelta(days=2 * 366)

_FREQS: dict[str, Literal[0, 1, 2, 3, 4, 5, 6]] = {
    "YEARLY": rrule.YEARLY,
    "MONTHLY": rrule.MONTHLY,
    "WEEKLY": rrule.WEEKLY,
    "DAILY": rrule.DAILY,
}
_WEEKDAYS = {
    "MO": rrule.MO,
    "TU": rrule.TU,
    "WE": rrule.WE,
    "TH": rrule.TH,
    "FR": rrule.FR,
    "SA": rrule.SA,
    "SU": rrule.SU,
}


@dataclass(frozen=True)
class Occurrence:
    """One time an offer happens; aware datetimes in Europe/Copenhagen. `end` is None when the
    schedule gives no closing time."""

    start: datetime
    end: datetime | None


def next_occurrences(
    schedules: Sequence[Schedule], *, now: datetime, limit: int
) -> list[Occurrence]:
    """The next `limit` occurrences of all schedules together, sorted by start. An occurrence
    that has started but not yet ended counts. Schedules that cannot be understood are skipped."""
    if limit <= 0:
        return []
    local_now = _local(now)
    # Each schedule gives at most `limit` in order; a set drops a date two schedules share.
    found = {o for s in schedules for o in islice(_occurrences(s, local_now), limit)}
    return sorted(found, key=lambda o: (o.start, o.end or o.start))[:limit]


def _local(moment: datetime) -> datetime:
    # A naive moment is taken as Danish wall-clock time.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TIMEZONE)
    return moment.astimezone(TIMEZONE)


def _occurrences(schedule: Schedule, now: datetime) -> Iterator[Occurrence]:
    """This schedule's occurrences that have not ended yet, in order."""
    opens = _clock(schedule.opens_at)
    closes = _clock(schedule.closes_at)
    first_day = schedule.valid_from
    last_day = _earliest(schedule.valid_to, schedule.until)
    if last_day is not None and last_day < now.date() - timedelta(days=1):
        return
    horizon = (now + HORIZON).replace(tzinfo=None)
    for start in _starts(schedule, opens or time(0), now, first_day):
        if start > horizon or (last_day is not None and start.date() > last_day):
            return
        if first_day is not None and start.date() < first_day:
            continue
        occurrence = _occurrence(start, opens, closes)
        if _still_relevant(occurrence, has_time=opens is not None, now=now):
            yield occurrence


def _starts(
    schedule: Schedule, opens: time, now: datetime, first_day: date | None
) -> Iterator[datetime]:
    """Naive local start times from the day before `now` on (to catch one still going on)."""
    if schedule.freq is None:
        day = schedule.dtstart or schedule.valid_from
        if day is not None:
            yield datetime.combine(day, opens)
        return
    rule = _rule(schedule, opens, now, first_day)
    if rule is None:
        return
    search_from = datetime.combine(now.date() - timedelta(days=1), time(0))
    yield from rule.xafter(search_from, inc=True)


def _rule(
    schedule: Schedule, opens: time, now: datetime, first_day: date | None
) -> rrule.rrule | None:
    freq = _FREQS.get((schedule.freq or "").upper())
    if freq is None:
        return None
    # Without a first date the rule is anchored at the start of its validity or the current
    # week; only rules with an interval above 1 depend on the anchor, and those carry dtstart.
    anchor = schedule.dtstart or first_day or now.date() - timedelta(days=now.weekday() + 7)
    try:
        return rrule.rrule(
            freq,
            dtstart=datetime.combine(anchor, opens),
            interval=schedule.interval or 1,
            wkst=_WEEKDAYS.get((schedule.wkst or "").upper()),
            # `until` is applied by the caller, together with valid_to.
            count=schedule.count or None,
            byweekday=_weekdays(schedule.byday),
            bymonthday=_numbers(schedule.bymonthday),
        )
    except (ValueError, TypeError):
        return None


def _weekdays(byday: str | None) -> list[rrule.weekday] | None:
    """ "TU,TH" or "2TH" or "-1FR" as rrule weekdays; an unknown part makes the rule unusable."""
    if not byday:
        return None
    days = []
    for part in filter(None, (p.strip().upper() for p in byday.split(","))):
        code, ordinal = part[-2:], part[:-2]
        if code not in _WEEKDAYS:
            raise ValueError(f"unknown weekday {part!r}")
        days.append(_WEEKDAYS[code](int(ordinal)) if ordinal else _WEEKDAYS[code])
    return days or None


def _numbers(value: str | None) -> list[int] | None:
    if not value:
        return None
    return [int(p) for p in value.split(",") if p.strip()] or None


def _clock(value: str | None) -> time | None:
    """ "HH:MM" or "HH:MM:SS" (an HSDS time may carry an offset, which we ignore) or None."""
    if not value:
        return None
    try:
        hour, minute, *_ = value[:8].split(":")
        return time(int(hour), int(minute))
    except ValueError:
        return None


def _earliest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def _occurrence(start: datetime, opens: time | None, closes: time | None) -> Occurrence:
    end = None
    if opens is not None and closes is not None:
        end = datetime.combine(start.date(), closes)
        if closes <= opens:  # open past midnight
            end += timedelta(days=1)
    return Occurrence(
        start=start.replace(tzinfo=TIMEZONE),
        end=end.replace(tzinfo=TIMEZONE) if end is not None else None,
    )


def _still_relevant(occurrence: Occurrence, *, has_time: bool, now: datetime) -> bool:
    if occurrence.end is not None:
        return occurrence.end > now
    if has_time:
        return occurrence.start >= now
    # A day without hours lasts the whole day.
    return occurrence.start.date() >= now.date()
