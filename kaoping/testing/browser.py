"""What the browser tests share (Playwright's sync API with Debian's chromium): the
``browser`` and ``shots`` fixtures (offered to every test by ``kaoping/conftest.py``),
signing in, and the checks every page gets (no sideways scrolling, screenshots).

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


def new_page(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    return page


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
