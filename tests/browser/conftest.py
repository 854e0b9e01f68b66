"""Browser tests: the real app served by `opslagstavle serve`, driven in Debian's headless Chromium.

Playwright only drives the browser; it never downloads one. Without Chromium the tests are
skipped locally and fail in CI (CI=true), where they must run.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.support import PAGES, TRANSFERS
from tests.staff.support import PASSWORD

BIN = Path(sys.executable).parent
LIMIT = 120.0  # seconds; only an upper bound for polling, never a timing assertion
TIMEOUT_MS = 60_000  # Playwright's waits: generous, for a busy two-core CI machine
MISSING = "Debian's chromium not found: apt-get install chromium"

# Without these flags Chromium reaches out to Google's hosts at start, which this machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """OPSLAGSTAVLE_TEST_CHROMIUM when set, else Debian's /usr/bin/chromium, else PATH."""
    wanted = os.environ.get("OPSLAGSTAVLE_TEST_CHROMIUM")
    if wanted:
        return wanted if os.access(wanted, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(base: str) -> bool:
    """Ready: serving, with the search index built (in the background, after start)."""
    try:
        with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if _in_ci():
            pytest.fail(f"{MISSING} (CI=true: the browser tests must run)", pytrace=False)
        pytest.skip(MISSING)
    return path


@pytest.fixture(scope="session")
def base_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`opslagstavle serve` over the demo catalogue in a temp data dir, one per session."""
    request.getfixturevalue("chromium")  # no server when the tests are skipped anyway
    data = tmp_path_factory.mktemp("browser-data")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPSLAGSTAVLE_")}
    env |= {"OPSLAGSTAVLE_DATA_DIR": str(data), "OPSLAGSTAVLE_DEMO": "1"}
    log_path = data / "server.log"
    # A staff account for the staff pages (tests/browser/test_staff_pages.py).
    for email, role in ((STAFF_EMAIL, "staff"), (ADMIN_EMAIL, "admin")):
        subprocess.run(
            [str(BIN / "opslagstavle"), "create-user", email, "--role", role],
            input=PASSWORD, env=env, text=True, check=True, capture_output=True,
        )  # fmt: skip
    command = [str(BIN / "opslagstavle"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + LIMIT
        while not _healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"the server did not start; its output:\n{tail}", pytrace=False)
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright, chromium: str) -> Iterator[Browser]:
    browser = playwright_session.chromium.launch(
        executable_path=chromium, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser, base_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh contexts (empty cache, no cookies) that ask for Danish, as a Danish browser does."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        settings: dict[str, Any] = {"base_url": base_url, "locale": "da-DK"} | options
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


STAFF_EMAIL = "sagsbehandler@kommune.dk"
ADMIN_EMAIL = "admin@kommune.dk"


@pytest.fixture
def staff_context(new_context: Callable[..., BrowserContext]) -> Callable[..., BrowserContext]:
    """Contexts logged in as staff through the log-in form, as a person would."""
    return _logged_in(new_context, STAFF_EMAIL)


@pytest.fixture
def admin_context(new_context: Callable[..., BrowserContext]) -> Callable[..., BrowserContext]:
    """Contexts logged in as an administrator."""
    return _logged_in(new_context, ADMIN_EMAIL)


def _logged_in(
    new_context: Callable[..., BrowserContext], email: str
) -> Callable[..., BrowserContext]:
    def make(**options: Any) -> BrowserContext:
        context = new_context(**options)
        page = context.new_page()
        page.goto("/log-ind")
        page.fill("#login-email", email)
        page.fill("#login-password", PASSWORD)
        page.click("form.staff-form button[type=submit]")
        page.wait_for_url("**/personale/")
        page.close()
        return context

    return make


@pytest.fixture(scope="session")
def offer_path(base_url: str) -> str:
    """The first result of a search for "motion", as a citizen would open it."""
    try:
        with urllib.request.urlopen(f"{base_url}/soeg?q=motion", timeout=30) as response:
            soup = BeautifulSoup(response.read(), "html.parser")
    except urllib.error.HTTPError as exc:
        pytest.fail(f"/soeg?q=motion answered HTTP {exc.code}: no offer page to test", False)
    link = soup.select_one('#results li.card h3 a[href^="/tilbud/"]')
    assert link is not None, "no result link `#results li.card h3 a` on /soeg?q=motion"
    return str(link["href"])


@pytest.fixture
def url_of(request: pytest.FixtureRequest) -> Callable[[str, str], str]:
    """The address of one of PAGES in a language; the offer page is looked up only when asked."""

    def url(name: str, lang: str) -> str:
        path = PAGES[name] or str(request.getfixturevalue("offer_path"))
        if lang == "da":  # the default, from the browser's Accept-Language
            return path
        return path + ("&" if "?" in path else "?") + urlencode({"lang": lang})

    return url


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the measured transfer sizes after the run, so CI logs show the figures."""
    if TRANSFERS:
        terminalreporter.section("first view with a cold cache")
        for line in TRANSFERS:
            terminalreporter.write_line(line)
