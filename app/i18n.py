"""UI translations: Babel catalogues in locales/<lang>/LC_MESSAGES/messages.po.

Message ids are English; Danish is the default language. The .po files are compiled in memory
at start, so there is no build step and no compiled file that can drift from its source.
"""

import io
from dataclasses import dataclass
from functools import lru_cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import Request

from app.config import PROJECT_DIR

LOCALES_DIR = PROJECT_DIR / "locales"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"


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


def resolve_locale(request: Request) -> UILocale:
    """The language for this request; the portal issue adds ?lang= and Accept-Language."""
    locale = getattr(request.state, "locale", None)
    if locale is None:
        locale = UILocale(DEFAULT_LANGUAGE)
        request.state.locale = locale
    return locale
