"""In Chromium: the service worker installs, and with the network gone a page shows the
offline page from its cache (the app on a member's home screen says why it is empty)."""

import pytest

from kaoping.testing.browser import MOBILE, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_without_network_the_installed_app_shows_the_offline_page(browser, live_server, district):
    page = signed_in_page(browser, live_server, district.member1, MOBILE)
    page.goto(f"{live_server.url}/me/", wait_until="networkidle")
    # bounded: a worker that never registers is a failure here, not a hung suite
    scope = page.evaluate(
        "Promise.race([navigator.serviceWorker.ready.then(r => r.scope),"
        " new Promise(done => setTimeout(() => done(null), 15000))])"
    )
    assert scope == f"{live_server.url}/"
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/me/", wait_until="networkidle")
    assert page.locator("h1").inner_text() == "网络未连接"
    assert page.evaluate("getComputedStyle(document.querySelector('.card')).borderTopStyle") == (
        "solid"  # the cached stylesheet applies
    )
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/me/", wait_until="networkidle")
    assert "张三" in page.locator("h1").inner_text()
