"""First view with a cold cache, on a weak connection every byte counts: home at most 50 KB,
a search page at most 80 KB, all responses together as they went over the wire."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.support import PAGES, TRANSFERS

pytestmark = pytest.mark.browser

KB = 1024
BUDGETS = {"home": 50 * KB, "search": 80 * KB, "filtered": 80 * KB}


@pytest.mark.parametrize("name", list(BUDGETS))
def test_first_view_stays_within_budget(
    new_context: Callable[..., BrowserContext], name: str
) -> None:
    context = new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    urls: dict[str, str] = {}
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    # encodedDataLength is what came over the wire for a response: headers and compressed body.
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    cdp.on("Network.loadingFailed", lambda e: sizes.__setitem__(e["requestId"], 0))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    response = page.goto(PAGES[name], wait_until="networkidle")
    assert response is not None and response.status == 200
    # Let the last events arrive: every request seen must have finished (or failed).
    for _ in range(100):
        if urls.keys() <= sizes.keys():
            break
        page.evaluate("() => new Promise(resolve => requestAnimationFrame(resolve))")
    assert urls.keys() <= sizes.keys(), (
        f"unfinished: {[urls[k] for k in urls.keys() - sizes.keys()]}"
    )

    total = sum(sizes.values())
    parts = ", ".join(f"{urls[key].split('/', 3)[-1] or '/'} {sizes[key] / KB:.1f}" for key in urls)
    line = f"{name} {PAGES[name]}: {total / KB:.1f} KB of {BUDGETS[name] / KB:.0f} KB ({parts})"
    TRANSFERS.append(line)
    assert total <= BUDGETS[name], line
