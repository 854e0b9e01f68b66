"""Schedules in everyday words ("Hver anden torsdag kl. 17.00-19.00") in the page's language."""

from babel.dates import get_day_names

from app.i18n import UILocale
from app.models import Schedule

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def describe_schedule(schedule: Schedule, locale: UILocale) -> str:
    """One line saying when it happens, in the locale's language."""
    _ = locale.gettext
    hours = _hours(schedule, locale)
    if schedule.freq is None:
        day = schedule.dtstart or schedule.valid_from
        if day is None:
            return schedule.description or hours
        # Upper-case only the first letter: str.capitalize() would lower "December".
        text = locale.format_date(day, "full")
        return f"{text[:1].upper()}{text[1:]} {hours}".strip()
    days = _days(schedule.byday or "", locale)
    if schedule.freq == "MONTHLY":
        text = _("%(days)s in the month", days=days) if days else _("Once a month")
    elif (schedule.interval or 1) == 2:
        text = _("Every other %(days)s", days=days)
    elif (schedule.interval or 1) > 2:
        text = _("Every %(n)s. week on %(days)s", n=schedule.interval, days=days)
    elif (span := _day_span(schedule.byday or "", locale)) is not None:
        text = span if span else _("Every day")
    else:
        text = _("Every %(days)s", days=days) if days else _("Every week")
    return f"{text[:1].upper()}{text[1:]} {hours}".strip()


def _hours(schedule: Schedule, locale: UILocale) -> str:
    if schedule.opens_at and schedule.closes_at:
        if (schedule.opens_at, schedule.closes_at) == ("00:00", "23:59"):
            return locale.gettext("all day and night")
        return locale.gettext(
            "at %(opens)s-%(closes)s", opens=schedule.opens_at[:5], closes=schedule.closes_at[:5]
        )
    return ""


def _day_span(byday: str, locale: UILocale) -> str | None:
    """ "mandag til fredag" for three or more days in a row, "" for all seven, else None."""
    codes = [p.strip() for p in byday.split(",") if p.strip()]
    if len(codes) < 3 or not set(codes) <= set(_WEEKDAYS):
        return None
    positions = sorted(_WEEKDAYS.index(code) for code in codes)
    if positions != list(range(positions[0], positions[0] + len(positions))):
        return None
    if len(positions) == 7:
        return ""
    names = get_day_names("wide", locale=locale.language)
    return locale.gettext(
        "%(first)s to %(last)s", first=names[positions[0]], last=names[positions[-1]]
    )


def _days(byday: str, locale: UILocale) -> str:
    names = get_day_names("wide", locale=locale.language)
    parts = []
    for part in filter(None, (p.strip() for p in byday.split(","))):
        code, ordinal = part[-2:], part[:-2]
        if code not in _WEEKDAYS:
            continue
        name = names[_WEEKDAYS.index(code)]
        if ordinal:
            name = f"{_ordinal(ordinal, locale)} {name}"
        parts.append(name)
    if len(parts) > 1:
        return locale.gettext("%(first)s and %(last)s", first=", ".join(parts[:-1]), last=parts[-1])
    return parts[0] if parts else ""


def _ordinal(value: str, locale: UILocale) -> str:
    gettext = locale.gettext
    words = {
        "1": gettext("first"),
        "2": gettext("second"),
        "3": gettext("third"),
        "4": gettext("fourth"),
        "-1": gettext("last"),
    }
    return words.get(value, value)
