"""The staff pages in a real browser, in Danish and English, at 320 px and on a desktop: no
WCAG 2.1 A/AA violation found by axe-core, nothing scrolls sideways, log-in and out work."""

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page

from tests.browser.support import LANGS
from tests.browser.test_accessibility import AXE_OPTIONS, _assert_fits, _report

pytestmark = pytest.mark.browser

STAFF_PAGES = {"dashboard": "/personale/", "dashboard-search": "/personale/?q=motion"}
VIEWPORTS = {"phone": {"width": 320, "height": 640}, "desktop": {"width": 1280, "height": 900}}


def _check(page: Page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"axe-core on {url}:\n{_report(violations)}"
    _assert_fits(page, url)


def _in(lang: str, path: str) -> str:
    return path if lang == "da" else path + ("&" if "?" in path else "?") + f"lang={lang}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
def test_log_in_page(new_context: Callable[..., BrowserContext], lang: str, viewport: str) -> None:
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    _check(page, _in(lang, "/log-ind"))
    # A failed attempt shows its message, still without violations.
    page.fill("#login-email", "ingen@kommune.dk")
    page.fill("#login-password", "forkert-kode-forkert")
    page.click("form.staff-form button[type=submit]")
    assert page.locator("#login-error").is_visible()
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, _report(violations)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_staff_pages(
    staff_context: Callable[..., BrowserContext], name: str, lang: str, viewport: str
) -> None:
    page = staff_context(viewport=VIEWPORTS[viewport]).new_page()
    _check(page, _in(lang, STAFF_PAGES[name]))


@pytest.mark.parametrize("lang", LANGS)
def test_staff_offer_page_shows_the_marked_box(
    staff_context: Callable[..., BrowserContext], offer_path: str, lang: str
) -> None:
    page = staff_context(viewport=VIEWPORTS["phone"]).new_page()
    _check(page, _in(lang, offer_path))
    assert page.locator("#staff-facts").is_visible()


def test_log_out_from_the_dashboard(staff_context: Callable[..., BrowserContext]) -> None:
    page = staff_context().new_page()
    page.goto("/personale/")
    page.click(".staff-nav button[type=submit]")
    page.wait_for_url("**/")
    page.goto("/personale/")
    assert "/log-ind" in page.url


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("where", ["", "/historik"])
def test_editor_and_history_pages(
    staff_context: Callable[..., BrowserContext],
    offer_path: str,
    lang: str,
    viewport: str,
    where: str,
) -> None:
    page = staff_context(viewport=VIEWPORTS[viewport]).new_page()
    editor = offer_path.replace("/tilbud/", "/personale/tilbud/")
    _check(page, _in(lang, editor + where))


def test_edit_in_the_browser_find_it_and_restore_it(
    staff_context: Callable[..., BrowserContext], offer_path: str
) -> None:
    page = staff_context().new_page()
    editor = offer_path.replace("/tilbud/", "/personale/tilbud/")
    page.goto(editor)
    description = page.locator("#f-description")
    description.fill(description.input_value() + " Vi har også en zyxbrowserord.")
    page.click("form.editor button[type=submit]")
    page.wait_for_url("**gemt=1")
    assert page.locator(".notice.saved").is_visible()
    page.goto("/soeg?q=zyxbrowserord")
    assert page.locator(f'#results a[href="{offer_path}"]').count() == 1
    # A page with errors keeps what was typed.
    page.goto(editor)
    page.fill("#f-min_age", "tre")
    page.fill("#f-fees", "Skal ikke forsvinde")
    page.click("form.editor button[type=submit]")
    assert page.locator("#editor-errors").is_visible()
    assert page.locator("#f-fees").input_value() == "Skal ikke forsvinde"
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, _report(violations)
    # Restore the version before the edit.
    page.goto(editor + "/historik")
    page.locator("li.revision").last.locator("button").click()
    page.wait_for_url("**/historik")
    page.goto("/soeg?q=zyxbrowserord")
    assert page.locator(f'#results a[href="{offer_path}"]').count() == 0


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["/personale/konti", "/personale/tokens"])
def test_admin_pages(
    admin_context: Callable[..., BrowserContext], path: str, lang: str, viewport: str
) -> None:
    page = admin_context(viewport=VIEWPORTS[viewport]).new_page()
    _check(page, _in(lang, path))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
