"""The committee admin gives a branch its logins in a real Chromium: from the guided
start's last step to the accounts page, the confirmation, the batch page and the PDF of
slips, on a phone and on a desktop screen (screenshots as the other browser tests)."""

import io

import pytest
from pypdf import PdfReader

from kaoping.accounts.models import SlipBatch
from kaoping.accounts.seal import passwords_unseal
from kaoping.testing.browser import assert_no_horizontal_scroll, snap
from kaoping.testing.factories import MemberFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_admin_gives_a_branch_its_logins(open_page, live_server, district, shots, screen):
    branch = OrganizationFactory(code="B3", name="第三党支部", parent=district.p1)
    for n in range(6):
        MemberFactory(code=f"C{n:02d}", name=f"党员{n:02d}", branch=branch)
    page = open_page("admin", SCREENS[screen])
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

    # The admin makes 党员01 the branch's secretary on the roles page.
    page.goto(f"{live_server.url}/accounts/B3/roles/")
    page.fill("#id_person", "C01")
    page.select_option("#id_role", "secretary")
    page.click("#grant button[type=submit]")
    page.wait_for_load_state()
    assert "已授予 C01 “支部书记”角色" in page.locator(".messages").inner_text()
    snap(page, shots, f"logins-{screen}-7-secretary-granted")

    # 党员00 signs in with the slip, must choose a password first, then sees their page.
    member = open_page(None, SCREENS[screen])
    _first_login(member, live_server, "C00", passwords["C00"])
    snap(member, shots, f"logins-{screen}-8-changed")
    assert member.url.endswith("/work/")  # the workbench, the standing first
    member.get_by_role("link", name="查看我的评分台账").click()
    member.wait_for_load_state("networkidle")
    assert member.url.endswith("/me/") and "党员00" in member.content()
    assert_no_horizontal_scroll(member)
    snap(member, shots, f"logins-{screen}-9-member-page")

    # 党员01, now secretary, signs in the same way and makes 党员02 a 支委: the form offers
    # nothing beyond 支委, and another branch's roles page is not there for them.
    secretary = open_page(None, SCREENS[screen])
    _first_login(secretary, live_server, "C01", passwords["C01"])
    secretary.goto(f"{live_server.url}/accounts/B3/roles/")
    offered = secretary.locator("#id_role option").all_inner_texts()
    assert offered == ["支委"], offered
    secretary.fill("#id_person", "C02")
    secretary.click("#grant button[type=submit]")
    secretary.wait_for_load_state()
    assert "已授予 C02 “支委”角色" in secretary.locator(".messages").inner_text()
    assert "党员02" in secretary.locator("section.card", has_text="支委").first.inner_text()
    assert_no_horizontal_scroll(secretary)
    snap(secretary, shots, f"logins-{screen}-10-committee-granted")
    assert secretary.goto(f"{live_server.url}/accounts/B1/roles/").status == 404


NEW_PASSWORD = "Lanshan-Road-2026!"


def _first_login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.url.endswith("/account/password/"), page.url
    page.goto(f"{live_server.url}/me/")  # anything else leads back to the change first
    assert page.url.endswith("/account/password/")
    assert "请先设置自己的新密码" in page.content()
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("main button[type=submit].primary")
    page.wait_for_load_state()
    assert "密码已修改" in page.locator(".messages").inner_text()
