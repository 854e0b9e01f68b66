"""The next dates of an offer, computed from its HSDS-like schedules with dateutil's rrule.

Schedules are kept in local Danish wall-clock time (a date plus "HH:MM"), so recurrences are
expanded on naive local datetimes and only then placed in Europe/Copenhagen: "every Tuesday at
10:00" stays at 10:00 across the change to and from summer time.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from typing import Literal

from dateutil import rrule

from app.config import TIMEZONE
from app.models import Schedule

# How far ahead we look: a rule whose next date is further away is as good as none. It does not
# bound the work: rrule looks for a match up to the year 9999 before it gives up on a rule that
# can never match (e.g. the 30th that is also the first Monday of the year), so such a search
# costs a noticeable fraction of a second. `_rule_starts` caches it per day instead.
HORIZON = timedelta(days=2 * 366)
# How many starts to ask the cache for first; more are fetched when the caller wants them.
_FIRST_BATCH = 8

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
    params = _rule_params(schedule, opens, now, first_day)
    if params is None:
        return
    search_from = datetime.combine(now.date() - timedelta(days=1), time(0))
    # Ask for a batch and, while the caller keeps taking, for a bigger one: each batch is cached,
    # so the same rule on the same day costs its search once per process.
    given, wanted = 0, _FIRST_BATCH
    while True:
        starts = _rule_starts(params, search_from, wanted)
        yield from starts[given:]
        if len(starts) < wanted:
            return
        given, wanted = len(starts), wanted * 4


# An rrule's parameters as hashable values: freq, dtstart, interval, wkst, count, byweekday and
# bymonthday, in that order.
_RuleParams = tuple[
    Literal[0, 1, 2, 3, 4, 5, 6],
    datetime,
    int,
    rrule.weekday | None,
    int | None,
    tuple[rrule.weekday, ...] | None,
    tuple[int, ...] | None,
]


@lru_cache(maxsize=2048)
def _rule_starts(params: _RuleParams, search_from: datetime, wanted: int) -> tuple[datetime, ...]:
    """The first `wanted` starts of the rule from `search_from` on, ending early once they pass
    the horizon (counted from the day after `search_from`, the latest `now` that maps to it)."""
    freq, dtstart, interval, wkst, count, byweekday, bymonthday = params
    try:
        rule = rrule.rrule(
            freq,
            dtstart=dtstart,
            interval=interval,
            wkst=wkst,
            count=count,
            byweekday=byweekday,
            bymonthday=bymonthday,
        )
    except (ValueError, TypeError):
        return ()
    stop = search_from + timedelta(days=2) + HORIZON
    found: list[datetime] = []
    try:
        for start in rule.xafter(search_from, inc=True):
            if start > stop:
                break
            found.append(start)
            if len(found) >= wanted:  # asking for one more could mean a long search
                break
    except (ValueError, OverflowError):  # a date past the year 9999
        pass
    return tuple(found)


def _rule_params(
    schedule: Schedule, opens: time, now: datetime, first_day: date | None
) -> _RuleParams | None:
    """The schedule's rule as hashable parameters, or None when it cannot be understood."""
    freq = _FREQS.get((schedule.freq or "").upper())
    if freq is None:
        return None
    # Without a first date the rule is anchored at the start of its validity or the current
    # week; only rules with an interval above 1 depend on the anchor, and those carry dtstart.
    anchor = schedule.dtstart or first_day or now.date() - timedelta(days=now.weekday() + 7)
    try:
        byweekday = _weekdays(schedule.byday, yearly=freq == rrule.YEARLY)
        bymonthday = _numbers(schedule.bymonthday)
    except ValueError:
        return None
    return (
        freq,
        datetime.combine(anchor, opens),
        schedule.interval or 1,
        _WEEKDAYS.get((schedule.wkst or "").upper()),
        # `until` is applied by the caller, together with valid_to.
        schedule.count or None,
        tuple(byweekday) if byweekday else None,
        tuple(bymonthday) if bymonthday else None,
    )


def _weekdays(byday: str | None, *, yearly: bool = False) -> list[rrule.weekday] | None:
    """ "TU,TH" or "2TH" or "-1FR" as rrule weekdays; an unknown part makes the rule unusable.
    An ordinal counts weeks in the month (up to 5) or, in a yearly rule, in the year (up to 53)."""
    if not byday:
        return None
    limit = 53 if yearly else 5
    days = []
    for part in filter(None, (p.strip().upper() for p in byday.split(","))):
        code, ordinal = part[-2:], part[:-2]
        if code not in _WEEKDAYS:
            raise ValueError(f"unknown weekday {part!r}")
        if not ordinal:
            days.append(_WEEKDAYS[code])
            continue
        n = int(ordinal)
        if n == 0 or abs(n) > limit:
            raise ValueError(f"no such week {part!r}")
        days.append(_WEEKDAYS[code](n))
    return days or None


def _numbers(value: str | None) -> list[int] | None:
    """ "1,15,-1" as days of the month; 0 or a day no month has makes the rule unusable."""
    if not value:
        return None
    days = [int(p) for p in value.split(",") if p.strip()]
    if any(d == 0 or abs(d) > 31 for d in days):
        raise ValueError(f"no such day of the month {value!r}")
    return days or None


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