def test_error_report_form_queue_and_outbox(
    new_context: Callable[..., BrowserContext],
    admin_context: Callable[..., BrowserContext],
    offer_path: str,
    lang: str,
    viewport: str,
) -> None:
    citizen = new_context(viewport=VIEWPORTS[viewport]).new_page()
    form = _in(lang, offer_path + "/fejl")
    _check(citizen, form)
    if viewport == "phone":  # posts count towards the rate limit: the error state once a language
        citizen.click(".report-form button[type=submit]")  # empty: the error is shown
        assert citizen.locator("#report-error").is_visible()
        violations = Axe().run(citizen, options=AXE_OPTIONS).response["violations"]
        assert not violations, _report(violations)
    citizen.fill("#report-text", f"<b>Forkert</b> tid ({lang}, {viewport})")
    citizen.fill("#report-email", "borger@example.dk")
    citizen.click(".report-form button[type=submit]")
    assert citizen.locator("h1").inner_text() in ("Tak", "Thank you")

    admin = admin_context(viewport=VIEWPORTS[viewport]).new_page()
    _check(admin, _in(lang, "/personale/moderation"))
    item = admin.locator(".queue-item", has_text=f"<b>Forkert</b> tid ({lang}, {viewport})")
    item.locator("textarea").fill("Tak, vi har rettet det.")
    item.locator("button[type=submit]").first.click()
    admin.wait_for_url("**/personale/moderation")
    _check(admin, _in(lang, "/personale/udbakke"))


def _fill_submission(page: Page, name: str) -> None:
    page.fill("#s-name", name)
    page.fill("#s-organization", "Strikkeforeningen")
    page.fill("#s-description", "Vi strikker og drikker kaffe. Alle er velkomne.")
    page.check('input[name="tema"][value="faellesskab"]')
    page.fill("#s-schedules", "tirsdag 10:00-12:00")
    page.fill("#s-email", "strik@example.dk")
    page.check("#s-consent")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
def test_submission_form_empty_with_errors_and_preview(
    new_context: Callable[..., BrowserContext], lang: str, viewport: str
) -> None:
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    _check(page, _in(lang, "/opret"))
    page.click('button[value="preview"]')
    assert page.locator("#submit-errors").is_visible()
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, _report(violations)
    _assert_fits(page, "/opret with errors")
    _fill_submission(page, f"Strikkecafé {lang} {viewport}")
    page.click('button[value="preview"]')
    assert page.locator("#preview").is_visible()
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, _report(violations)
    _assert_fits(page, "/opret preview")


def test_an_association_posts_and_staff_approve_in_the_browser(
    new_context: Callable[..., BrowserContext], admin_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto("/opret")
    _fill_submission(page, "Strikkecafé zyxbrowser")
    page.click('button[value="preview"]')
    page.click('button[value="send"]')
    link = page.locator("#edit-link").inner_text()
    page.goto("/soeg?q=zyxbrowser")
    assert page.locator("#results li.card").count() == 0
    staff = admin_context().new_page()
    staff.goto("/personale/moderation")
    item = staff.locator(".queue-item", has_text="Strikkecafé zyxbrowser")
    item.locator("button[type=submit]").first.click()
    staff.wait_for_url("**/personale/moderation")
    page.goto("/soeg?q=zyxbrowser")
    assert page.locator("#results li.card").count() == 1
    own = link.split("8000", 1)[-1] if "8000" in link else link
    _check(page, own)
    assert page.locator("#submission-status").is_visible()
    _check(page, own + "/ret")  # the sender's own form, filled in
    assert "Strikkecafé zyxbrowser" in page.locator("#s-name").input_value()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_staff_edit_a_submission_then_approve_it(
    new_context: Callable[..., BrowserContext],
    admin_context: Callable[..., BrowserContext],
    viewport: str,
) -> None:
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    page.goto("/opret")
    _fill_submission(page, f"Strikkecafé zyxret {viewport}")
    page.fill("#s-address", "Torvet 2")
    page.fill("#s-postcode", "4400")
    page.locator("#s-town").select_option(index=1)  # the first town the catalogue knows
    town = page.locator("#s-town").input_value()
    page.check('input[name="tilgaengelighed"][value="trinfri"]')
    page.click('button[value="preview"]')
    assert f"4400 {town}" in page.locator("#preview").inner_text()
    page.click('button[value="send"]')
    page.locator("#edit-link").wait_for()

    staff = admin_context(viewport=VIEWPORTS[viewport]).new_page()
    staff.goto("/personale/moderation")
    item = staff.locator(".queue-item", has_text=f"Strikkecafé zyxret {viewport}")
    item.locator('a[href$="/rediger"]').click()
    staff.wait_for_url("**/rediger")
    violations = Axe().run(staff, options=AXE_OPTIONS).response["violations"]
    assert not violations, _report(violations)
    _assert_fits(staff, "edit, then approve")
    assert staff.locator("#f-town").input_value() == town
    assert staff.locator('input[name="tilgaengelighed"][value="trinfri"]').is_checked()
    staff.fill("#f-description", "Vi strikker zyxrettet og drikker kaffe.")
    staff.click("form.editor button[type=submit]")
    staff.wait_for_url("**/personale/moderation")
    assert staff.locator(".queue-item", has_text=f"zyxret {viewport}").count() == 0
    page.goto("/soeg?q=zyxrettet")
    assert page.locator("#results li.card", has_text=f"zyxret {viewport}").count() == 1
