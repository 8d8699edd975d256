"""The committee admin gives a branch its logins in a real Chromium: from the guided
start's last step to the accounts page, the confirmation, the batch page and the PDF of
slips, on a phone and on a desktop screen (screenshots as the other browser tests)."""

import io
import os

import pytest
from pypdf import PdfReader

from kaoping.accounts.models import SlipBatch
from kaoping.accounts.seal import passwords_unseal
from kaoping.testing.factories import MemberFactory, OrganizationFactory
from kaoping.web.tests.test_browser import (
    assert_no_horizontal_scroll,
    browser,
    log_in,
    new_page,
    shots,
    snap,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser", "shots"]

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_admin_gives_a_branch_its_logins(browser, live_server, district, shots, screen):
    branch = OrganizationFactory(code="B3", name="第三党支部", parent=district.p1)
    for n in range(6):
        MemberFactory(code=f"C{n:02d}", name=f"党员{n:02d}", branch=branch)
    page = new_page(browser, live_server, SCREENS[screen])
    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/setup/")
    step = page.locator("#step-logins")
    assert "第六步：给党员开通账号" in step.inner_text()
    snap(page, shots, f"logins-{screen}-1-setup")
    step.locator("a", has_text="给党员开通账号").click()
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/")
    row = page.locator("#branches tr", has_text="第三党支部")
    assert "6" in row.inner_text()
    assert_no_horizontal_scroll(page)
    snap(page, shots, f"logins-{screen}-2-accounts")

    row.locator("a", has_text="第三党支部").click()
    page.wait_for_load_state()
    assert page.locator("#accounts td .empty", has_text="无账号").count() == 6
    assert_no_horizontal_scroll(page)
    snap(page, shots, f"logins-{screen}-3-branch")
    page.click("button[name=scope][value=all]")
    page.wait_for_load_state()
    confirm = page.locator("#confirm").inner_text()
    assert "将为 6 名党员开通账号" in confirm and not SlipBatch.objects.exists()
    assert_no_horizontal_scroll(page)
    snap(page, shots, f"logins-{screen}-4-confirm")
    page.click("#confirm button[type=submit]")
    page.wait_for_load_state()
    assert "已为 6 名党员开通账号" in page.locator(".messages").inner_text()
    assert "第一次下载" in page.locator("#slips").inner_text()
    assert_no_horizontal_scroll(page)
    snap(page, shots, f"logins-{screen}-5-batch")

    passwords = passwords_unseal(SlipBatch.objects.get().sealed)
    with page.expect_download() as download:
        page.click("#download-pdf")
    pdf = download.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert len(passwords) == 6 and all(p in text for p in passwords.values())
    page.reload()
    assert "PDF 已于" in page.locator("#slips").inner_text()
    snap(page, shots, f"logins-{screen}-6-downloaded")
