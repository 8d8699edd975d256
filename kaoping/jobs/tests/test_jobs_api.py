"""Background jobs and spreadsheet imports through the API (issue 20): the ledger's export
and the year's recomputation started as jobs, polled, their file fetched; the entries
import checked (row errors, or a token), confirmed once (a second confirmation 409), all
or nothing; each with its refusals, and the page and the API ending in the same state."""

import datetime

import pytest
from django.test import override_settings

from kaoping.jobs.models import JobRun
from kaoping.ledger.models import ScoreEntry
from kaoping.testing.api import bearer, send, session
from kaoping.testing.factories import ledger_entry
from kaoping.testing.xlsx_files import text_row, upload, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ENTRY_HEADER = ("党员编号", "指标代码", "日期", "次数", "说明", "佐证")
IMPORT = "/api/branches/B1/entries/import"


def sheet(*rows):
    lines = [text_row(1, ENTRY_HEADER)] + [text_row(n, r) for n, r in enumerate(rows, start=2)]
    return upload(xlsx_bytes(lines))


def test_an_export_runs_as_a_job_and_its_file_is_fetched(district):
    d = district
    ledger_entry(d, d.m1, "D07", datetime.date(2026, 3, 2), actor=d.sec1, note="迟到")
    sec = bearer(d.sec1)
    started = send(sec, "POST", "/api/years/2026/entries/export")
    assert started.status_code == 202, started.content
    job = started.json()
    assert job["kind"] == "entries.export" and job["state"] == "done"  # the tests' backend
    assert job["result"]["rows"] == 1 and job["file"] == f"/api/jobs/{job['id']}/file"
    polled = sec.get(f"/api/jobs/{job['id']}")
    assert polled.status_code == 200 and polled.json()["percent"] == 100
    listed = sec.get("/api/jobs?state=done").json()
    assert [j["id"] for j in listed["items"]] == [job["id"]]
    assert sec.get("/api/jobs?state=failed").json()["items"] == []
    download = sec.get(job["file"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an xlsx
    # another officer's job is not theirs to see; a year without scheme is 404
    assert bearer(d.sec2).get(f"/api/jobs/{job['id']}").status_code == 404
    assert bearer(d.sec2).get(job["file"]).status_code == 404
    assert send(sec, "POST", "/api/years/2031/entries/export").status_code == 404
    assert send(bearer(d.member1), "POST", "/api/years/2026/entries/export").status_code == 404


def test_only_the_committee_admin_recomputes_a_year(district):
    d = district
    started = send(bearer(d.admin), "POST", "/api/years/2026/results/compute")
    assert started.status_code == 202, started.content
    assert started.json()["kind"] == "results.compute" and started.json()["state"] == "done"
    refused = send(bearer(d.sec1), "POST", "/api/years/2026/results/compute")
    assert refused.status_code == 403 and "党工委管理员" in refused.json()["detail"]
    assert JobRun.objects.count() == 1


def test_an_import_is_checked_then_confirmed_once(district):
    d = district
    sec = bearer(d.sec1)
    checked = sec.post(IMPORT, {"file": sheet(["M1", "D07", "2026-03-02", "1", "迟到", ""])})
    assert checked.status_code == 200, checked.content
    body = checked.json()
    assert body["rows"] == 1 and body["errors"] == [] and body["token"]
    assert not ScoreEntry.objects.exists()  # checking writes nothing
    url = f"{IMPORT}/confirm"
    confirmed = send(sec, "POST", url, {"token": body["token"]})
    assert confirmed.status_code == 202, confirmed.content
    assert confirmed.json()["state"] == "done" and ScoreEntry.objects.count() == 1
    again = send(sec, "POST", url, {"token": body["token"]})
    assert again.status_code == 409 and again.json()["code"] == "already_confirmed"
    assert again.json()["errors"]["job"] == [str(confirmed.json()["id"])]
    assert ScoreEntry.objects.count() == 1 and JobRun.objects.count() == 1


def test_an_import_with_a_bad_row_names_it_and_cannot_be_confirmed(district):
    d = district
    sec = bearer(d.sec1)
    rows = (["M1", "D07", "2026-03-02", "1", "迟到", ""], ["M2", "D07", "2026-03-02", "1", "", ""])
    checked = sec.post(IMPORT, {"file": sheet(*rows)})
    assert checked.status_code == 200
    body = checked.json()
    assert body["token"] is None and body["rows"] == 2
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "党员编号")]
    assert not ScoreEntry.objects.exists()


def test_import_refusals(district):
    d = district
    good = ["M1", "D07", "2026-03-02", "1", "迟到", ""]
    assert bearer(d.sec2).post(IMPORT, {"file": sheet(good)}).status_code == 404
    assert bearer(d.member1).post(IMPORT, {"file": sheet(good)}).status_code == 404
    assert bearer(d.orgdept).post(IMPORT, {"file": sheet(good)}).status_code == 403
    sec = bearer(d.sec1)
    text = sec.post(IMPORT, {"file": upload(b"a,b", name="entries.csv")})
    assert text.status_code == 422 and ".xlsx" in text.json()["errors"]["file"][0]
    assert sec.post(IMPORT, {}).status_code == 422
    with override_settings(KAOPING_UPLOAD_MAX_BYTES=10):
        big = sec.post(IMPORT, {"file": sheet(good)})
    assert big.status_code == 422 and "MB" in big.json()["errors"]["file"][0]
    token = sec.post(IMPORT, {"file": sheet(good)}).json()["token"]
    # the token is for B1's import: not B2's, not forged
    assert (
        send(
            bearer(d.sec2), "POST", "/api/branches/B2/entries/import/confirm", {"token": token}
        ).status_code
        == 404
    )
    assert send(sec, "POST", f"{IMPORT}/confirm", {"token": token + "x"}).status_code == 404
    assert not ScoreEntry.objects.exists() and not JobRun.objects.exists()


@override_settings(KAOPING_IMPORT_INLINE_PREVIEW_BYTES=10)
def test_a_large_upload_is_checked_by_a_job_whose_token_confirms_it(district):
    d = district
    sec = bearer(d.sec1)
    checked = sec.post(IMPORT, {"file": sheet(["M1", "D07", "2026-03-02", "1", "迟到", ""])})
    assert checked.status_code == 202, checked.content
    job = checked.json()["job"]
    assert job["state"] == "done"
    confirm = job["result"]["confirm"]
    assert confirm["url"] == f"{IMPORT}/confirm"
    done = send(sec, "POST", confirm["url"], {"token": confirm["token"]})
    assert done.status_code == 202 and ScoreEntry.objects.count() == 1


def test_the_page_and_the_api_import_the_same_entries(district):
    d = district
    row = ["M1", "D07", "2026-03-02", "2", "迟到", ""]
    page = session(d.sec1)
    preview = page.post("/branches/B1/entries/import/", {"file": sheet(row)})
    page.post("/branches/B1/entries/import/confirm/", {"token": preview.context["token"]})
    sec = bearer(d.sec1)
    token = sec.post(IMPORT, {"file": sheet(row)}).json()["token"]
    send(sec, "POST", f"{IMPORT}/confirm", {"token": token})
    by_page, by_api = ScoreEntry.objects.order_by("id")
    fields = ("member_id", "item_id", "date", "occurrences", "points", "note")
    assert [getattr(by_page, f) for f in fields] == [getattr(by_api, f) for f in fields]
