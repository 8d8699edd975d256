"""Reading an upload is bounded (issue 15, item 7): a file over the limits is refused at
once, from the zip's directory, with a message naming the limit (nothing parsed, nothing
stored, no job); the rows read are counted, blank or not; and the preview of a large file
runs in a background job, not in the web worker."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from kaoping.jobs.imports import UPLOADS
from kaoping.jobs.models import JobRun
from kaoping.ledger.models import ScoreEntry
from kaoping.sheets.xlsx import Column, read_rows
from kaoping.testing.xlsx_files import (
    blank_rows,
    declared_size_changed,
    text_row,
    unnumbered_blank_rows,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

ENTRY_HEADER = ("党员编号", "指标代码", "日期", "次数", "说明", "佐证")
SHEET = "xl/worksheets/sheet1.xml"
# Every import preview of a page, with the header its template starts with.
PREVIEWS = {
    "entries": ("web:entries_import", ENTRY_HEADER),
    "dues": ("dues:import", ("党员编号", "月份", "金额", "缴纳日期")),
    "roster": ("archive:roster_import", ("编号", "姓名")),
}


def stored_uploads() -> list[str]:
    return default_storage.listdir(UPLOADS)[1] if default_storage.exists(UPLOADS) else []


def refused(client, district, which: str, data: bytes):
    client.force_login(district.sec1)
    before = stored_uploads()
    name, _header = PREVIEWS[which]
    response = client.post(reverse(name, args=["B1"]), {"file": upload(data)})
    assert response.status_code == 400
    assert stored_uploads() == before and not JobRun.objects.exists()
    return response.content.decode()


@pytest.mark.parametrize("which", PREVIEWS)
def test_three_million_blank_rows_are_refused_before_parsing(client, district, which):
    # The file: a header, then 3 million empty rows and no <dimension>; a few dozen
    # KB that took a worker ~50 s to preview. The message is the zip-directory check's, so
    # openpyxl never saw the sheet.
    data = xlsx_bytes([text_row(1, PREVIEWS[which][1]), *unnumbered_blank_rows(3_000_000)])
    assert len(data) < 500_000
    html = refused(client, district, which, data)
    assert f"压缩比超过上限 100 倍（{SHEET}）" in html


def test_a_sheet_over_the_size_limit_is_refused_naming_it(client, district, settings):
    settings.KAOPING_SHEET_MAX_SHEET_BYTES = 1024 * 1024
    data = xlsx_bytes([text_row(1, ENTRY_HEADER), *blank_rows(2, 100_000)])
    html = refused(client, district, "entries", data)
    assert "工作表解压后 1.5 MB，超过上限 1 MB（多余的空行也算在内），未读取。" in html


def test_a_zip_bomb_is_refused_from_its_declared_size(client, district):
    data = xlsx_bytes([text_row(1, ENTRY_HEADER), text_row(2, ["M1", "D07", "2026-03-02"])])
    bomb = declared_size_changed(data, SHEET, 3_000_000_000)
    html = refused(client, district, "entries", bomb)
    assert "解压后共 2861 MB，超过上限 60 MB" in html


def test_rows_read_are_counted_blank_or_not(client, district, settings):
    settings.KAOPING_SHEET_MAX_READ_ROWS = 100
    columns = [Column("code", "党员编号")]
    # 500 blank rows, then one datum: every blank row is a row read.
    data = xlsx_bytes(
        [text_row(1, ["党员编号"]), *unnumbered_blank_rows(500), text_row(502, ["M1"])]
    )
    rows, errors = read_rows(io.BytesIO(data), columns)
    assert [str(e) for e in errors] == [
        "第101行：表格超过 100 行（空行也算在内），未导入；请删除多余的行后再上传。"
    ]
    # A far-off row number stands for every row before it.
    far = xlsx_bytes([text_row(1, ["党员编号"]), text_row(1_000_000, ["M1"])])
    rows, errors = read_rows(io.BytesIO(far), columns)
    assert rows == [] and "表格超过 100 行" in errors[0].message
    html = refused(
        client,
        district,
        "dues",
        xlsx_bytes([text_row(1, PREVIEWS["dues"][1]), *unnumbered_blank_rows(500)]),
    )
    assert "表格超过 100 行（空行也算在内）" in html


def test_a_large_upload_is_previewed_by_a_job_then_confirmed(client, district, settings):
    settings.KAOPING_IMPORT_INLINE_PREVIEW_BYTES = 1024
    d = district
    client.force_login(d.sec1)
    data = xlsx_bytes(
        [text_row(1, ENTRY_HEADER), text_row(2, ["M1", "D07", "2026-03-02", "2", "迟到", ""])]
    )
    assert len(data) > 1024
    response = client.post(reverse("web:entries_import", args=["B1"]), {"file": upload(data)})
    check = JobRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[check.pk])
    assert check.kind == "entries.import_preview" and check.state == "done"
    page = client.get(response["Location"]).content.decode()
    assert "已检查 1 行，没有错误" in page and "确认导入 1 行" in page
    assert not ScoreEntry.objects.exists()
    done = client.post(
        check.result["confirm"]["url"], {"token": check.result["confirm"]["token"]}, follow=True
    )
    job = JobRun.objects.exclude(pk=check.pk).get()
    assert done.redirect_chain[-1][0] == reverse("jobs:detail", args=[job.pk])
    assert job.state == "done" and ScoreEntry.objects.get().member == d.m1


def test_a_large_upload_with_errors_fails_its_check_job_with_the_report(client, district, settings):
    settings.KAOPING_IMPORT_INLINE_PREVIEW_BYTES = 1024
    client.force_login(district.sec1)
    data = xlsx_bytes(
        [text_row(1, ENTRY_HEADER), text_row(2, ["M1", "NOPE", "2026-03-02", "1", "", ""])]
    )
    response = client.post(reverse("web:entries_import", args=["B1"]), {"file": upload(data)})
    check = JobRun.objects.get()
    assert response.status_code == 302 and check.state == "failed"
    assert [e["column"] for e in check.result["errors"]] == ["指标代码"]
    assert "确认导入" not in client.get(response["Location"]).content.decode()
    assert stored_uploads() == []
