"""Every list export through HTTP: Chinese headers, the values, and 404 for another branch."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kaoping.claims.tests.support import a_claim
from kaoping.inspections.tests.support import b2_group, find, inspect
from kaoping.ledger.services import entry_record
from kaoping.meetings.services import attendance_take
from kaoping.schemes.models import SchemeItem
from kaoping.testing.factories import b1_meeting, dues_paid
from kaoping.testing.sheets import export_cells, export_rows

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(response.streaming_content)
    rows = export_rows(body)
    return rows[0], rows[1:]


def item(d, code):
    return SchemeItem.objects.get(scheme=d.scheme, code=code)


def test_ledger_and_results_export(client, district):
    d = district
    entry_record(
        actor=d.sec1, member=d.m1, item=item(d, "D07"), date=datetime.date(2026, 3, 2), note="迟到"
    )
    entry_record(actor=d.sec2, member=d.m2, item=item(d, "D07"), date=datetime.date(2026, 3, 2))
    client.force_login(d.sec1)
    header, rows = sheet(client.get(reverse("web:entries_xlsx", args=["B1"]) + "?year=2026"))
    assert header[:4] == ("记录编号", "日期", "党员编号", "姓名")
    assert [r[2] for r in rows] == ["M1"]  # B2's entry is not there
    assert rows[0][3] == "张三" and rows[0][4] == "D07" and rows[0][12] == "迟到"
    assert rows[0][1].date() == datetime.date(2026, 3, 2)
    header, rows = sheet(client.get(reverse("web:results_xlsx", args=["B1"]) + "?year=2026"))
    assert header[0] == "排名" and "综合得分" in header and "等次" in header
    by_code = {r[1]: r for r in rows}
    assert set(by_code) == {"M1", "M1B"}
    assert Decimal(str(by_code["M1"][3])) > 0  # deductions
    for name in ("web:entries_xlsx", "web:results_xlsx"):
        assert client.get(reverse(name, args=["B2"])).status_code == 404
        assert client.get(reverse(name, args=["NOPE"])).status_code == 404
    client.force_login(d.member1)  # a plain member cannot export their branch
    assert client.get(reverse("web:entries_xlsx", args=["B1"])).status_code == 404


def test_dues_export(client, district):
    d = district
    dues_paid(d, d.m1, Decimal("50"), datetime.date(2026, 1, 10))
    client.force_login(d.sec1)
    header, rows = sheet(client.get(reverse("dues:xlsx", args=["B1"]) + "?month=2026-01"))
    assert header[:4] == ("党员编号", "姓名", "月份", "应交")
    m1 = next(r for r in rows if r[0] == "M1")
    assert m1[2] == "2026-01" and Decimal(str(m1[3])) == 50 and Decimal(str(m1[5])) == 50
    assert m1[7] == "按时足额"
    assert client.get(reverse("dues:xlsx", args=["B2"])).status_code == 404


def test_claims_export(client, district):
    d = district
    claim = a_claim(d, description="获区级先进工作者")
    client.force_login(d.sec1)
    header, rows = sheet(client.get(reverse("claims:xlsx", args=["B1"])))
    assert header[:3] == ("申报编号", "党员编号", "姓名")
    assert rows[0][0] == claim.code and rows[0][7] == "获区级先进工作者" and rows[0][9] == "待审核"
    assert client.get(reverse("claims:xlsx", args=["B2"])).status_code == 404
    client.force_login(d.member1)
    assert client.get(reverse("claims:xlsx", args=["B1"])).status_code == 404


def test_inspection_register_export(client, district):
    d = district
    group = b2_group(d, "作风督查组")
    inspection = inspect(d, group, method="camera", findings="迟到")
    find(d, inspection, evidence_text="监控显示迟到")
    client.force_login(d.supervisor)
    page = client.get(reverse("inspections:group", args=[group.code]))
    assert reverse("inspections:xlsx", args=[group.code]) in page.content.decode()
    header, rows = sheet(client.get(reverse("inspections:xlsx", args=[group.code])))
    assert header[:3] == ("督查编号", "督查日期", "督查方式")
    assert rows[0][0] == inspection.code and rows[0][2] == "监控查验" and rows[0][5] == "M2"
    client.force_login(d.sec1)
    assert client.get(reverse("inspections:xlsx", args=[group.code])).status_code == 404


def test_attendance_export(client, district):
    d = district
    meeting = b1_meeting(d, datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC))
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "present", "M1B": "absent"})
    client.force_login(d.sec1)
    url = reverse("meetings:attendance_xlsx", args=["B1"])
    header, rows = sheet(client.get(url + "?year=2026"))
    assert header[:3] == ("会议编号", "会议类型", "开始时间")
    assert {(r[6], r[8]) for r in rows} == {("M1", "出席"), ("M1B", "缺席")}
    assert rows[0][2].isoformat() == "2026-04-01T17:00:00"  # local time, Asia/Shanghai
    _, rows = sheet(client.get(url + "?year=2025"))
    assert rows == []
    assert client.get(reverse("meetings:attendance_xlsx", args=["B2"])).status_code == 404


def test_branch_page_links_every_export(client, district):
    client.force_login(district.sec1)
    html = client.get(reverse("web:branch", args=["B1"])).content.decode()
    for name in ("web:entries_xlsx", "web:results_xlsx", "dues:xlsx", "claims:xlsx"):
        assert reverse(name, args=["B1"]) in html
    assert reverse("meetings:attendance_xlsx", args=["B1"]) in html


def test_export_query_count_is_constant(client, district, django_assert_max_num_queries):
    d = district
    for n in range(30):
        entry_record(
            actor=d.sec1,
            member=d.m1 if n % 2 else d.m1b,
            item=item(d, "D07"),
            date=datetime.date(2026, 3, 1) + datetime.timedelta(days=n),
        )
    client.force_login(d.sec1)
    with django_assert_max_num_queries(12):
        sheet(client.get(reverse("web:entries_xlsx", args=["B1"]) + "?year=2026"))


def test_user_text_that_looks_like_a_formula_stays_text(client, district):
    d = district
    payload = '=HYPERLINK("http://evil.example","点击")'
    entry_record(
        actor=d.sec1, member=d.m1, item=item(d, "D07"), date=datetime.date(2026, 3, 2), note=payload
    )
    client.force_login(d.sec1)
    response = client.get(reverse("web:entries_xlsx", args=["B1"]) + "?year=2026")
    body = b"".join(response.streaming_content)
    cells = export_cells(body)[1]
    note = cells[12]
    assert note.value == payload and note.data_type == "s"  # text, not a formula to run
