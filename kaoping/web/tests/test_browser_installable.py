# ruff: noqa: F811 - the browser fixtures are imported by name
"""In Chromium: the service worker installs, and with the network gone a page shows the
offline page from its cache (the app on a member's home screen says why it is empty)."""

import pytest

from kaoping.web.tests.test_browser import MOBILE, browser, log_in, new_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_without_network_the_installed_app_shows_the_offline_page(browser, live_server, district):
    district.member1.set_password("pass-for-tests-1")
    district.member1.save()
    page = new_page(browser, live_server, MOBILE)
    log_in(page, live_server, "member1")
    page.goto(f"{live_server.url}/me/")
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/"
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/me/")
    assert page.locator("h1").inner_text() == "网络未连接"
    assert page.evaluate("getComputedStyle(document.querySelector('.card')).borderTopStyle") == (
        "solid"  # the cached stylesheet applies
    )
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/me/")
    assert "张三" in page.locator("h1").inner_text()
