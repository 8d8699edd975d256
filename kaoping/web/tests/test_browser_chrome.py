"""The confirm dialog and the toasts in a real browser (issue 19, item 1): cancelling
changes nothing; confirming posts with confirm and the answer shows as a toast."""

import pytest

from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.services import round_open

from .test_browser import browser, signed_in_page  # noqa: F401 - the fixture

DESKTOP = {"width": 1280, "height": 900}
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_confirm_dialog_cancels_and_confirms_then_a_toast(browser, live_server, district):  # noqa: F811
    round_open(actor=district.sec1, branch=district.b1, year=2026)
    page = signed_in_page(browser, live_server, district.sec1, DESKTOP)
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
