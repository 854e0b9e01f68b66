"""Reading offers for the public pages: theme counts, the newest offers, one offer ready to show
(with its next dates), and offers similar to it."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote

from babel import Locale
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.catalogue.loading import offer_load_options
from app.catalogue.occurrences import Occurrence, next_occurrences
from app.catalogue.taxonomy import Vocabulary
from app.catalogue.visibility import is_temporarily_closed, may_see, running, visible
from app.config import TIMEZONE
from app.i18n import UILocale
from app.models import (
    Location,
    Offer,
    OfferTerm,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
)
from app.portal.schedule_text import Gettext, describe_schedule


@dataclass(frozen=True)
class OfferLink:
    """An offer as a line in a list."""

    id: str
    name: str
    organization: str


@dataclass(frozen=True)
class ThemeCount:
    """A theme with the number of public offers under it."""

    code: str
    term_id: str
    count: int


def count_public_offers(*, session: Session) -> int:
    """How many offers the public can see."""
    query = select(func.count()).select_from(Offer).where(visible())
    return session.exec(query).one()


def list_themes(*, session: Session) -> list[ThemeCount]:
    """Every theme in taxonomy order, with how many public offers it has."""
    terms = session.exec(
        select(TaxonomyTerm)
        .join(Taxonomy)
        .where(Taxonomy.name == "tema")
        .order_by(col(TaxonomyTerm.position))
    ).all()
    # One counting query instead of loading every offer and its organisation.
    rows = session.exec(
        select(OfferTerm.term_id, func.count(col(Offer.id)))
        .join(Offer, col(Offer.id) == OfferTerm.offer_id)
        .where(visible())
        .group_by(col(OfferTerm.term_id))
    ).all()
    counts = dict(rows)
    return [ThemeCount(code=t.code or "", term_id=t.id, count=counts.get(t.id, 0)) for t in terms]


def list_newest(*, session: Session, limit: int = 6) -> list[OfferLink]:
    """The most recently added published offers, newest first."""
    offers = session.exec(
        select(Offer)
        .where(running())
        .order_by(col(Offer.created_at).desc(), col(Offer.name))
        .limit(limit)
    ).all()
    return [OfferLink(o.id, o.name, o.organization.name) for o in offers]


# How much a shared term counts when looking for similar offers: a theme says more than a group.
_SIMILARITY_WEIGHTS = {"tema": 2, "maalgruppe": 1}


def similar_offers(*, session: Session, offer: Offer, limit: int = 4) -> list[OfferLink]:
    """Other published offers sharing the offer's themes and target groups, most shared first.
    When the offer has themes, a similar offer shares at least one of them."""
    mine = {
        link.term_id: link.term.taxonomy.name
        for link in offer.terms
        if link.term.taxonomy.name in _SIMILARITY_WEIGHTS
    }
    if not mine:
        return []
    rows = session.exec(
        select(OfferTerm.offer_id, OfferTerm.term_id)
        .join(Offer, col(Offer.id) == OfferTerm.offer_id)
        .where(col(OfferTerm.term_id).in_(list(mine)))
        .where(Offer.id != offer.id)
        .where(running())
    ).all()
    scores: dict[str, int] = defaultdict(int)
    themed: set[str] = set()
    for offer_id, term_id in rows:
        taxonomy = mine[term_id]
        scores[offer_id] += _SIMILARITY_WEIGHTS[taxonomy]
        if taxonomy == "tema":
            themed.add(offer_id)
    if "tema" in mine.values():
        scores = {offer_id: score for offer_id, score in scores.items() if offer_id in themed}
    if not scores:
        return []
    candidates = session.exec(select(Offer).where(col(Offer.id).in_(list(scores)))).all()
    best = sorted(candidates, key=lambda o: (-scores[o.id], o.name, o.id))[:limit]
    return [OfferLink(o.id, o.name, o.organization.name) for o in best]


def get_public_offer(*, session: Session, id: str) -> Offer | None:
    """A published or temporarily closed offer with everything it shows, or None."""
    offer = session.get(Offer, id, options=offer_load_options())
    if offer is None or not may_see(offer.state):
        return None
    return offer


@dataclass(frozen=True)
class Place:
    """Where an offer happens, with a link that opens the phone's map app."""

    name: str
    street: str
    town: str
    map_url: str | None


@dataclass(frozen=True)
class PhoneLink:
    """A phone number as shown and as a tel: link."""

    display: str
    href: str

    @classmethod
    def of(cls, number: str) -> "PhoneLink":
        return cls(display=number, href="tel:" + re.sub(r"[^\d+]", "", number))


@dataclass(frozen=True)
class ScheduleLine:
    """A schedule in words, with its own Danish note (e.g. "Julefest") when it has one."""

    text: str
    note: str | None


@dataclass(frozen=True)
class DateLine:
    """One coming date: machine-readable for <time>, in words, and the schedule's own Danish
    note (e.g. "Julefest") when it has one."""

    iso: str
    text: str
    note: str | None = None


