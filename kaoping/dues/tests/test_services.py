import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kaoping.dues.models import DuesDeduction, DuesPayment
from kaoping.dues.selectors import dues_month
from kaoping.dues.services import (
    IMPORT_COLUMNS,
    dues_import,
    dues_import_check,
    dues_month_close,
    dues_payment_record,
    dues_rate_set,
    dues_settings_set,
)
from kaoping.ledger.models import ScoreEntry
from kaoping.sheets.xlsx import SheetErrors, read_rows
from kaoping.testing.factories import MemberFactory
from kaoping.testing.sheets import DUES_HEADER, xlsx_upload

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 1)


def xlsx(rows, header=DUES_HEADER):
    return xlsx_upload(header, rows, "dues.xlsx")


def setup_month(d):
    m3 = MemberFactory(code="M1C", name="孙七", branch=d.b1)
    m4 = MemberFactory(code="M1D", name="周八", branch=d.b1)
    for m in (d.m1, d.m1b, m3, m4):
        dues_rate_set(actor=d.sec1, member=m, year=2026, amount=Decimal("50.00"))
    pay = dues_payment_record
    pay(actor=d.sec1, member=d.m1, period=MARCH, amount=Decimal(50), paid_on=MARCH)
    pay(actor=d.sec1, member=d.m1b, period=MARCH, amount=Decimal(20), paid_on=MARCH)
    pay(
        actor=d.sec1,
        member=m3,
        period=MARCH,
        amount=Decimal(50),
        paid_on=datetime.date(2026, 4, 2),
    )
    return m3, m4


def test_month_statuses_and_closing_is_idempotent(district):
    d = district
    m3, m4 = setup_month(d)
    statuses = {r.member.code: r.status for r in dues_month(branch=d.b1, period=MARCH)}
    assert statuses == {"M1": "paid", "M1B": "short", "M1C": "late", "M1D": "unpaid"}
    created = dues_month_close(actor=d.sec1, branch=d.b1, period=MARCH)
    assert {e.member.code for e in created} == {"M1B", "M1C", "M1D"}
    assert all(e.source == ScoreEntry.Source.DUES and e.item.code == "D04" for e in created)
    assert all(e.date == datetime.date(2026, 3, 25) for e in created)
    assert dues_month_close(actor=d.sec1, branch=d.b1, period=MARCH) == []
    assert ScoreEntry.objects.count() == 3 and DuesDeduction.objects.count() == 3
    with pytest.raises(ValidationError):  # a closed month takes no more payments
        dues_payment_record(
            actor=d.sec1, member=m4, period=MARCH, amount=Decimal(50), paid_on=MARCH
        )


def test_deadline_and_item_are_branch_settings(district):
    d = district
    dues_settings_set(actor=d.sec1, branch=d.b1, deadline_day=10, item_code="D05")
    dues_rate_set(actor=d.sec1, member=d.m1, year=2026, amount=Decimal(30))
    dues_payment_record(
        actor=d.sec1,
        member=d.m1,
        period=MARCH,
        amount=Decimal(30),
        paid_on=datetime.date(2026, 3, 15),
    )
    [entry] = dues_month_close(actor=d.sec1, branch=d.b1, period=MARCH)
    assert entry.item.code == "D05" and entry.date == datetime.date(2026, 3, 10)


def test_closing_before_the_deadline_and_by_others_is_refused(district):
    d = district
    future = datetime.date(2099, 1, 1)
    with pytest.raises(ValidationError):
        dues_month_close(actor=d.sec1, branch=d.b1, period=future)
    with pytest.raises(PermissionDenied):
        dues_month_close(actor=d.sec2, branch=d.b1, period=MARCH)
    with pytest.raises(PermissionDenied):
        dues_payment_record(
            actor=d.member1, member=d.m1, period=MARCH, amount=Decimal(1), paid_on=MARCH
        )


def test_import_is_all_or_nothing_with_row_level_messages(district):
    d = district
    bad = xlsx(
        [
            ["M1", "2026-03", "50", "2026-03-05"],
            ["M2", "2026-03", "50", "2026-03-05"],  # another branch
            ["M1B", "2026-03", "abc", "2026-03-05"],
            ["M1B", "2026/03", "50", "2026-03-05"],
            ["M1B", "2026-03", "0", "2099-03-05"],
        ]
    )
    rows, errors = read_rows(bad, IMPORT_COLUMNS)
    assert [(e.row, e.column) for e in errors] == [(4, "金额"), (5, "月份")]
    good, errors = dues_import_check(actor=d.sec1, branch=d.b1, rows=rows)
    assert len(good) == 1
    assert [(e.row, e.column) for e in errors] == [(3, "党员编号"), (6, "金额"), (6, "缴纳日期")]
    assert str(errors[0]).startswith("第3行 党员编号：")
    with pytest.raises(SheetErrors) as refused:
        dues_import(actor=d.sec1, branch=d.b1, rows=rows)
    assert refused.value.row_errors[0].row == 3
    assert not DuesPayment.objects.exists()
    ok, errors = read_rows(
        xlsx([["M1", "2026-03", "50", datetime.date(2026, 3, 5)], ["M1B", "2026-03", 50.5, None]]),
        IMPORT_COLUMNS,
    )
    assert [(e.row, e.column) for e in errors] == [(3, "缴纳日期")]
    ok, errors = read_rows(
        xlsx([["M1", datetime.date(2026, 3, 1), 50, datetime.date(2026, 3, 5)]]), IMPORT_COLUMNS
    )
    assert not errors
    assert dues_import(actor=d.sec1, branch=d.b1, rows=ok) == 1
    _, errors = read_rows(xlsx([], header=("a", "b", "c", "d")), IMPORT_COLUMNS)
    assert {e.column for e in errors} == {"党员编号", "月份", "金额", "缴纳日期"}
    _, errors = read_rows(SimpleUploadedFile("x.xlsx", b"not a workbook"), IMPORT_COLUMNS)
    assert "无法读取" in errors[0].message
