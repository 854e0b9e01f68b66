"""The home page: search, life situations, themes with counts and the newest offers."""

from dataclasses import dataclass

from sqlmodel import Session

from app.catalogue.offers import (
    OfferLink,
    ThemeCount,
    count_public_offers,
    list_newest,
    list_themes,
)
from app.catalogue.taxonomy import Vocabulary
from app.i18n import UILocale


# A life-situation shortcut: what a person might say, and what it searches for.
@dataclass(frozen=True)
class Shortcut:
    label: str
    query: str


@dataclass(frozen=True)
class HomePage:
    """What the home page shows."""

    total: int
    themes: list[ThemeCount]
    newest: list[OfferLink]
    shortcuts: list[Shortcut]
    vocabulary: Vocabulary


def home_page(*, session: Session, vocabulary: Vocabulary, locale: UILocale) -> HomePage:
    return HomePage(
        total=count_public_offers(session=session),
        themes=list_themes(session=session),
        newest=list_newest(session=session, limit=6),
        shortcuts=_shortcuts(locale),
        vocabulary=vocabulary,
    )


def _shortcuts(locale: UILocale) -> list[Shortcut]:
    _ = locale.gettext
    # The query is translated too: the search understands both languages' everyday words.
    return [
        Shortcut(_("I feel lonely"), _("lonely")),
        Shortcut(_("I am in debt"), _("debt")),
        Shortcut(_("I care for someone who is ill"), _("relative")),
        Shortcut(_("I want to get moving"), _("exercise")),
        Shortcut(_("I want to meet new people"), _("meet people")),
        Shortcut(_("I worry about my child"), _("worried about my child")),
        Shortcut(_("I want to volunteer"), _("volunteer")),
        Shortcut(_("I need help now"), _("urgent help")),
    ]