@dataclass(frozen=True)
class OfferView:
    """One offer, ready to show in the page's language."""

    id: str
    name: str
    organization: str
    organization_url: str | None
    description: str
    temporarily_closed: bool
    terms: dict[str, list[str]]
    application_process: str | None
    fees: str | None
    minimum_age: int | None
    maximum_age: int | None
    languages: list[str]
    legal_basis: str | None
    schedules: list[ScheduleLine]
    next_dates: list[DateLine]
    places: list[Place]
    phones: list[PhoneLink]
    email: str | None
    url: str | None
    assured: str | None


def offer_view(
    offer: Offer,
    *,
    vocabulary: Vocabulary,
    language: str,
    gettext: Gettext,
    now: datetime | None = None,
    dates: int = 3,
) -> OfferView:
    """The facts of an offer as the offer page shows them, with its next `dates` dates."""
    locale = UILocale(language)
    schedules = sorted(offer.schedules, key=lambda s: s.position)
    now = now or datetime.now(UTC)
    # Per schedule, so each date keeps its schedule's note.
    coming = sorted(
        (
            (occurrence, schedule.description or None)
            for schedule in schedules
            for occurrence in next_occurrences([schedule], now=now, limit=dates)
        ),
        key=lambda pair: (pair[0].start, pair[0].end or pair[0].start),
    )[:dates]
    today = now.astimezone(TIMEZONE).date()
    terms: dict[str, list[str]] = defaultdict(list)
    for link in sorted(offer.terms, key=lambda link: link.term.position):
        ours = vocabulary.term(link.term.taxonomy.name, link.term.code or "")
        label = (ours.en if language == "en" else ours.da) if ours else link.term.name
        terms[link.term.taxonomy.name].append(label)
    return OfferView(
        id=offer.id,
        name=offer.name,
        organization=offer.organization.name,
        organization_url=offer.organization.website,
        description=offer.description,
        temporarily_closed=is_temporarily_closed(offer.state),
        terms=dict(terms),
        application_process=offer.application_process,
        fees=offer.fees_description,
        minimum_age=offer.minimum_age,
        maximum_age=offer.maximum_age,
        languages=[_language_name(lang.code, lang.name, language) for lang in offer.languages],
        legal_basis=offer.eligibility_description,
        schedules=[
            _schedule_line(s, language=language, gettext=gettext)
            for s in schedules
            if not _is_over(s, today)
        ],
        next_dates=[_date_line(o, note, locale=locale, gettext=gettext) for o, note in coming],
        places=[_place(sal.location) for sal in offer.service_at_locations],
        phones=[PhoneLink.of(p.number) for p in offer.phones if not p.contact_id],
        email=offer.email,
        url=offer.url,
        assured=locale.format_date(offer.assured_date) if offer.assured_date else None,
    )


def _is_over(schedule: Schedule, today: date) -> bool:
    """A schedule whose last day has passed (an event that was, a season that ended)."""
    last = [d for d in (schedule.valid_to, schedule.until) if d is not None]
    if schedule.freq is None and schedule.dtstart is not None:
        last.append(schedule.dtstart)
    return bool(last) and min(last) < today


def _schedule_line(schedule: Schedule, *, language: str, gettext: Gettext) -> ScheduleLine:
    text = describe_schedule(schedule, language=language, gettext=gettext)
    note = schedule.description if schedule.description != text else None
    return ScheduleLine(text=text, note=note or None)


def _date_line(
    occurrence: Occurrence, note: str | None, *, locale: UILocale, gettext: Gettext
) -> DateLine:
    # The same "kl. 10:00-11:00" as the schedules in words above it, the date by Babel.
    day = locale.format_date(occurrence.start, "full")
    opens = locale.format_time(occurrence.start, "HH:mm")
    if occurrence.end is not None:
        closes = locale.format_time(occurrence.end, "HH:mm")
        hours = gettext("at %(opens)s-%(closes)s") % {"opens": opens, "closes": closes}
    else:
        hours = gettext("at %(time)s") % {"time": opens}
    text = f"{day} {hours}"
    return DateLine(iso=occurrence.start.isoformat(), text=text[:1].upper() + text[1:], note=note)


def _language_name(code: str | None, name: str | None, language: str) -> str:
    if code:
        known = Locale.parse(language).languages.get(code)
        if known:
            return str(known).capitalize()
    return name or code or ""


def _place(location: Location) -> Place:
    address = location.addresses[0] if location.addresses else None
    street = address.address_1 if address else ""
    town = f"{address.postal_code} {address.city}" if address else ""
    map_url = None
    # A geo: URI opens the phone's own map app and sends nothing to any other host.
    if location.latitude is not None and location.longitude is not None:
        label = quote(f"{location.name or street}, {street}, {town}")
        point = f"{location.latitude},{location.longitude}"
        map_url = f"geo:{point}?q={point}({label})"
    elif street:
        # Without a position the map app searches for the address itself.
        map_url = "geo:0,0?q=" + quote(f"{street}, {town}, Danmark")
    return Place(name=location.name or street, street=street, town=town, map_url=map_url)
