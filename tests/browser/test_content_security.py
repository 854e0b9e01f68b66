"""Strict CSP in practice: every HTML response carries one without 'unsafe-inline', the pages hold
no inline script or style, the browser reports no CSP violation, and nothing is asked of any host
but our own."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.support import LANGS, PAGES, Watch, open_filters, open_page, wait_for_htmx

pytestmark = pytest.mark.browser

INLINE = """() => {
    const found = s => [...document.querySelectorAll(s)].map(e => e.outerHTML.slice(0, 120));
    return {
        scripts: found('script:not([src])'), styles: found('style'), attributes: found('[style]'),
    };
}"""


def _assert_clean(page: Page, watch: Watch) -> None:
    inline = page.evaluate(INLINE)
    assert inline == {"scripts": [], "styles": [], "attributes": []}, f"{page.url}: {inline}"
    assert not watch.foreign, f"{page.url} asked other hosts: {watch.foreign}"
    assert not watch.html_without_csp, f"HTML without a CSP header: {watch.html_without_csp}"
    assert not watch.unsafe_csp, f"CSP with 'unsafe-inline' or 'unsafe-eval': {watch.unsafe_csp}"
    assert not watch.csp_errors, f"{page.url}: CSP violations: {watch.csp_errors}"
    assert not watch.page_errors, f"{page.url}: script errors: {watch.page_errors}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_clean_under_strict_csp(
    new_context: Callable[..., BrowserContext],
    url_of: Callable[[str, str], str],
    base_url: str,
    name: str,
    lang: str,
) -> None:
    page = new_context().new_page()
    watch = Watch(base_url)
    watch.attach(page)
    open_page(page, url_of(name, lang), lang)
    page.wait_for_load_state("networkidle")
    _assert_clean(page, watch)

    # What htmx swaps in must be as clean as what the server sent first.
    boxes = page.locator("#search-body fieldset input[type=checkbox]")
    if boxes.count():
        open_filters(page)
        box = boxes.first
        before = page.url
        box.click()
        page.wait_for_url(lambda url: url != before)
        wait_for_htmx(page)
        page.wait_for_load_state("networkidle")
        _assert_clean(page, watch)
