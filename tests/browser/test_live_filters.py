"""A filter ticked with JavaScript swaps the results in place and puts itself in the URL; the same
URL without JavaScript shows the same results in the same order."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.support import open_filters, wait_for_htmx

pytestmark = pytest.mark.browser

RESULT_NAMES = '#results li.card h3 a[href^="/tilbud/"]'


def _names(page: Page) -> list[str]:
    return [name.strip() for name in page.locator(RESULT_NAMES).all_inner_texts()]


def test_filter_updates_results_in_place_and_url_works_without_javascript(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context().new_page()
    page.goto("/soeg?q=motion")
    before = _names(page)
    assert before, "a search for motion should find offers"
    page.evaluate("() => { window.stillTheSamePage = true; }")
    open_filters(page)

    boxes = page.locator("#search-body fieldset input[type=checkbox]:not(:checked)")
    assert boxes.count() > 0, "no filter checkbox on /soeg?q=motion"
    box = boxes.first
    facet, code, box_id = (
        box.get_attribute("name"),
        box.get_attribute("value"),
        box.get_attribute("id"),
    )
    box.check()
    page.wait_for_url(lambda url: f"{facet}={code}" in url)
    wait_for_htmx(page)

    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was loaded anew"
    assert page.locator(f"#{box_id}").is_checked()
    with_js = _names(page)
    assert with_js, f"no results after ticking {facet}={code}"
    count_with_js = page.locator("#result-count").inner_text().strip()

    plain = new_context(java_script_enabled=False).new_page()
    plain.goto(page.url)
    assert plain.locator(f"#{box_id}").is_checked()
    assert _names(plain) == with_js
    assert plain.locator("#result-count").inner_text().strip() == count_with_js


def test_show_more_adds_to_the_offers_that_may_fit_and_moves_focus(
    new_context: Callable[..., BrowserContext],
) -> None:
    """A broad word: the clear fits first, the rest under their own heading; "Vis flere" adds
    the next cards where they belong, in the same page, and puts focus on the first new one."""
    page = new_context().new_page()
    page.goto("/soeg?q=motion")
    clear = page.locator("#results > li").count()
    tail = page.locator("#results-tail > li").count()
    assert clear > 0 and tail > 0, "motion should find clear fits and offers that may fit"
    assert page.locator("h2.tail-heading").inner_text().strip() == "Andre tilbud, der måske passer"
    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.locator("a.more").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#results-tail > li').length > n", arg=tail
    )
    wait_for_htmx(page)
    assert page.evaluate("() => window.stillTheSamePage === true")
    assert page.locator("#results > li").count() == clear
    assert page.locator("h2.tail-heading").count() == 1
    first_new = page.evaluate(
        """n => document.activeElement.closest('li')
            === document.querySelectorAll('#results > li, #results-tail > li')[n]""",
        clear + tail,
    )
    assert first_new, "focus did not move to the first new card"
    # The numbers run on from the first list.
    assert page.locator("#results-tail").get_attribute("start") == str(clear + 1)
