"""What the browser tests share (Playwright's sync API with Debian's chromium): the
``browser``, ``shots`` and ``open_page`` fixtures (offered to every test by
``kaoping/conftest.py``), signing in, and the checks every page gets (no sideways scrolling,
screenshots).

Screenshots go to ``tmp_path`` (or to ``KAOPING_SCREENSHOT_DIR`` when set, to look at them).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django must not refuse the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pass-for-tests-1"  # noqa: S105 - the test accounts only
MOBILE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: the browser tests need Debian's chromium"
        if os.environ.get("KAOPING_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    target = os.environ.get("KAOPING_SCREENSHOT_DIR")
    path = Path(target) if target else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_page(browser, live_server, viewport, *, timeout=30_000, **options):
    """A page in a new context (its own cookies) at ``viewport``; ``options`` go to the
    context (``java_script_enabled=False``), ``timeout`` (ms) is Playwright's default wait."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    page = context.new_page()
    # 30 s (it was 10): a click that posts a form waits for the server's answer
    # within it, and a heavy step (the finalisation) took 16 s on an overloaded machine.
    page.set_default_timeout(timeout)
    # Loading a page waits longer than finding an element on it: on a loaded CI machine
    # (two test workers, a browser and a live server on two cores) a first page has taken
    # over 10 s.
    page.set_default_navigation_timeout(max(timeout, 30_000))
    page.base_url = live_server.url
    return page


@pytest.fixture
def open_page(browser, live_server):
    """Opens a new page on the live server: ``open_page("sec1")`` a phone's signed in as
    sec1, ``open_page("sec1", DESKTOP)`` a desktop's, ``open_page(None)`` nobody's; the
    options are ``new_page``'s. The factories' users have the tests' password already."""

    def open_(username, viewport=MOBILE, **options):
        page = new_page(browser, live_server, viewport, **options)
        if username is not None:
            log_in(page, live_server, username)
        return page

    return open_


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def signed_in_page(browser, live_server, user, viewport):
    """A new page signed in as ``user``, whose password becomes the tests' own."""
    user.set_password(PASSWORD)
    user.save()
    page = new_page(browser, live_server, viewport)
    log_in(page, live_server, user.get_username())
    return page


def assert_no_horizontal_scroll(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


def snap(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def upload(page, form: str, file) -> None:
    """Chooses ``file`` (``set_input_files``'s) in the file input of the form ``form`` (a
    selector) and submits it; returns once the answer has loaded."""
    located = page.locator(form)
    located.locator("input[type=file]").set_input_files(file)
    located.locator("button[type=submit]").click()
    page.wait_for_load_state()


def refused_import_row(page) -> str:
    """The text of the first row error of an import preview that imported nothing (which
    it checks)."""
    assert "未导入任何数据" in page.locator(".error-box").inner_text()
    return page.locator("table.row-errors tbody tr").first.inner_text()
