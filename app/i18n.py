"""UI translations: Babel catalogues in locales/<lang>/LC_MESSAGES/messages.po.

Message ids are English; Danish is the default language. The .po files are compiled in memory
at start, so there is no build step and no compiled file that can drift from its source.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

from babel import dates, numbers
from babel.core import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import Request

from app.config import PROJECT_DIR, TIMEZONE
from app.models import OfferState

LOCALES_DIR = PROJECT_DIR / "locales"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
# Offers happen in Denmark: times are always shown in Danish local time.


@lru_cache
def translations(language: str, locales_dir: Path = LOCALES_DIR) -> NullTranslations:
    """The compiled catalogue for a language; English falls back to the message ids."""
    path = locales_dir / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return GNUTranslations(buffer)


@dataclass(frozen=True)
class UILocale:
    """The language of one response, with its gettext."""

    language: str

    def gettext(self, message: str, **values: object) -> str:
        """The message in this language, with %(name)s placeholders filled in."""
        text = translations(self.language).gettext(message)
        return text % values if values else text

    # Babel formatting in this language; `format` is a Babel width ("short", "medium", "long",
    # "full") or a CLDR pattern.
    def format_date(self, value: date | datetime | None, format: str = "long") -> str:
        """A date, e.g. "1. oktober 2026" / "October 1, 2026"; "" for None."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(TIMEZONE) if value.tzinfo else value
        return dates.format_date(value, format, locale=self.language)

    def format_time(self, value: time | datetime | None, format: str = "short") -> str:
        """A clock time, e.g. "10.00" / "10:00 AM", in Danish local time; "" for None."""
        if value is None:
            return ""
        zone = TIMEZONE if isinstance(value, datetime) else None
        return dates.format_time(value, format, tzinfo=zone, locale=self.language)

    def format_number(self, value: float | None) -> str:
        """A number with this language's separators, e.g. "1.234" / "1,234"."""
        if value is None:
            return ""
        return numbers.format_decimal(value, locale=self.language)

    def language_name(self, language: str | None = None) -> str:
        """A language's name in that language ("Dansk", "English"): how a switch offers it."""
        language = language or self.language
        return str(Locale.parse(language).get_display_name(language)).capitalize()


def choose_language(asked: str | None, remembered: str | None, accept_language: str | None) -> str:
    """The page's language: `?lang=` first, then the `lang` cookie, then the browser's
    Accept-Language (a first visit), else Danish. Unknown values are ignored, never an error."""
    for candidate in (asked, remembered):
        if candidate in LANGUAGES:
            return candidate
    wanted = _accepted_languages(accept_language or "")
    return negotiate_locale(wanted, LANGUAGES, sep="-") or DEFAULT_LANGUAGE


def _accepted_languages(header: str) -> list[str]:
    """Language tags of an Accept-Language header, most wanted first; q=0 means "not this"."""
    weighted = []
    for position, part in enumerate(header[:500].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _q, _p, tag in sorted(weighted)]


def resolve_locale(request: Request) -> UILocale:
    """The language for this request, as app.web.locale's middleware chose it."""
    locale = getattr(request.state, "locale", None)
    if locale is None:
        locale = UILocale(DEFAULT_LANGUAGE)
        request.state.locale = locale
    return locale


def count_text(locale: UILocale, total: int) -> str:
    """ "1 offer", "1.234 offers" in the locale's language."""
    if total == 1:
        return locale.gettext("1 offer")
    return locale.gettext("%(count)s offers", count=locale.format_number(total))


def state_label(locale: UILocale, state: OfferState) -> str:
    """An offer's state in the staff's words."""
    _ = locale.gettext
    labels = {
        OfferState.DRAFT: _("Draft"),
        OfferState.PENDING: _("Waiting for review"),
        OfferState.PUBLISHED: _("Published"),
        OfferState.TEMPORARILY_CLOSED: _("Closed for a while"),
        OfferState.RETIRED: _("Stopped"),
    }
    return labels[state]


def translate(locale: UILocale, message: str, values: dict[str, object]) -> str:
    """A rule's message (a msgid with {placeholders}) in the reader's language, filled in.
    A translation that lost a placeholder falls back to the English text."""
    try:
        return locale.gettext(message).format(**values)
    except (KeyError, IndexError, ValueError):
        return message.format(**values)


# Facts about a place's access for people with disabilities (HSDS accessibility `details`).
ACCESSIBILITY_CODES = ("trinfri", "teleslynge", "handicaptoilet")


def accessibility_label(locale: UILocale, code: str | None) -> str | None:
    """One of our accessibility codes in the reader's words; None for other details."""
    _ = locale.gettext
    labels = {
        "trinfri": _("Step-free access"),
        "teleslynge": _("Hearing loop"),
        "handicaptoilet": _("Accessible toilet"),
    }
    return labels.get(code or "")
