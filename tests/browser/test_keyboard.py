"""Keyboard alone: search from the home page, tick a filter, open an offer."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.support import wait_for_htmx

pytestmark = pytest.mark.browser

MAX_TABS = 300  # more than every link and checkbox of a search page


def _tab_to(page: Page, selector: str) -> str:
    """Press Tab until the focused element matches the selector; return its outer HTML."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return str(page.evaluate("() => document.activeElement.outerHTML"))
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


@pytest.mark.parametrize("width", [1280, 320])
def test_keyboard_alone_can_search_filter_and_open_an_offer(
    new_context: Callable[..., BrowserContext], width: int
) -> None:
    page = new_context(viewport={"width": width, "height": 720}).new_page()
    page.goto("/")
    _tab_to(page, "input#home-q")
    page.keyboard.type("motion")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/soeg" in page.url and "q=motion" in page.url

    # On a narrow screen the filters are folded: Enter on their summary unfolds them.
    if "<summary" in _tab_to(
        page, "#filters > summary, #search-body fieldset input[type=checkbox]"
    ):
        if not page.evaluate("() => document.getElementById('filters').open"):
            page.keyboard.press("Enter")
        _tab_to(page, "#search-body fieldset input[type=checkbox]")
    facet, code, box = page.evaluate(
        "() => [document.activeElement.name, document.activeElement.value,"
        " document.activeElement.id]"
    )
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: f"{facet}={code}" in url)
    wait_for_htmx(page)
    assert page.locator(f"#{box}").is_checked()
    # The swap must not throw the keyboard user back to the top of the page.
    assert page.evaluate("() => document.activeElement.id") == box

    _tab_to(page, '#results li.card h3 a[href^="/tilbud/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/tilbud/" in page.url
    assert page.locator("h1").inner_text().strip()
