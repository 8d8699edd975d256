"""A secretary imports the branch's roster in a real Chromium (issue #6's journey): one bad
row is reported by row and column and nothing changes; the fixed sheet's preview says who
is new, and its confirmation imports it in a background job whose page reports it."""

import pytest

from kaoping.archive.services import ROSTER_HEADER
from kaoping.orgs.models import Member
from kaoping.testing.browser import assert_no_horizontal_scroll, refused_import_row, snap, upload
from kaoping.testing.sheets import xlsx_for_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FORM = "form[action$='/roster/import/']"


def roster(rows) -> dict:
    cells = [[values.get(label, "") for label in ROSTER_HEADER] for values in rows]
    return xlsx_for_browser(ROSTER_HEADER, cells, "roster.xlsx")


def test_secretary_fixes_a_bad_row_and_imports_the_roster(open_page, live_server, district, shots):
    page = open_page("sec1")
    page.locator("main h2").get_by_role("link", name="第一党支部").click()
    page.wait_for_load_state("networkidle")
    page.click("#archive a:has-text('党员名册')")
    page.wait_for_load_state()
    assert "张三" in page.locator("main").inner_text()
    new = {"编号": "M9", "姓名": "钱七", "性别": "女", "入党日期": "2020-07-01"}
    upload(page, FORM, roster([new, {"编号": "M10", "姓名": "孙八", "出生日期": "1980-13-01"}]))
    report = refused_import_row(page)
    assert "3" in report and "出生日期" in report and "1980-13-01" in report
    assert page.locator("button.primary", has_text="确认导入").count() == 0
    assert not Member.objects.filter(code__in=["M9", "M10"]).exists()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "roster-import-error")

    page.go_back()
    page.wait_for_load_state()
    upload(page, FORM, roster([new, {"编号": "M10", "姓名": "孙八", "出生日期": "1980-12-01"}]))
    assert (
        "钱七" in page.locator("main").inner_text()
        and "新增 2 名" in page.locator("main").inner_text()
    )
    snap(page, shots, "roster-import-preview")
    page.click("button.primary:has-text('确认导入 2 行')")
    page.wait_for_load_state()
    assert "已导入 2 名党员" in page.locator("#job-status").inner_text()  # the job's page
    page.goto(f"{live_server.url}/branches/B1/roster/")
    assert "钱七" in page.locator("main").inner_text()  # on the roster, listed
    assert set(
        Member.objects.filter(code__in=["M9", "M10"]).values_list("branch__code", flat=True)
    ) == {"B1"}
    snap(page, shots, "roster-import-done")
    assert (shots / "roster-import-done.png").exists()
