"""Reading offers for the public pages: theme counts, one offer, offers by theme."""

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote

from babel import Locale
from babel.dates import format_date
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import PUBLIC_STATES, Location, Offer, OfferState, OfferTerm, Taxonomy, TaxonomyTerm
from app.services.hsds_export import offer_load_options
from app.services.schedule_text import Gettext, describe_schedule
from app.services.taxonomy import Vocabulary


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
    offers: list[OfferLink]

    @property
    def count(self) -> int:
        return len(self.offers)


def count_public_offers(*, session: Session) -> int:
    """How many offers the public can see."""
    query = select(func.count()).select_from(Offer).where(col(Offer.state).in_(PUBLIC_STATES))
    return session.exec(query).one()


def list_themes(*, session: Session) -> list[ThemeCount]:
    """Every theme in taxonomy order, with its public offers by name."""
    terms = session.exec(
        select(TaxonomyTerm)
        .join(Taxonomy)
        .where(Taxonomy.name == "tema")
        .order_by(col(TaxonomyTerm.position))
    ).all()
    rows = session.exec(
        select(OfferTerm.term_id, Offer)
        .join(Offer, col(Offer.id) == OfferTerm.offer_id)
        .where(col(Offer.state).in_(PUBLIC_STATES))
        .order_by(Offer.name)
    ).all()
    by_term: dict[str, list[OfferLink]] = defaultdict(list)
    for term_id, offer in rows:
        by_term[term_id].append(OfferLink(offer.id, offer.name, offer.organization.name))
    return [ThemeCount(code=t.code or "", term_id=t.id, offers=by_term[t.id]) for t in terms]


def get_public_offer(*, session: Session, id: str) -> Offer | None:
    """A published or temporarily closed offer with everything it shows, or None."""
    offer = session.get(Offer, id, options=offer_load_options())
    if offer is None or not offer.state.is_public:
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
    schedules: list[str]
    places: list[Place]
    phones: list[PhoneLink]
    email: str | None
    url: str | None
    assured: str | None


def offer_view(
    offer: Offer, *, vocabulary: Vocabulary, language: str, gettext: Gettext
) -> OfferView:
    """The facts of an offer as the offer page shows them."""
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
        temporarily_closed=offer.state == OfferState.TEMPORARILY_CLOSED,
        terms=dict(terms),
        application_process=offer.application_process,
        fees=offer.fees_description,
        minimum_age=offer.minimum_age,
        maximum_age=offer.maximum_age,
        languages=[_language_name(lang.code, lang.name, language) for lang in offer.languages],
        legal_basis=offer.eligibility_description,
        schedules=[
            describe_schedule(s, language=language, gettext=gettext)
            for s in sorted(offer.schedules, key=lambda s: s.position)
        ],
        places=[_place(sal.location) for sal in offer.service_at_locations],
        phones=[
            PhoneLink(display=p.number, href="tel:" + re.sub(r"[^\d+]", "", p.number))
            for p in offer.phones
            if not p.contact_id
        ],
        email=offer.email,
        url=offer.url,
        assured=format_date(offer.assured_date, "long", locale=language)
        if offer.assured_date
        else None,
    )


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
    if location.latitude is not None and location.longitude is not None:
        # A geo: URI opens the phone's own map app and sends nothing to any other host.
        label = quote(f"{location.name or street}, {street}, {town}")
        point = f"{location.latitude},{location.longitude}"
        map_url = f"geo:{point}?q={point}({label})"
    return Place(name=location.name or street, street=street, town=town, map_url=map_url)
