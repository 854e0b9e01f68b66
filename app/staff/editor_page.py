"""What the editor page shows: the form's values, its choices and its messages, translated."""

from dataclasses import dataclass

from app.catalogue.taxonomy import Vocabulary
from app.i18n import ACCESSIBILITY_CODES, UILocale, accessibility_label, state_label, translate
from app.models import Offer, OfferState
from app.staff.editor import STATES, FieldError, Values
from app.staff.labels import field_labels


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    chosen: bool


@dataclass(frozen=True)
class Approval:
    """Editing an offer as a step of deciding a queue item: save, then approve or resolve it."""

    item_id: str
    kind: str
    summary: str
    has_contact: bool


@dataclass(frozen=True)
class EditorPage:
    offer_id: str
    name: str
    values: Values
    labels: dict[str, str]
    terms: dict[str, list[Choice]]
    states: list[Choice]
    access: list[Choice]
    errors: dict[str, str]
    saved: bool
    action: str
    approval: Approval | None = None


def message(locale: UILocale, error: FieldError) -> str:
    """A field error in the reader's language (the rules' messages are msgids)."""
    return translate(locale, error.message, error.values)


def editor_page(
    offer: Offer,
    values: Values,
    *,
    vocabulary: Vocabulary,
    locale: UILocale,
    errors: list[FieldError] = (),  # type: ignore[assignment]
    saved: bool = False,
    approval: Approval | None = None,
) -> EditorPage:
    terms = {
        taxonomy: [
            Choice(code, _term_label(vocabulary, taxonomy, code, locale), code in chosen)
            for code in vocabulary.codes(taxonomy)
        ]
        for taxonomy, chosen in values.codes.items()
    }
    shown = [*STATES]
    current = OfferState(offer.state)
    if current not in shown:
        shown.insert(0, current)
    states = [Choice(s.value, state_label(locale, s), s.value == values.state) for s in shown]
    return EditorPage(
        offer_id=offer.id,
        name=offer.name,
        values=values,
        labels=field_labels(locale),
        terms=terms,
        states=states,
        access=[
            Choice(code, accessibility_label(locale, code) or code, code in values.access)
            for code in ACCESSIBILITY_CODES
        ],
        errors={error.name: message(locale, error) for error in errors},
        saved=saved,
        action=(
            f"/personale/moderation/{approval.item_id}/rediger"
            if approval
            else f"/personale/tilbud/{offer.id}"
        ),
        approval=approval,
    )


def _term_label(vocabulary: Vocabulary, taxonomy: str, code: str, locale: UILocale) -> str:
    term = vocabulary.term(taxonomy, code)
    return term.label(locale.language) if term else code
