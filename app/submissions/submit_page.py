"""What `/opret` shows: the form's values and choices, its messages, and the preview."""

from dataclasses import dataclass, field
from typing import Any

from app.catalogue.taxonomy import Vocabulary
from app.i18n import ACCESSIBILITY_CODES, UILocale, accessibility_label, translate
from app.submissions.duplicates import LookAlike
from app.submissions.new_offer import OTHER_TOWN, QUESTIONS, TERM_FIELDS, Problem, Proposal
from app.submissions.readability import Readability, check


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    chosen: bool


@dataclass(frozen=True)
class Preview:
    name: str
    organization: str
    description: str
    how: str
    fees: str
    schedules: list[str]
    place: str
    contact: list[str]


@dataclass(frozen=True)
class SubmitPage:
    proposal: Proposal
    terms: dict[str, list[Choice]]
    towns: list[str]
    errors: dict[str, str]
    questions: list[str] = field(default_factory=list)
    access: list[Choice] = field(default_factory=list)
    preview: Preview | None = None
    readability: Readability | None = None
    look_alikes: list[LookAlike] = field(default_factory=list)
    # Where the form posts; editing (from the private link) sends at once, without preview.
    action: str = "/opret"
    editing: bool = False
    other_town: str = OTHER_TOWN


def message(locale: UILocale, problem: Problem) -> str:
    return translate(locale, problem.message, problem.values)


def form_page(
    proposal: Proposal,
    *,
    vocabulary: Vocabulary,
    locale: UILocale,
    towns: frozenset[str],
    problems: list[Problem] | None = None,
    service: dict[str, Any] | None = None,
    look_alikes: list[LookAlike] | None = None,
    action: str = "/opret",
    editing: bool = False,
) -> SubmitPage:
    terms = {
        taxonomy: [
            Choice(
                code,
                _label(vocabulary, taxonomy, code, locale),
                code in proposal.codes.get(taxonomy, []),
            )
            for code in vocabulary.codes(taxonomy)
        ]
        for taxonomy in TERM_FIELDS
    }
    return SubmitPage(
        proposal=proposal,
        terms=terms,
        towns=sorted(towns),
        errors={p.name: message(locale, p) for p in problems or []},
        questions=list(QUESTIONS),
        access=[
            Choice(code, accessibility_label(locale, code) or code, code in proposal.access)
            for code in ACCESSIBILITY_CODES
        ],
        preview=_preview(proposal) if service is not None else None,
        readability=check(proposal.text["description"]) if service is not None else None,
        look_alikes=look_alikes or [],
        action=action,
        editing=editing,
    )


def _preview(proposal: Proposal) -> Preview:
    text = proposal.text
    place = ", ".join(
        v for v in (text["address"], f"{text['postcode']} {text['town']}".strip()) if v
    )
    return Preview(
        name=text["name"],
        organization=text["organization"],
        description=text["description"],
        how=text["how"],
        fees=text["fees"],
        schedules=[line.strip() for line in text["schedules"].splitlines() if line.strip()],
        place=place,
        contact=[v for v in (text["phone"], text["email"], text["url"]) if v],
    )


def _label(vocabulary: Vocabulary, taxonomy: str, code: str, locale: UILocale) -> str:
    term = vocabulary.term(taxonomy, code)
    return term.label(locale.language) if term else code
