import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.dues.models import DuesPayment
from kaoping.ledger.models import ScoreEntry
from kaoping.testing.factories import MemberFactory
from kaoping.testing.sheets import DUES_HEADER, xlsx_upload

pytestmark = pytest.mark.django_db


def upload(rows):
    return xlsx_upload(DUES_HEADER, rows, "dues.xlsx")


def test_secretary_records_imports_and_closes_a_month_over_http(client, district):
    d = district
    client.force_login(d.sec1)
    page = client.get(reverse("dues:branch", args=["B1"]) + "?month=2026-03")
    assert page.status_code == 200 and "党费 2026-03" in page.content.decode()
    template = client.get(reverse("dues:template"))
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "党员编号"
    for m in ("M1", "M1B"):
        member = {"M1": d.m1, "M1B": d.m1b}[m]
        r = client.post(
            reverse("dues:rate", args=["B1"]),
            {"member": member.pk, "year": "2026", "amount": "40", "month": "2026-03"},
        )
        assert r.status_code == 302
    client.post(
        reverse("dues:payment", args=["B1"]),
        {"member": d.m1.pk, "month": "2026-03", "amount": "40", "paid_on": "2026-03-02"},
    )
    bad = client.post(
        reverse("dues:import", args=["B1"]),
        {"file": upload([["M1B", "2026-03", "-5", "2026-03-03"]])},
    )
    assert bad.status_code == 400 and "cell-error" in bad.content.decode()
    assert [(e.row, e.column) for e in bad.context["errors"]] == [(2, "金额")]
    preview = client.post(
        reverse("dues:import", args=["B1"]),
        {"file": upload([["M1B", "2026-03", "10", "2026-03-03"]])},
    )
    assert preview.status_code == 200 and "确认导入 1 行" in preview.content.decode()
    assert DuesPayment.objects.count() == 1
    done = client.post(
        reverse("dues:import_confirm", args=["B1"]),
        {"token": preview.context["token"]},
        follow=True,
    )
    assert "已导入 1 条党费记录" in done.content.decode()
    assert DuesPayment.objects.count() == 2
    # Without confirm: the consequences only, nothing closed.
    asked = client.post(reverse("dues:close", args=["B1"]), {"month": "2026-03"})
    assert asked.status_code == 200 and "结算不能撤销" in asked.content.decode()
    assert not ScoreEntry.objects.exists()
    confirmed = {"month": "2026-03", "confirm": "1"}
    closed = client.post(reverse("dues:close", args=["B1"]), confirmed, follow=True)
    assert "新增 1 条扣分记录" in closed.content.decode()
    entry = ScoreEntry.objects.get()
    assert entry.member == d.m1b and entry.source == "dues"
    again = client.post(reverse("dues:close", args=["B1"]), confirmed, follow=True)
    assert "未新增任何记录" in again.content.decode()
    assert ScoreEntry.objects.count() == 1


def test_dues_pages_refuse_other_branches_and_members(client, district):
    d = district
    client.force_login(d.sec2)
    assert client.get(reverse("dues:branch", args=["B1"])).status_code == 404
    assert client.post(reverse("dues:close", args=["B1"]), {"month": "2026-03"}).status_code == 404
    client.force_login(d.member1)
    assert client.get(reverse("dues:branch", args=["B1"])).status_code == 404
    client.force_login(d.orgdept)
    assert client.get(reverse("dues:branch", args=["B1"])).status_code == 200
    assert client.post(reverse("dues:close", args=["B1"]), {"month": "2026-03"}).status_code == 403


@pytest.mark.parametrize("n", [2, 12])
def test_dues_page_query_count_is_constant(client, district, n, django_assert_max_num_queries):
    d = district
    for i in range(n):
        MemberFactory(code=f"X{i:03d}", name=f"成员{i}", branch=d.b1)
    client.force_login(d.sec1)
    # 17: with the closing's rule (the item, the year not frozen), asked once per page
    with django_assert_max_num_queries(17):
        page = client.get(reverse("dues:branch", args=["B1"]) + "?month=2026-03")
    # one row a member (the table's status filter offers the label once more)
    assert page.content.decode().count("未设定数额") == n + 2 + 1


def test_month_closing_is_offered_only_when_it_is_allowed(client, district):
    """Issue 15, item 21e: the 结算 button shows only when the service's rule allows it;
    otherwise the page says why."""
    import datetime

    from django.utils import timezone

    client.force_login(district.sec1)
    close = f'action="{reverse("dues:close", args=["B1"])}"'
    future = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    page = client.get(reverse("dues:branch", args=["B1"]) + f"?month={future:%Y-%m}")
    html = page.content.decode()
    assert close not in html and "截止日过后才能结算" in html
    past = client.get(reverse("dues:branch", args=["B1"]) + "?month=2026-03").content.decode()
    assert close in past and 'id="close-blocker"' not in past
