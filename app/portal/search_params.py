"""The search page's parameters: read and check the query string, and turn it into a request.

Only known codes and numbers in range get through; what we cannot use gets a message in the
page's language. The same parameters write the page's links back out, in a stable order.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from app.catalogue.taxonomy import Vocabulary
from app.i18n import UILocale
from app.search import SearchRequest

# The taxonomy filters, in the order the page shows them; each is a repeatable parameter.
FACET_PARAMS = ("tema", "maalgruppe", "udbyder", "kanal", "adgang")
PER_PAGE = 20
MAX_AGE = 120
# Far beyond any catalogue a municipality has; larger numbers are typing mistakes.
MAX_PAGE = 5000
MAX_QUERY = 200
REFERRAL = ("adgang", "kraever-visitation")
_SPACE = re.compile(r"\s+")


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
    locale: UILocale,
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
                locale.gettext(
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
                locale.gettext(
                    "There is no page %(page)s. We show the first page.", page=page_text[:20]
                )
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
