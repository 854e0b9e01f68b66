"""The search page's result cards: load the hits' offers and shape each into a card.

A card holds text ready to show: badges, the next time it is open, towns, a phone number and
a summary with the query's words in <mark>, built with markupsafe so offer texts stay escaped.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload, lazyload
from sqlmodel import Session, col, select

from app.catalogue.occurrences import Occurrence, next_occurrences
from app.catalogue.visibility import is_temporarily_closed
from app.config import TIMEZONE
from app.i18n import UILocale
from app.models import (
    Location,
    Offer,
    OfferTerm,
    Organization,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from app.portal.offer_page import PhoneLink
from app.portal.search_params import REFERRAL
from app.search import Highlighter

# A card shows two lines of its summary: about 70 characters on a small phone, twice that on
# wider screens. A first match later than that moves the start of the summary forward.
SUMMARY_LENGTH = 160
SUMMARY_LEAD = 70
_SPACE = re.compile(r"\s+")
# Opening hours this long ("00:00-23:59") mean the offer is open around the clock.
_WHOLE_DAY = timedelta(hours=23, minutes=59)


@dataclass(frozen=True)
class Badge:
    code: str
    label: str


@dataclass(frozen=True)
class Card:
    """One offer in the result list."""

    id: str
    name: str
    organization: str
    summary: Markup
    badges: list[Badge]
    next_time: str | None
    town: str | None
    phone: PhoneLink | None
    akut: bool
    closed: bool


@dataclass(frozen=True)
class CardData:
    """What the cards of one page need from the database."""

    offers: dict[str, Offer]
    codes: dict[str, set[tuple[str, str]]]


def load_cards(session: Session, ids: Sequence[str]) -> CardData:
    """The hits' offers with all a card shows, in two queries: the offers with their
    organisation, schedules, phones and places (joined), then their taxonomy codes as plain
    rows (joining those too would multiply the rows of the first query)."""
    if not ids:
        return CardData(offers={}, codes={})
    query = (
        select(Offer)
        .where(col(Offer.id).in_(list(ids)))
        .options(
            # The provider type is not on a card: skip the organisation's own terms.
            joinedload(Offer.organization).options(lazyload(Organization.terms)),  # type: ignore[arg-type]
            joinedload(Offer.schedules),  # type: ignore[arg-type]
            joinedload(Offer.phones),  # type: ignore[arg-type]
            joinedload(Offer.service_at_locations)  # type: ignore[arg-type]
            .joinedload(ServiceAtLocation.location)  # type: ignore[arg-type]
            .options(
                joinedload(Location.addresses),  # type: ignore[arg-type]
                # A card does not show a place's accessibility.
                lazyload(Location.accessibility),  # type: ignore[arg-type]
            ),
        )
    )
    offers = {offer.id: offer for offer in session.exec(query).unique().all()}
    rows = session.exec(
        select(OfferTerm.offer_id, Taxonomy.name, TaxonomyTerm.code)
        .join(TaxonomyTerm, col(TaxonomyTerm.id) == OfferTerm.term_id)
        .join(Taxonomy, col(Taxonomy.id) == TaxonomyTerm.taxonomy_id)
        .where(col(OfferTerm.offer_id).in_(list(ids)))
    ).all()
    codes: dict[str, set[tuple[str, str]]] = {offer_id: set() for offer_id in offers}
    for offer_id, taxonomy, code in rows:
        codes.setdefault(offer_id, set()).add((taxonomy, code or ""))
    return CardData(offers=offers, codes=codes)


def next_time_text(locale: UILocale, occurrence: Occurrence, now: datetime) -> str:
    """When the offer is open next: "Open now, until 16:00", "Next time: tomorrow at 10:00"."""
    _ = locale.gettext
    start, end = occurrence.start, occurrence.end
    local_now = now.astimezone(TIMEZONE)
    if end is not None and start <= local_now < end:
        if end - start >= _WHOLE_DAY:
            return _("Open day and night")
        return _("Open now, until %(time)s", time=locale.format_time(end, "HH:mm"))
    if start.date() == local_now.date():
        day = _("today")
    elif start.date() == local_now.date() + timedelta(days=1):
        day = _("tomorrow")
    else:
        day = locale.format_date(
            start, "EEEE d. MMMM" if locale.language == "da" else "EEEE d MMMM"
        )
    if start.hour == 0 and start.minute == 0 and end is None:  # a whole day
        return _("Next time: %(day)s", day=day)
    return _("Next time: %(day)s at %(time)s", day=day, time=locale.format_time(start, "HH:mm"))


def card(
    offer: Offer,
    codes: set[tuple[str, str]],
    highlighter: Highlighter,
    locale: UILocale,
    now: datetime,
) -> Card:
    occurrences = next_occurrences(offer.schedules, now=now, limit=1)
    towns = dict.fromkeys(
        address.city
        for sal in sorted(offer.service_at_locations, key=lambda s: s.position)
        for address in sal.location.addresses
        if address.city
    )
    # The first number that can be called: a tel: link is built from digits only.
    phone = next(
        (
            link
            for p in sorted(offer.phones, key=lambda p: p.position)
            if not p.contact_id and (link := PhoneLink.of(p.number)) is not None
        ),
        None,
    )
    return Card(
        id=offer.id,
        name=offer.name,
        organization=offer.organization.name,
        summary=summary(offer.description, highlighter),
        badges=_badges(codes, locale),
        next_time=next_time_text(locale, occurrences[0], now) if occurrences else None,
        town=", ".join(towns) or None,
        phone=phone,
        akut=("adgang", "akut") in codes,
        closed=is_temporarily_closed(offer.state),
    )


def _badges(codes: set[tuple[str, str]], locale: UILocale) -> list[Badge]:
    gettext = locale.gettext
    badges = []
    if ("adgang", "gratis") in codes:
        badges.append(Badge("gratis", gettext("Free")))
    if REFERRAL not in codes:
        badges.append(Badge("uden-visitation", gettext("No referral needed")))
    if ("adgang", "anonym") in codes:
        badges.append(Badge("anonym", gettext("Anonymous")))
    if ("kanal", "telefon") in codes:
        badges.append(Badge("telefon", gettext("By phone")))
    if ("kanal", "online") in codes:
        badges.append(Badge("online", gettext("Online")))
    if ("adgang", "akut") in codes:
        badges.append(Badge("urgent", gettext("Urgent help")))
    return badges


def summary(text: str, highlighter: Highlighter, length: int = SUMMARY_LENGTH) -> Markup:
    """A short part of a text with the query's words in <mark>, everything else escaped.

    It starts at the sentence with the first matched word, so a match late in a long
    description still shows, and it ends at a word boundary.
    """
    text = _SPACE.sub(" ", text).strip()
    spans = highlighter.spans(text)
    start = 0
    if spans and spans[0][1] > SUMMARY_LEAD:
        first = spans[0][0]
        sentence = max(text.rfind(". ", 0, first), text.rfind("? ", 0, first))
        if sentence >= 0 and spans[0][1] - sentence <= SUMMARY_LEAD:
            start = sentence + 2
        else:
            # Keep a few words before the match, cut at a space.
            space = text.find(" ", max(0, first - 30), first)
            start = space + 1 if space >= 0 else first
    end = len(text)
    if end - start > length:
        cut = text.rfind(" ", start, start + length)
        end = cut if cut > start else start + length
    parts: list[Markup] = [Markup("…")] if start > 0 else []
    position = start
    for begin, finish in spans:
        if begin < start or finish > end:
            continue
        parts.append(escape(text[position:begin]))
        parts.append(Markup("<mark>{}</mark>").format(text[begin:finish]))
        position = finish
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(Markup("…"))
    return Markup("").join(parts)
