"""The search page /soeg: read its parameters, ask the search engine, shape what the page shows.

Nothing here knows about HTTP: the router passes the query's (name, value) pairs, the page's
language and gettext. Every view model holds text ready to show; markup (highlighted words,
links inside sentences) is built with markupsafe, so offer texts are always escaped.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import urlencode

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload, lazyload
from sqlmodel import Session, col, select

from app.models import (
    Location,
    Offer,
    OfferState,
    OfferTerm,
    Organization,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from app.search import Highlighter, SearchRequest, SearchResult, SearchService
from app.services.occurrences import TIMEZONE, Occurrence, next_occurrences
from app.services.taxonomy import Vocabulary

Gettext = Callable[..., str]

# The taxonomy filters, in the order the page shows them; each is a repeatable parameter.
FACET_PARAMS = ("tema", "maalgruppe", "udbyder", "kanal", "adgang")
PER_PAGE = 20
MAX_AGE = 120
# Far beyond any catalogue a municipality has; larger numbers are typing mistakes.
MAX_PAGE = 5000
MAX_QUERY = 200
REFERRAL = ("adgang", "kraever-visitation")
# A card shows two lines of its summary: about 70 characters on a small phone, twice that on
# wider screens. A first match later than that moves the start of the summary forward.
SUMMARY_LENGTH = 160
SUMMARY_LEAD = 70
_SPACE = re.compile(r"\s+")
# Opening hours this long ("00:00-23:59") mean the offer is open around the clock.
_WHOLE_DAY = timedelta(hours=23, minutes=59)


@dataclass(frozen=True)
class SearchParams:
    """What the person asked for, checked: only known codes, numbers in range."""

    q: str = ""
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    town: str | None = None
    age: int | None = None
    without_referral: bool = False
    page: int = 1

    @property
    def filter_count(self) -> int:
        """How many filters are chosen (each checked box, the town, the age)."""
        return (
            sum(len(codes) for codes in self.facets.values())
            + (self.town is not None)
            + (self.age is not None)
            + self.without_referral
        )

    def pairs(self) -> list[tuple[str, str]]:
        """The query string's pairs in a stable order (so equal searches share one URL)."""
        pairs: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for facet in FACET_PARAMS:
            pairs.extend((facet, code) for code in self.facets.get(facet, ()))
        if self.town is not None:
            pairs.append(("by", self.town))
        if self.age is not None:
            pairs.append(("alder", str(self.age)))
        if self.without_referral:
            pairs.append(("uden_visitation", "1"))
        if self.page > 1:
            pairs.append(("side", str(self.page)))
        return pairs

    def url(self, base: str) -> str:
        query = urlencode(self.pairs())
        return f"{base}?{query}" if query else base


def parse_params(
    pairs: Iterable[tuple[str, str]],
    *,
    vocabulary: Vocabulary,
    towns: frozenset[str],
    gettext: Gettext,
) -> tuple[SearchParams, list[str]]:
    """The checked parameters and, for each value we could not use, a message saying so.

    Unknown codes and towns are left out quietly (old links, codes that were renamed); numbers
    we cannot read get a message, and the search goes on without them.
    """
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value.replace("\x00", " ").strip())

    def first(name: str) -> str:
        return next((v for v in values.get(name, []) if v), "")

    errors: list[str] = []
    facets: dict[str, tuple[str, ...]] = {}
    for facet in FACET_PARAMS:
        known = set(vocabulary.codes(facet))
        chosen = [code for code in values.get(facet, []) if code in known]
        if chosen:
            facets[facet] = tuple(dict.fromkeys(chosen))
    town = first("by")
    age_text = first("alder")
    age = None
    if age_text:
        # The length check comes first: int() refuses strings of thousands of digits.
        if age_text.isdecimal() and len(age_text) <= 3 and int(age_text) <= MAX_AGE:
            age = int(age_text)
        else:
            errors.append(
                gettext(
                    "The age must be a whole number from 0 to %(max)s. "
                    "We show offers for all ages.",
                    max=MAX_AGE,
                )
            )
    page_text = first("side")
    page = 1
    if page_text:
        if page_text.isdecimal() and len(page_text) <= 6 and 1 <= int(page_text) <= MAX_PAGE:
            page = int(page_text)
        else:
            errors.append(
                gettext("There is no page %(page)s. We show the first page.", page=page_text[:20])
            )
    params = SearchParams(
        q=_SPACE.sub(" ", first("q"))[:MAX_QUERY].strip(),
        facets=facets,
        town=town if town in towns else None,
        age=age,
        without_referral=first("uden_visitation") in ("1", "on", "true"),
        page=page,
    )
    return params, errors


