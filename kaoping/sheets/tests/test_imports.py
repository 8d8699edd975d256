"""Imports through HTTP: template, upload → preview with row errors, confirm → a job that
applies all rows or none."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.dues.models import DuesPayment
from kaoping.dues.services import dues_month_close, dues_rate_set
from kaoping.jobs.models import JobRun
from kaoping.ledger.models import ScoreEntry
from kaoping.orgs.models import Member
from kaoping.sheets.xlsx import Column, read_rows, template_workbook
from kaoping.testing.sheets import ENTRY_HEADER, xlsx_upload

pytestmark = pytest.mark.django_db


def test_entries_template_has_commented_headers(client, district):
    client.force_login(district.sec1)
    response = client.get(reverse("web:entries_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert tuple(c.value for c in sheet[1]) == ENTRY_HEADER
    assert "必填" in sheet["A1"].comment.text and "可空" in sheet["D1"].comment.text
    assert sheet["B2"].value == "D07"  # the example row
    assert any("D2" in str(v.sqref) for v in sheet.data_validations.dataValidation)


def test_entries_import_with_a_bad_row_changes_nothing_then_imports(client, district):
    d = district
    client.force_login(d.sec1)
    url = reverse("web:entries_import", args=["B1"])
    page = client.get(reverse("web:branch", args=["B1"])).content.decode()
    assert url in page and reverse("web:entries_template") in page
    bad = client.post(
        url,
        {
            "file": xlsx_upload(
                ENTRY_HEADER,
                [
                    ["M1", "D07", "2026-03-02", 2, "迟到两次", "签到表"],
                    ["M2", "D07", "2026-03-02", 1, "", ""],  # another branch
                    ["M1B", "NOPE", "2026-03-03", None, "", ""],
                    ["M1B", "D07", "2026-13-01", 0, "", ""],
                ],
            )
        },
    )
    assert bad.status_code == 400
    assert [(e.row, e.column) for e in bad.context["errors"]] == [
        (3, "党员编号"),
        (4, "指标代码"),
        (5, "日期"),
        (5, "次数"),
    ]
    html = bad.content.decode()
    assert "cell-error" in html and "未导入任何数据" in html and "确认导入" not in html
    assert not ScoreEntry.objects.exists() and not JobRun.objects.exists()
    preview = client.post(
        url,
        {"file": xlsx_upload(ENTRY_HEADER, [["M1", "D07", "2026-03-02", 2, "迟到两次", "签到表"]])},
    )
    assert preview.status_code == 200 and "确认导入 1 行" in preview.content.decode()
    assert not ScoreEntry.objects.exists()
    done = client.post(
        reverse("web:entries_import_confirm", args=["B1"]),
        {"token": preview.context["token"]},
        follow=True,
    )
    job = JobRun.objects.get()
    assert done.redirect_chain[-1][0] == reverse("jobs:detail", args=[job.pk])
    assert job.state == "done" and "已导入 1 条" in done.content.decode()
    assert f'href="{reverse("web:branch", args=["B1"])}"' in done.content.decode()
    entry = ScoreEntry.objects.get()
    assert entry.member == d.m1 and entry.occurrences == 2 and entry.source == "sheet"
    assert entry.points == entry.item.points * 2 and entry.evidence == "签到表"
    assert entry.chain_seq == 1 and entry.chain_hash
    # The same token cannot be used for another branch.
    client.force_login(d.sec2)
    again = client.post(
        reverse("web:entries_import_confirm", args=["B2"]), {"token": preview.context["token"]}
    )
    assert again.status_code == 404


def test_a_row_that_goes_bad_after_the_preview_fails_the_job_with_a_report(client, district):
    d = district
    dues_rate_set(actor=d.sec1, member=d.m1, year=2026, amount=50)
    client.force_login(d.sec1)
    preview = client.post(
        reverse("dues:import", args=["B1"]),
        {
            "file": xlsx_upload(
                ("党员编号", "月份", "金额", "缴纳日期"), [["M1", "2026-03", "50", "2026-03-05"]]
            )
        },
    )
    assert preview.status_code == 200
    dues_month_close(actor=d.sec1, branch=d.b1, period=datetime.date(2026, 3, 1))
    done = client.post(
        reverse("dues:import_confirm", args=["B1"]),
        {"token": preview.context["token"]},
        follow=True,
    )
    job = JobRun.objects.get(kind="dues.import")
    assert job.state == "failed"
    assert job.result["errors"] == [
        {"row": 2, "column": "月份", "message": "2026-03 已结算，不能再补录。"}
    ]
    html = done.content.decode()
    assert "错误报告" in html and "2026-03 已结算" in html
    assert not DuesPayment.objects.exists()


def test_imports_refuse_other_branches(client, district):
    d = district
    client.force_login(d.sec2)
    file = xlsx_upload(ENTRY_HEADER, [["M1", "D07", "2026-03-02", 1, "", ""]])
    assert (
        client.post(reverse("web:entries_import", args=["B1"]), {"file": file}).status_code == 404
    )
    client.force_login(d.supervisor)  # reads B2 but does not manage it
    assert (
        client.post(reverse("web:entries_import", args=["B2"]), {"file": file}).status_code == 403
    )
    client.force_login(d.sec1)
    bogus = client.post(reverse("web:entries_import_confirm", args=["B1"]), {"token": "x"})
    assert bogus.status_code == 404
    assert not JobRun.objects.exists()


def test_a_non_xlsx_upload_is_refused(client, district):
    client.force_login(district.sec1)
    response = client.post(
        reverse("web:entries_import", args=["B1"]),
        {"file": SimpleUploadedFile("a.csv", b"M1,D07")},
    )
    assert response.status_code == 400 and ".xlsx" in response.content.decode()


def test_read_rows_converts_and_reports_every_cell():
    columns = (
        Column("code", "编号"),
        Column("n", "次数", kind="int", min_value=1),
        Column("x", "金额", kind="decimal", decimal_places=2, required=False),
        Column("d", "日期", kind="date"),
        Column("m", "月份", kind="month", required=False),
        Column("c", "选项", choices=("优秀", "合格"), required=False),
    )
    book = load_workbook(io.BytesIO(template_workbook(columns)))
    sheet = book.active
    sheet.append(["A", "2", "1.5", "2026-01-02", "2026-02", "优秀"])
    sheet.append(["B", "x", "1.555", "02/01/2026", "2026", "良"])
    sheet.append([None, None, None, None, None, None])  # blank rows are skipped
    excel_time = datetime.datetime(2026, 1, 3)  # noqa: DTZ001 - spreadsheet cells are naive
    sheet.append(["C", 0, None, excel_time, datetime.date(2026, 5, 9), None])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    rows, errors = read_rows(out, columns)
    assert [r.line for r in rows] == [2, 3, 5]
    assert rows[0].values == {
        "code": "A",
        "n": 2,
        "x": __import__("decimal").Decimal("1.5"),
        "d": datetime.date(2026, 1, 2),
        "m": datetime.date(2026, 2, 1),
        "c": "优秀",
    }
    assert rows[2].values["d"] == datetime.date(2026, 1, 3)
    assert rows[2].values["m"] == datetime.date(2026, 5, 1)
    assert [(e.row, e.column) for e in errors] == [
        (3, "次数"),
        (3, "金额"),
        (3, "日期"),
        (3, "月份"),
        (3, "选项"),
        (5, "次数"),
    ]
    assert str(errors[0]) == "第3行 次数：应为整数，收到“x”。"


def test_member_statuses_and_frozen_years_are_row_errors(client, district):
    d = district
    Member.objects.filter(pk=d.m1b.pk).update(status=Member.Status.TRANSFERRED_OUT)
    client.force_login(d.sec1)
    bad = client.post(
        reverse("web:entries_import", args=["B1"]),
        {
            "file": xlsx_upload(
                ENTRY_HEADER,
                [["M1B", "D07", "2026-03-02", 1, "", ""], ["M1", "D07", "2031-03-02", 1, "", ""]],
            )
        },
    )
    assert [(e.row, e.column) for e in bad.context["errors"]] == [(2, "党员编号"), (3, "日期")]
