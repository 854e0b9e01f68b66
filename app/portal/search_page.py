"""The search page /soeg: search with the page's parameters and shape what the page shows.

Nothing here knows about HTTP: the router passes the query's (name, value) pairs, the page's
language (its UILocale). `search_params.py` reads the parameters and `search_cards.py` makes the
result cards; links inside sentences are built with markupsafe, so texts are always escaped.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from markupsafe import Markup, escape
from sqlmodel import Session

from app.catalogue.taxonomy import Vocabulary
from app.i18n import UILocale, count_text
from app.portal.search_cards import Card, card, load_cards
from app.portal.search_params import (
    FACET_PARAMS,
    PER_PAGE,
    SearchParams,
    parse_params,
    search_request,
)
from app.search import SearchResult, SearchService


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
    # Of `cards`, how many fit the query clearly; the others are shown apart ("Andre tilbud,
    # der måske passer"). The line may lie on an earlier page (0) or none (len(cards)).
    clear_cards: int
    groups: list[FilterGroup]
    towns: list[FilterOption]
    errors: list[str]
    degraded: bool
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
    locale: UILocale,
    base: str,
    now: datetime,
) -> SearchPage:
    """Parse the parameters, search, load the hits' offers and shape the page."""
    params, errors = parse_params(
        pairs, vocabulary=vocabulary, towns=search.codes("town"), locale=locale
    )
    gettext = locale.gettext
    result = search.search(search_request(params), counted=params.page == 1)
    pages = max(1, -(-result.total // PER_PAGE))
    if params.page > pages:
        errors.append(
            gettext("There is no page %(page)s. We show the last page.", page=params.page)
        )
        params = replace(params, page=pages)
        result = search.search(search_request(params))
    data = load_cards(session, [hit.offer_id for hit in result.hits])
    highlighter = search.highlighter(params.q)
    cards = [
        card(data.offers[hit.offer_id], data.codes[hit.offer_id], highlighter, locale, now)
        for hit in result.hits
        if hit.offer_id in data.offers
    ]
    heading, title = _heading(params, vocabulary, locale)
    zero = result.total == 0
    return SearchPage(
        params=params,
        action=base,
        title=title,
        heading=heading,
        count_text=count_text(locale, result.total) if result.total else gettext("No offers found"),
        total=result.total,
        first_number=(params.page - 1) * PER_PAGE + 1,
        cards=cards,
        clear_cards=(
            len(cards)
            if result.clear is None
            else max(0, min(len(cards), result.clear - (params.page - 1) * PER_PAGE))
        ),
        groups=_groups(result, vocabulary, locale.language),
        towns=_towns(result),
        errors=errors,
        degraded=result.degraded,
        crisis=result.crisis,
        acute=[c for c in cards if c.akut and c.phone is not None][:3] if result.crisis else [],
        suggestion=_suggestion(params, result, base, locale) if zero else None,
        relax=_relax(params, result, vocabulary, locale, base) if zero else [],
        themes=_themes(vocabulary, locale.language, base) if zero else [],
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


def _label(vocabulary: Vocabulary, facet: str, code: str, language: str) -> str:
    term = vocabulary.term(facet, code)
    if term is None:
        return code
    return term.label(language)


def _groups(result: SearchResult, vocabulary: Vocabulary, language: str) -> list[FilterGroup]:
    groups = []
    for facet in FACET_PARAMS:
        counts = {c.code: c for c in result.facets.get(facet, [])}
        taxonomy = vocabulary.taxonomies[facet]
        options = [
            FilterOption(
                code=term.code,
                label=term.label(language),
                count=counts[term.code].count,
                selected=counts[term.code].selected,
                input_id=f"f-{facet}-{term.code}",
            )
            for term in taxonomy.terms
            if term.code in counts
        ]
        if options:
            legend = taxonomy.label(language)
            groups.append(FilterGroup(name=facet, legend=legend, options=options))
    return groups


def _towns(result: SearchResult) -> list[FilterOption]:
    return [
        FilterOption(code=c.code, label=c.code, count=c.count, selected=c.selected, input_id="")
        for c in sorted(result.facets.get("town", []), key=lambda c: c.code.lower())
    ]


def _filter_labels(params: SearchParams, vocabulary: Vocabulary, locale: UILocale) -> list[str]:
    labels = [
        _label(vocabulary, facet, code, locale.language)
        for facet in FACET_PARAMS
        for code in params.facets.get(facet, ())
    ]
    if params.town is not None:
        labels.append(params.town)
    if params.age is not None:
        labels.append(locale.gettext("age %(age)s", age=params.age))
    if params.without_referral:
        labels.append(locale.gettext("No referral needed"))
    return labels


def _heading(params: SearchParams, vocabulary: Vocabulary, locale: UILocale) -> tuple[str, str]:
    """The page's h1 and title: what was searched for, and with which filters."""
    filters = ", ".join(_filter_labels(params, vocabulary, locale))
    gettext = locale.gettext
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
    params: SearchParams, result: SearchResult, base: str, locale: UILocale
) -> Markup | None:
    if not result.suggestion:
        return None
    url = replace(params, q=result.suggestion, page=1).url(base)
    link = Markup('<a class="suggestion" href="{}">{}</a>').format(url, result.suggestion)
    return Markup(escape(locale.gettext("Did you mean %(words)s?"))) % {"words": link}


def _relax(
    params: SearchParams,
    result: SearchResult,
    vocabulary: Vocabulary,
    locale: UILocale,
    base: str,
) -> list[Link]:
    """Links that drop one filter, with how many offers each would show."""
    language = locale.language
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
            label = locale.gettext("age %(age)s", age=params.age)
            relaxed = replace(params, age=None, page=1)
        elif name == "exclude":
            label = locale.gettext("No referral needed")
            relaxed = replace(params, without_referral=False, page=1)
        else:
            continue
        text = locale.gettext(
            "Remove the filter “%(filter)s”: %(offers)s",
            filter=label,
            offers=count_text(locale, count),
        )
        links.append(Link(label=text, url=relaxed.url(base)))
    return links


def _themes(vocabulary: Vocabulary, language: str, base: str) -> list[Link]:
    return [
        Link(
            label=term.label(language),
            url=SearchParams(facets={"tema": (term.code,)}).url(base),
        )
        for term in vocabulary.taxonomies["tema"].terms
    ]
