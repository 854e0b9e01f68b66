"""Helpers for the browser tests: the pages under test and what a page did while we watched."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Page, Request, Response

# The pages of the acceptance criteria; the offer page's address comes from a search.
PAGES = {
    "home": "/",
    "search": "/soeg?q=motion",
    "filtered": "/soeg?q=&tema=motion&adgang=gratis",
    "zero-hits": "/soeg?q=xyzzyqq",
    "offer": "",
}
LANGS = ["da", "en"]

# Lines of measured transfer sizes; conftest prints them after the run.
TRANSFERS: list[str] = []


def open_page(page: Page, url: str, lang: str) -> None:
    """Go to a page, check that it answered 200 in the expected language."""
    response = page.goto(url, wait_until="load")
    status = response.status if response else None
    assert status == 200, f"{url}: HTTP {status}"
    html_lang = page.locator("html").get_attribute("lang") or ""
    assert html_lang.split("-")[0] == lang, f"{url}: <html lang={html_lang!r}>, expected {lang}"


def wait_for_htmx(page: Page) -> None:
    """Until no htmx request is under way and the swapped content has settled."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
    )


@dataclass
class Watch:
    """What a page asked for and complained about while a test used it."""

    base_url: str
    foreign: list[str] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    html_without_csp: list[str] = field(default_factory=list)
    unsafe_csp: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.base_url:
            self.foreign.append(request.url)

    def _response(self, response: Response) -> None:
        headers = response.headers
        if not headers.get("content-type", "").startswith("text/html"):
            return
        csp = headers.get("content-security-policy")
        if not csp:
            self.html_without_csp.append(response.url)
        elif "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
            self.unsafe_csp.append(f"{response.url}: {csp}")

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_errors.append(message.text)


def open_filters(page: Page) -> None:
    """Unfold the filter panel as a user would when it is folded (as on a narrow screen)."""
    panel = page.locator("details#filters")
    if panel.count() and not panel.evaluate("el => el.open"):
        panel.locator("summary").click()
