"""The confirm dialog and the toasts in a real browser (issue 19, item 1): cancelling
changes nothing; confirming posts with confirm and the answer shows as a toast."""

import pytest

from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.services import round_open
from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.models import Meeting
from kaoping.testing.browser import DESKTOP
from kaoping.testing.factories import b1_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_confirm_dialog_cancels_and_confirms_then_a_toast(open_page, live_server, district):
    round_open(actor=district.sec1, branch=district.b1, year=2026)
    page = open_page("sec1", DESKTOP)
    page.goto(f"{live_server.url}/eval/B1/2026/")
    page.wait_for_load_state("networkidle")
    button = page.locator("#steps form[action$='/do/advance/'] button")
    button.click()
    dialog = page.locator("dialog#kp-confirm")
    # the consequences the server's confirmation page lists, fetched without confirm
    dialog.locator("ul.consequences").wait_for()
    assert "自评已提交" in dialog.inner_text()
    dialog.get_by_role("button", name="取消").click()
    assert not dialog.is_visible()
    assert page.url.endswith("/eval/B1/2026/")
    assert EvaluationRound.objects.get().step == EvaluationRound.Step.SELF

    button.click()
    dialog.locator("ul.consequences").wait_for()
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()
    page.wait_for_load_state("networkidle")
    assert EvaluationRound.objects.get().step == EvaluationRound.Step.PEER
    toast = page.locator(".kp-toasts[role=status] .kp-toast")
    assert "已结束“党员自评”环节，进入“党员互评”。" in toast.inner_text()
    toast.locator("[data-toast-close]").click()
    assert page.locator(".kp-toasts").count() == 0


def test_save_and_close_asks_only_for_the_close(open_page, live_server, district):
    """A submit button marked data-confirm: 保存考勤 posts at once, 保存并关闭考勤 shows
    the deductions the closing will record, and 确认 saves and closes."""
    meeting = b1_meeting(district)
    page = open_page("sec1", DESKTOP)
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/meetings/{meeting.code}/")
    page.wait_for_load_state("networkidle")
    page.check(f"input[name=a-{district.m1.code}][value=absent]")
    with page.expect_navigation():
        page.locator("button[name=save]").click()  # no dialog for saving
    page.wait_for_load_state("networkidle")
    assert page.locator("dialog#kp-confirm[open]").count() == 0
    page.locator("button[name=close]").click()
    dialog = page.locator("dialog#kp-confirm")
    dialog.locator("ul.consequences").wait_for()
    assert district.m1.name in dialog.inner_text() and "分" in dialog.inner_text()
    assert not Meeting.objects.get(pk=meeting.pk).is_closed
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()
    page.wait_for_load_state("networkidle")
    assert Meeting.objects.get(pk=meeting.pk).is_closed
    assert ScoreEntry.objects.filter(member=district.m1).count() == 1
    assert "考勤已关闭，新增 1 条扣分记录。" in page.locator(".kp-toasts").inner_text()
