"""The association's form in the browser: live readability help through htmx."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

HARD = (
    "Foreningens aktivitetsudvalg tilrettelægger kontinuerligt socialpædagogiske arrangementer "
    "med henblik på inkluderende fællesskabsfremmende initiativer for borgere med "
    "forskelligartede funktionsnedsættelser."
)


def test_readability_feedback_appears_while_typing(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context().new_page()
    page.goto("/opret")
    assert page.locator("#readability .verdict").count() == 0
    page.locator("#s-description").press_sequentially("Vi går en tur. Alle kan være med.")
    page.locator("#readability .verdict").wait_for()
    assert "let at læse" in page.locator("#readability .verdict").inner_text()
    page.fill("#s-description", HARD)
    page.locator("#s-description").press("End")
    page.locator("#readability .level-very-hard").wait_for()
    assert page.locator("#readability strong.long-word").count() >= 1
