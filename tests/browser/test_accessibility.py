"""Every main page, in Danish and English: no WCAG 2.0/2.1 A or AA violation found by axe-core,
and nothing scrolls sideways on a 320 px wide phone."""

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page

from tests.browser.support import LANGS, PAGES, open_filters, open_page

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_wcag_violation(
    page: Page, url_of: Callable[[str, str], str], name: str, lang: str
) -> None:
    url = url_of(name, lang)
    open_page(page, url, lang)
    if name in ("search", "filtered", "zero-hits"):  # the page we mean to check, not another
        cards = page.locator("#results li.card").count()
        assert (cards == 0) == (name == "zero-hits"), f"{url}: {cards} result cards"
    results = Axe().run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    assert not violations, f"axe-core on {url}:\n{_report(violations)}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_scrolls_sideways_at_320_px(
    new_context: Callable[..., BrowserContext],
    url_of: Callable[[str, str], str],
    name: str,
    lang: str,
) -> None:
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    url = url_of(name, lang)
    open_page(page, url, lang)
    _assert_fits(page, url)
    # A phone user unfolds the filters too: they must fit as well.
    open_filters(page)
    _assert_fits(page, url)


def _assert_fits(page: Page, url: str) -> None:
    widths = page.evaluate(
        """() => {
            const root = document.scrollingElement;
            const wide = [...document.body.querySelectorAll('*')]
                .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5)
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
            return {scroll: root.scrollWidth, client: root.clientWidth, wide};
        }"""
    )
    assert widths["scroll"] <= widths["client"], (
        f"{url} at 320 px: scrollWidth {widths['scroll']} > clientWidth {widths['client']}; "
        f"too wide: {widths['wide']}"
    )