def search_request(params: SearchParams) -> SearchRequest:
    """The engine's request for these parameters: one page, by relevance or else by name."""
    facets = dict(params.facets)
    if params.town is not None:
        facets["town"] = (params.town,)
    exclude: dict[str, tuple[str, ...]] = {}
    if params.without_referral:
        exclude[REFERRAL[0]] = (REFERRAL[1],)
    return SearchRequest(
        text=params.q,
        facets=facets,
        exclude=exclude,
        age=params.age,
        sort="relevance" if params.q else "name",
        offset=(params.page - 1) * PER_PAGE,
        limit=PER_PAGE,
    )


# --- View models -------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    code: str
    label: str


@dataclass(frozen=True)
class Phone:
    display: str
    href: str


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
    phone: Phone | None
    akut: bool
    closed: bool


@dataclass(frozen=True)
class FilterOption:
    code: str
    label: str
    count: int
    selected: bool
    input_id: str


@dataclass(frozen=True)
class FilterGroup:
    name: str
    legend: str
    options: list[FilterOption]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class SearchPage:
    """Everything /soeg shows, in the page's language."""

    params: SearchParams
    action: str
    title: str
    heading: str
    count_text: str
    total: int
    first_number: int
    cards: list[Card]
    groups: list[FilterGroup]
    towns: list[FilterOption]
    errors: list[str]
    crisis: bool
    acute: list[Card]
    suggestion: Markup | None
    relax: list[Link]
    themes: list[Link]
    more_url: str | None
    previous_url: str | None
    page_text: str | None
    filters_label: str


