"""Every UI string is in every catalogue, and every catalogue compiles."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.i18n import LANGUAGES, LOCALES_DIR, translations

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]


def _source_messages() -> set[str]:
    found = extract_from_dir(ROOT, METHODS, keywords={"_": None, "gettext": None})
    ids = set()
    for _filename, _lineno, message, _comments, _context in found:
        ids.add(message if isinstance(message, str) else message[0])
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_every_ui_string(language: str) -> None:
    path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    in_catalog = {m.id for m in catalog if m.id}
    missing = _source_messages() - in_catalog
    assert not missing, f"run `make i18n-update`; missing from {language}: {sorted(missing)}"
    if language != "en":  # English message ids are the English text
        untranslated = sorted(m.id for m in catalog if m.id and not m.string)
        assert not untranslated, f"untranslated in {language}: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_compiles(language: str) -> None:
    assert translations(language).gettext("Skip to content")
