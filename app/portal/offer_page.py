"""The offer page: one offer's facts in the reader's language, with its next dates."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote

from babel import Locale
from sqlmodel import Session

from app.catalogue.links import mailto_href, safe_web_url, tel_href
from app.catalogue.occurrences import Occurrence, next_occurrences
from app.catalogue.offers import OfferLink, get_offer, similar_offers
from app.catalogue.taxonomy import Vocabulary
from app.catalogue.visibility import Viewer, is_temporarily_closed, sees_staff_facts
from app.config import TIMEZONE
from app.i18n import ACCESSIBILITY_CODES, UILocale, accessibility_label, state_label
from app.models import Location, Offer, Schedule
from app.portal.schedule_text import describe_schedule


@dataclass(frozen=True)
class Place:
    """Where an offer happens, with a link that opens the phone's map app."""

    name: str
    street: str
    town: str
    map_url: str | None
    # What is known about access for people with disabilities, in the reader's words.
    accessibility: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhoneLink:
    """A phone number as shown and as a tel: link."""

    display: str
    href: str

    @classmethod
    def of(cls, number: str) -> "PhoneLink | None":
        """The number as a link, or None when it has no digits to call."""
        href = tel_href(number)
        return cls(display=number, href=href) if href else None


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
    # Links are only ever safe ones (app/catalogue/links.py): None shows no link.
    email_href: str | None
    url: str | None
    assured: str | None


@dataclass(frozen=True)
class StaffView:
    """Facts only staff see, and the state the public may not see."""

    referral_procedure: str | None
    professional_contact: str | None
    internal_note: str | None
    state: str


@dataclass(frozen=True)
class OfferPage:
    """What the offer page shows: the offer, and others like it; for staff, the staff-only
    facts and the offer's state."""

    offer: OfferView
    similar: list[OfferLink]
    staff: StaffView | None = None


def offer_page(
    *,
    session: Session,
    id: str,
    vocabulary: Vocabulary,
    locale: UILocale,
    now: datetime,
    viewer: Viewer = Viewer.PUBLIC,
) -> OfferPage | None:
    """The page of an offer the viewer may see, or None."""
    offer = get_offer(session=session, id=id, viewer=viewer)
    if offer is None:
        return None
    view = offer_view(offer, vocabulary=vocabulary, locale=locale, now=now)
    staff = None
    if sees_staff_facts(viewer):
        facts = offer.staff_facts
        staff = StaffView(
            referral_procedure=facts.referral_procedure if facts else None,
            professional_contact=facts.professional_contact if facts else None,
            internal_note=facts.internal_note if facts else None,
            state=state_label(locale, offer.state),
        )
    similar = similar_offers(session=session, offer=offer, limit=4)
    return OfferPage(offer=view, similar=similar, staff=staff)


def offer_view(
    offer: Offer,
    *,
    vocabulary: Vocabulary,
    locale: UILocale,
    now: datetime | None = None,
    dates: int = 3,
) -> OfferView:
    """The facts of an offer as the offer page shows them, with its next `dates` dates."""
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
        label = ours.label(locale.language) if ours else link.term.name
        terms[link.term.taxonomy.name].append(label)
    return OfferView(
        id=offer.id,
        name=offer.name,
        organization=offer.organization.name,
        organization_url=safe_web_url(offer.organization.website),
        description=offer.description,
        temporarily_closed=is_temporarily_closed(offer.state),
        terms=dict(terms),
        application_process=offer.application_process,
        fees=offer.fees_description,
        minimum_age=offer.minimum_age,
        maximum_age=offer.maximum_age,
        languages=[_language_name(lang.code, lang.name, locale) for lang in offer.languages],
        legal_basis=offer.eligibility_description,
        schedules=[_schedule_line(s, locale) for s in schedules if not _is_over(s, today)],
        next_dates=[_date_line(o, note, locale) for o, note in coming],
        places=[_place(sal.location, locale) for sal in offer.service_at_locations],
        phones=[
            phone
            for p in offer.phones
            if not p.contact_id and (phone := PhoneLink.of(p.number)) is not None
        ],
        email=offer.email or None,
        email_href=mailto_href(offer.email),
        url=safe_web_url(offer.url),
        assured=locale.format_date(offer.assured_date) if offer.assured_date else None,
    )


def _is_over(schedule: Schedule, today: date) -> bool:
    """A schedule whose last day has passed (an event that was, a season that ended)."""
    last = [d for d in (schedule.valid_to, schedule.until) if d is not None]
    if schedule.freq is None and schedule.dtstart is not None:
        last.append(schedule.dtstart)
    return bool(last) and min(last) < today


def _schedule_line(schedule: Schedule, locale: UILocale) -> ScheduleLine:
    text = describe_schedule(schedule, locale)
    note = schedule.description if schedule.description != text else None
    return ScheduleLine(text=text, note=note or None)


def _date_line(occurrence: Occurrence, note: str | None, locale: UILocale) -> DateLine:
    # The same "kl. 10:00-11:00" as the schedules in words above it, the date by Babel.
    day = locale.format_date(occurrence.start, "full")
    opens = locale.format_time(occurrence.start, "HH:mm")
    if occurrence.end is not None:
        closes = locale.format_time(occurrence.end, "HH:mm")
        hours = locale.gettext("at %(opens)s-%(closes)s", opens=opens, closes=closes)
    else:
        hours = locale.gettext("at %(time)s", time=opens)
    text = f"{day} {hours}"
    return DateLine(iso=occurrence.start.isoformat(), text=text[:1].upper() + text[1:], note=note)


def _language_name(code: str | None, name: str | None, locale: UILocale) -> str:
    if code:
        known = Locale.parse(locale.language).languages.get(code)
        if known:
            return str(known).capitalize()
    return name or code or ""


def _place(location: Location, locale: UILocale) -> Place:
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
    # Ours in their fixed order, then others by their text.
    order = {code: i for i, code in enumerate(ACCESSIBILITY_CODES)}
    known = sorted(
        location.accessibility,
        key=lambda a: (order.get(a.details or "", len(order)), a.description or "", a.id),
    )
    facts = tuple(accessibility_label(locale, a.details) or a.description or "" for a in known)
    return Place(
        name=location.name or street,
        street=street,
        town=town,
        map_url=map_url,
        accessibility=tuple(f for f in facts if f),
    )