def build_page(
    pairs: Iterable[tuple[str, str]],
    *,
    session: Session,
    search: SearchService,
    vocabulary: Vocabulary,
    language: str,
    gettext: Gettext,
    base: str,
    now: datetime,
) -> SearchPage:
    """Parse the parameters, search, load the hits' offers and shape the page."""
    params, errors = parse_params(
        pairs, vocabulary=vocabulary, towns=search.codes("town"), gettext=gettext
    )
    result = search.search(search_request(params), record=params.page == 1)
    pages = max(1, -(-result.total // PER_PAGE))
    if params.page > pages:
        errors.append(
            gettext("There is no page %(page)s. We show the last page.", page=params.page)
        )
        params = replace(params, page=pages)
        result = search.search(search_request(params), record=False)
    texts = _Texts(language=language, gettext=gettext)
    data = load_cards(session, [hit.offer_id for hit in result.hits])
    highlighter = search.highlighter(params.q)
    cards = [
        _card(data.offers[hit.offer_id], data.codes[hit.offer_id], highlighter, texts, now)
        for hit in result.hits
        if hit.offer_id in data.offers
    ]
    heading, title = _heading(params, vocabulary, texts)
    zero = result.total == 0
    return SearchPage(
        params=params,
        action=base,
        title=title,
        heading=heading,
        count_text=texts.count(result.total) if result.total else gettext("No offers found"),
        total=result.total,
        first_number=(params.page - 1) * PER_PAGE + 1,
        cards=cards,
        groups=_groups(result, vocabulary, language),
        towns=_towns(result),
        errors=errors,
        crisis=result.crisis,
        acute=[c for c in cards if c.akut and c.phone is not None][:3] if result.crisis else [],
        suggestion=_suggestion(params, result, base, gettext) if zero else None,
        relax=_relax(params, result, vocabulary, texts, base) if zero else [],
        themes=_themes(vocabulary, language, base) if zero else [],
        more_url=replace(params, page=params.page + 1).url(base) if params.page < pages else None,
        previous_url=replace(params, page=params.page - 1).url(base) if params.page > 1 else None,
        page_text=(
            gettext("Page %(page)s of %(pages)s", page=params.page, pages=pages)
            if pages > 1
            else None
        ),
        filters_label=(
            gettext("Filter the offers (%(count)s chosen)", count=params.filter_count)
            if params.filter_count
            else gettext("Filter the offers")
        ),
    )


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
            .joinedload(Location.addresses),  # type: ignore[arg-type]
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


@dataclass(frozen=True)
class _Texts:
    """Numbers, dates and counted things in the page's language."""

    language: str
    gettext: Gettext

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.language)

    def count(self, total: int) -> str:
        if total == 1:
            return self.gettext("1 offer")
        return self.gettext("%(count)s offers", count=self.number(total))

    def next_time(self, occurrence: Occurrence, now: datetime) -> str:
        start, end = occurrence.start, occurrence.end
        local_now = now.astimezone(TIMEZONE)
        if end is not None and start <= local_now < end:
            if end - start >= _WHOLE_DAY:
                return self.gettext("Open day and night")
            return self.gettext("Open now, until %(time)s", time=self.time(end))
        if start.date() == local_now.date():
            day = self.gettext("today")
        elif start.date() == local_now.date() + timedelta(days=1):
            day = self.gettext("tomorrow")
        else:
            pattern = "EEEE d. MMMM" if self.language == "da" else "EEEE d MMMM"
            day = format_date(start, pattern, locale=self.language)
        if start.hour == 0 and start.minute == 0 and end is None:  # a whole day
            return self.gettext("Next time: %(day)s", day=day)
        return self.gettext("Next time: %(day)s at %(time)s", day=day, time=self.time(start))

    def time(self, moment: datetime) -> str:
        return format_time(moment, "HH:mm", locale=self.language)


def _card(
    offer: Offer,
    codes: set[tuple[str, str]],
    highlighter: Highlighter,
    texts: _Texts,
    now: datetime,
) -> Card:
    occurrences = next_occurrences(offer.schedules, now=now, limit=1)
    towns = dict.fromkeys(
        address.city
        for sal in sorted(offer.service_at_locations, key=lambda s: s.position)
        for address in sal.location.addresses
        if address.city
    )
    phone = next(
        (p for p in sorted(offer.phones, key=lambda p: p.position) if not p.contact_id), None
    )
    return Card(
        id=offer.id,
        name=offer.name,
        organization=offer.organization.name,
        summary=summary(offer.description, highlighter),
        badges=_badges(codes, texts.gettext),
        next_time=texts.next_time(occurrences[0], now) if occurrences else None,
        town=", ".join(towns) or None,
        phone=Phone(display=phone.number, href="tel:" + re.sub(r"[^\d+]", "", phone.number))
        if phone
        else None,
        akut=("adgang", "akut") in codes,
        closed=offer.state == OfferState.TEMPORARILY_CLOSED,
    )


def _badges(codes: set[tuple[str, str]], gettext: Gettext) -> list[Badge]:
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


def _label(vocabulary: Vocabulary, facet: str, code: str, language: str) -> str:
    term = vocabulary.term(facet, code)
    if term is None:
        return code
    return term.en if language == "en" else term.da


def _groups(result: SearchResult, vocabulary: Vocabulary, language: str) -> list[FilterGroup]:
    groups = []
    for facet in FACET_PARAMS:
        counts = {c.code: c for c in result.facets.get(facet, [])}
        taxonomy = vocabulary.taxonomies[facet]
        options = [
            FilterOption(
                code=term.code,
                label=term.en if language == "en" else term.da,
                count=counts[term.code].count,
                selected=counts[term.code].selected,
                input_id=f"f-{facet}-{term.code}",
            )
            for term in taxonomy.terms
            if term.code in counts
        ]
        if options:
            legend = taxonomy.en if language == "en" else taxonomy.da
            groups.append(FilterGroup(name=facet, legend=legend, options=options))
    return groups


def _towns(result: SearchResult) -> list[FilterOption]:
    return [
        FilterOption(code=c.code, label=c.code, count=c.count, selected=c.selected, input_id="")
        for c in sorted(result.facets.get("town", []), key=lambda c: c.code.lower())
    ]


def _filter_labels(params: SearchParams, vocabulary: Vocabulary, texts: _Texts) -> list[str]:
    language = "en" if texts.language == "en" else "da"
    labels = [
        _label(vocabulary, facet, code, language)
        for facet in FACET_PARAMS
        for code in params.facets.get(facet, ())
    ]
    if params.town is not None:
        labels.append(params.town)
    if params.age is not None:
        labels.append(texts.gettext("age %(age)s", age=params.age))
    if params.without_referral:
        labels.append(texts.gettext("No referral needed"))
    return labels


def _heading(params: SearchParams, vocabulary: Vocabulary, texts: _Texts) -> tuple[str, str]:
    """The page's h1 and title: what was searched for, and with which filters."""
    filters = ", ".join(_filter_labels(params, vocabulary, texts))
    gettext = texts.gettext
    if params.q and filters:
        heading = gettext("Results for “%(words)s”: %(filters)s", words=params.q, filters=filters)
    elif params.q:
        heading = gettext("Results for “%(words)s”", words=params.q)
    elif filters:
        heading = gettext("Offers: %(filters)s", filters=filters)
    else:
        heading = gettext("All offers")
    title = heading
    if params.page > 1:
        title = gettext("%(title)s, page %(page)s", title=heading, page=params.page)
    return heading, title


def _suggestion(
    params: SearchParams, result: SearchResult, base: str, gettext: Gettext
) -> Markup | None:
    if not result.suggestion:
        return None
    url = replace(params, q=result.suggestion, page=1).url(base)
    link = Markup('<a class="suggestion" href="{}">{}</a>').format(url, result.suggestion)
    return Markup(escape(gettext("Did you mean %(words)s?"))) % {"words": link}


def _relax(
    params: SearchParams,
    result: SearchResult,
    vocabulary: Vocabulary,
    texts: _Texts,
    base: str,
) -> list[Link]:
    """Links that drop one filter, with how many offers each would show."""
    language = texts.language
    links = []
    for name, count in result.relaxed.items():
        if not count:
            continue
        if name in FACET_PARAMS:
            without = dict(params.facets)
            codes = without.pop(name, ())
            label = ", ".join(_label(vocabulary, name, c, language) for c in codes)
            relaxed = replace(params, facets=without, page=1)
        elif name == "town" and params.town is not None:
            label, relaxed = params.town, replace(params, town=None, page=1)
        elif name == "alder" and params.age is not None:
            label = texts.gettext("age %(age)s", age=params.age)
            relaxed = replace(params, age=None, page=1)
        elif name == "exclude":
            label = texts.gettext("No referral needed")
            relaxed = replace(params, without_referral=False, page=1)
        else:
            continue
        text = texts.gettext(
            "Remove the filter “%(filter)s”: %(offers)s", filter=label, offers=texts.count(count)
        )
        links.append(Link(label=text, url=relaxed.url(base)))
    return links


def _themes(vocabulary: Vocabulary, language: str, base: str) -> list[Link]:
    return [
        Link(
            label=term.en if language == "en" else term.da,
            url=SearchParams(facets={"tema": (term.code,)}).url(base),
        )
        for term in vocabulary.taxonomies["tema"].terms
    ]
