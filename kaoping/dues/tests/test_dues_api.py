"""The dues page's actions through the API: the month, settings, amounts, payments,
closing a month, and the spreadsheet import (upload → preview → confirm → background job,
all rows or none). Each with its refusals: out of scope (404), a reader that does not keep
the branch (403), invalid input and wrong state (422 naming the field), through HTTP with
a bearer token or a session; the page and the API end in the same database state."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaoping.dues.models import DuesClosing, DuesPayment, DuesRate, DuesSettings
from kaoping.jobs.models import JobRun
from kaoping.ledger.models import ScoreEntry
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session
from kaoping.testing.sheets import DUES_HEADER, xlsx_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def sheet(rows, name="dues.xlsx"):
    return xlsx_upload(DUES_HEADER, rows, name)


def payments():
    return sorted(
        (p.member.code, f"{p.period:%Y-%m}", str(p.amount), p.paid_on.isoformat(), p.source)
        for p in DuesPayment.objects.select_related("member")
    )


# --------------------------------------------------------------------------- the month


def test_month_status_for_officers_and_readers(district):
    d = district
    sec = bearer(d.sec1)
    send(sec, "POST", "/api/branches/B1/dues/rates", {"member": "M1", "year": 2026, "amount": "50"})
    send(
        sec,
        "POST",
        "/api/branches/B1/dues/payments",
        {"member": "M1", "month": "2026-03", "amount": "50", "paid_on": "2026-03-02"},
    )
    answer = sec.get("/api/branches/B1/dues?month=2026-03")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["month"] == "2026-03" and body["deadline"] == "2026-03-25"
    assert body["settings"] == {"deadline_day": 25, "item_code": "D04"}
    assert body["can_manage"] is True and body["closing"] is None
    rows = {r["member"]: r for r in body["rows"]}
    assert rows["M1"]["due"] == "50" and rows["M1"]["paid"] == "50"
    assert rows["M1"]["status"] == "paid" and rows["M1B"]["status"] == "none"
    assert body["counts"]["paid"] == 1
    assert bearer(d.orgdept).get("/api/branches/B1/dues").json()["can_manage"] is False
    for outsider in (d.member1, d.sec2):
        assert bearer(outsider).get("/api/branches/B1/dues").status_code == 404
    for month in ("2026-13", "2026-3", "x", "0000-01"):
        bad = sec.get(f"/api/branches/B1/dues?month={month}")
        assert bad.status_code == 422 and "month" in bad.json()["errors"], month


def test_settings_read_and_set(district):
    d = district
    url = "/api/branches/B1/dues/settings"
    assert bearer(d.sec1).get(url).json() == {"deadline_day": 25, "item_code": "D04"}
    answer = send(bearer(d.sec1), "PUT", url, {"deadline_day": 10, "item_code": "D05"})
    assert answer.status_code == 200 and answer.json() == {"deadline_day": 10, "item_code": "D05"}
    row = DuesSettings.objects.get(branch=d.b1)
    assert (row.deadline_day, row.item_code) == (10, "D05")
    assert "deadline_day" in invalid(
        bearer(d.sec1), "PUT", url, {"deadline_day": 29, "item_code": "D05"}
    )
    assert (
        send(bearer(d.orgdept), "PUT", url, {"deadline_day": 5, "item_code": "D05"}).status_code
        == 403
    )
    assert (
        send(bearer(d.sec2), "PUT", url, {"deadline_day": 5, "item_code": "D05"}).status_code == 404
    )
    assert bearer(d.member1).get(url).status_code == 404
    assert DuesSettings.objects.get(branch=d.b1).deadline_day == 10


# --------------------------------------------------------------------------- amounts, payments


def test_rate_set_and_its_refusals(district):
    d = district
    url = "/api/branches/B1/dues/rates"
    answer = send(bearer(d.sec1), "POST", url, {"member": "M1", "year": 2026, "amount": "40.5"})
    assert answer.status_code == 200 and answer.json() == {
        "member": "M1",
        "year": 2026,
        "amount": "40.5",
    }
    again = send(bearer(d.sec1), "POST", url, {"member": "M1", "year": 2026, "amount": 30})
    assert again.json()["amount"] == "30"
    assert DuesRate.objects.get(member=d.m1, year=2026).amount == 30
    for body, field in (
        ({"member": "M2", "year": 2026, "amount": "1"}, "member"),  # another branch's
        ({"member": "M1", "year": 1999, "amount": "1"}, "year"),
        ({"member": "M1", "year": 2026, "amount": "-1"}, "amount"),
        ({"member": "M1", "year": 2026, "amount": "1.234"}, "amount"),
    ):
        bad = send(bearer(d.sec1), "POST", url, body)
        assert bad.status_code == 422 and field in bad.json()["errors"], (body, bad.content)
    body = {"member": "M1", "year": 2026, "amount": "1"}
    assert_statuses("POST", url, {d.orgdept: 403, d.sec2: 404}, body)
    assert DuesRate.objects.get(member=d.m1, year=2026).amount == 30


def test_payment_record_and_the_same_state_as_the_page(district):
    d = district
    url = "/api/branches/B1/dues/payments"
    body = {"member": "M1", "month": "2026-03", "amount": "50", "paid_on": "2026-03-02"}
    answer = send(bearer(d.sec1), "POST", url, body)
    assert answer.status_code == 201, answer.content
    out = answer.json()
    assert out["member"] == "M1" and out["month"] == "2026-03" and out["amount"] == "50"
    assert out["source"] == "manual" and out["recorded_by"] == "sec1"
    api_state = payments()
    DuesPayment.objects.all().delete()
    page = session(d.sec1).post(
        reverse("dues:payment", args=["B1"]),
        {"member": d.m1.pk, "month": "2026-03", "amount": "50", "paid_on": "2026-03-02"},
    )
    assert page.status_code == 302
    assert payments() == api_state


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"paid_on": "2099-01-01"}, "paid_on"),
        ({"month": "2026-3"}, "month"),
        ({"member": "NOPE"}, "member"),
        ({"member": "M2"}, "member"),
    ],
)
def test_payment_refusals_are_422_with_the_field(district, change, field):
    body = {"member": "M1", "month": "2026-03", "amount": "50", "paid_on": "2026-03-02"}
    answer = send(bearer(district.sec1), "POST", "/api/branches/B1/dues/payments", body | change)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"], answer.json()
    assert not DuesPayment.objects.exists()


def test_payment_in_a_closed_month_and_by_others(district):
    d = district
    DuesClosing.objects.create(
        branch=d.b1, period=datetime.date(2026, 3, 1), closed_at="2026-04-01T00:00Z"
    )
    body = {"member": "M1", "month": "2026-03", "amount": "50", "paid_on": "2026-03-02"}
    url = "/api/branches/B1/dues/payments"
    closed = send(bearer(d.sec1), "POST", url, body)
    assert closed.status_code == 422 and "已结算" in closed.json()["errors"]["month"][0]
    assert send(bearer(d.orgdept), "POST", url, body).status_code == 403
    for outsider in (d.sec2, d.member1, d.supervisor):
        assert send(bearer(outsider), "POST", url, body).status_code == 404
    assert send(bearer(d.sec1, read_only=True), "POST", url, body).status_code == 403
    assert not DuesPayment.objects.exists()


def test_rates_and_payments_lists(district):
    d = district
    sec = bearer(d.sec1)
    for member, year in (("M1B", 2026), ("M1", 2026), ("M1", 2025)):
        body = {"member": member, "year": year, "amount": "50"}
        send(sec, "POST", "/api/branches/B1/dues/rates", body)
    for month, day in (("2026-03", "2026-03-02"), ("2026-02", "2026-02-02")):
        body = {"member": "M1", "month": month, "amount": "50", "paid_on": day}
        send(sec, "POST", "/api/branches/B1/dues/payments", body)
    rates = sec.get("/api/branches/B1/dues/rates").json()["items"]
    assert [(r["member"], r["year"]) for r in rates] == [("M1", 2025), ("M1", 2026), ("M1B", 2026)]
    only = sec.get("/api/branches/B1/dues/rates?year=2025").json()["items"]
    assert only == [{"member": "M1", "year": 2025, "amount": "50"}]
    paid = sec.get("/api/branches/B1/dues/payments").json()["items"]
    assert [p["month"] for p in paid] == ["2026-02", "2026-03"]
    march = sec.get("/api/branches/B1/dues/payments?month=2026-03&limit=1").json()
    assert [p["paid_on"] for p in march["items"]] == ["2026-03-02"] and march["next"] is None
    assert bearer(d.orgdept).get("/api/branches/B1/dues/payments").status_code == 200
    for outsider in (d.sec2, d.member1):
        assert bearer(outsider).get("/api/branches/B1/dues/rates").status_code == 404
        assert bearer(outsider).get("/api/branches/B1/dues/payments").status_code == 404
    assert sec.get("/api/branches/B1/dues/rates?year=99999").status_code == 422


# --------------------------------------------------------------------------- closing


def test_close_asks_first_then_closes_once(district):
    d = district
    sec = bearer(d.sec1)
    send(sec, "POST", "/api/branches/B1/dues/rates", {"member": "M1", "year": 2026, "amount": "50"})
    url = "/api/branches/B1/dues/close"
    asked = send(sec, "POST", url, {"month": "2026-03"})
    assert asked.status_code == 200, asked.content
    assert asked.json()["closed"] is False and asked.json()["close_blocker"] is None
    assert not DuesClosing.objects.exists()
    closed = send(sec, "POST", url, {"month": "2026-03", "confirm": True})
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["closed"] is True and body["already_closed"] is False
    entry = ScoreEntry.objects.get()
    assert body["entries"] == [entry.code] and entry.member == d.m1 and entry.source == "dues"
    again = send(sec, "POST", url, {"month": "2026-03"}).json()
    assert again["already_closed"] is True and again["entries"] == []
    assert ScoreEntry.objects.count() == 1
    status = sec.get("/api/branches/B1/dues?month=2026-03").json()
    assert status["closing"]["closed_by"] == "sec1"
    assert {r["member"]: r["entry"] for r in status["rows"]}["M1"] == entry.code


def test_close_refusals(district):
    d = district
    url = "/api/branches/B1/dues/close"
    future = send(bearer(d.sec1), "POST", url, {"month": "2099-01", "confirm": True})
    assert future.status_code == 422 and "截止日" in future.json()["detail"]
    asked = send(bearer(d.sec1), "POST", url, {"month": "2099-01"}).json()
    assert asked["closed"] is False and "截止日" in asked["close_blocker"]
    assert send(bearer(d.sec1), "POST", url, {}).status_code == 422
    assert (
        send(bearer(d.orgdept), "POST", url, {"month": "2026-03", "confirm": True}).status_code
        == 403
    )
    assert (
        send(bearer(d.sec2), "POST", url, {"month": "2026-03", "confirm": True}).status_code == 404
    )
    assert not DuesClosing.objects.exists()


def test_close_through_the_page_and_the_api_end_the_same(district):
    """The ledger keeps every entry: the API closes March, the page April, alike."""
    d = district
    sec = bearer(d.sec1)
    send(sec, "POST", "/api/branches/B1/dues/rates", {"member": "M1", "year": 2026, "amount": "5"})
    send(sec, "POST", "/api/branches/B1/dues/close", {"month": "2026-03", "confirm": True})
    page = session(d.sec1).post(
        reverse("dues:close", args=["B1"]), {"month": "2026-04", "confirm": "1"}
    )
    assert page.status_code == 302
    closings = DuesClosing.objects.order_by("period")
    assert [(c.period.month, c.closed_by) for c in closings] == [(3, d.sec1), (4, d.sec1)]
    entries = ScoreEntry.objects.order_by("date")
    assert [(e.member.code, e.item.code, e.source, e.date.day) for e in entries] == [
        ("M1", "D04", "dues", 25),
        ("M1", "D04", "dues", 25),
    ]
    assert [e.date.month for e in entries] == [3, 4]


# --------------------------------------------------------------------------- import


def test_import_preview_confirm_job(district):
    d = district
    sec = bearer(d.sec1)
    url = "/api/branches/B1/dues/import"
    preview = sec.post(url, {"file": sheet([["M1B", "2026-03", "10", "2026-03-03"]])})
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["rows"] == 1 and body["errors"] == [] and body["token"] and body["job"] is None
    assert not DuesPayment.objects.exists()  # a preview writes nothing
    confirmed = send(sec, "POST", f"{url}/confirm", {"token": body["token"]})
    assert confirmed.status_code == 202, confirmed.content
    job = confirmed.json()
    assert job["kind"] == "dues.import" and job["state"] == "done"  # the tests' backend runs it
    assert "已导入 1 条党费记录" in job["message"]
    assert JobRun.objects.get(pk=job["id"]).actor == d.sec1
    assert payments() == [("M1B", "2026-03", "10.00", "2026-03-03", "import")]
    # a token is confirmed once
    twice = send(sec, "POST", f"{url}/confirm", {"token": body["token"]})
    assert twice.status_code == 409 and twice.json()["code"] == "already_confirmed"
    assert twice.json()["errors"]["job"] == [str(job["id"])]
    assert DuesPayment.objects.count() == 1


def test_import_row_errors_write_nothing(district):
    d = district
    rows = [["M1B", "2026-03", "-5", "2026-03-03"], ["M2", "2026-03", "5", "2026-03-03"]]
    answer = bearer(d.sec1).post("/api/branches/B1/dues/import", {"file": sheet(rows)})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["token"] is None
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "金额"), (3, "党员编号")]
    assert not DuesPayment.objects.exists()


def test_import_of_an_empty_sheet_and_a_month_closed_before_confirming(district):
    d = district
    sec = bearer(d.sec1)
    empty = sec.post("/api/branches/B1/dues/import", {"file": sheet([])}).json()
    assert empty["token"] is None and empty["errors"][0]["row"] == 1
    rows = [["M1", "2026-03", "7", "2026-03-01"]]
    token = sec.post("/api/branches/B1/dues/import", {"file": sheet(rows)}).json()["token"]
    # the month is closed after the preview: the job checks again and imports nothing
    DuesClosing.objects.create(
        branch=d.b1, period=datetime.date(2026, 3, 1), closed_at="2026-04-01T00:00Z"
    )
    job = send(sec, "POST", "/api/branches/B1/dues/import/confirm", {"token": token}).json()
    assert job["state"] == "failed" and job["result"]["errors"][0]["column"] == "月份"
    assert not DuesPayment.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("dues.csv", b"a,b"),  # not .xlsx
        SimpleUploadedFile("dues.xlsx", b"not a zip"),  # unreadable
    ],
)
def test_import_refuses_what_the_page_refuses(district, upload):
    answer = bearer(district.sec1).post("/api/branches/B1/dues/import", {"file": upload})
    assert answer.status_code == 422, answer.content
    assert "file" in answer.json()["errors"]


def test_import_size_limit_and_missing_file(district, settings):
    d = district
    settings.KAOPING_UPLOAD_MAX_BYTES = 100
    big = bearer(d.sec1).post(
        "/api/branches/B1/dues/import", {"file": sheet([["M1", "2026-03", "1", "2026-03-01"]])}
    )
    assert big.status_code == 422 and "MB" in big.json()["errors"]["file"][0]
    missing = bearer(d.sec1).post("/api/branches/B1/dues/import", {})
    assert missing.status_code == 422 and "file" in missing.json()["errors"]


def test_a_large_import_is_checked_by_a_job(district, settings):
    d = district
    settings.KAOPING_IMPORT_INLINE_PREVIEW_BYTES = 10
    sec = bearer(d.sec1)
    answer = sec.post(
        "/api/branches/B1/dues/import", {"file": sheet([["M1", "2026-03", "7", "2026-03-01"]])}
    )
    assert answer.status_code == 202, answer.content
    job = answer.json()["job"]
    assert answer.json()["token"] is None and job["kind"] == "dues.import_preview"
    assert job["state"] == "done", job
    token = job["result"]["confirm"]["token"]
    done = send(sec, "POST", "/api/branches/B1/dues/import/confirm", {"token": token})
    assert done.status_code == 202 and done.json()["state"] == "done"
    assert payments() == [("M1", "2026-03", "7.00", "2026-03-01", "import")]


def test_import_access_and_foreign_tokens(district):
    d = district
    rows = [["M1", "2026-03", "7", "2026-03-01"]]
    token = (
        bearer(d.sec1).post("/api/branches/B1/dues/import", {"file": sheet(rows)}).json()["token"]
    )
    assert (
        bearer(d.orgdept).post("/api/branches/B1/dues/import", {"file": sheet(rows)}).status_code
        == 403
    )
    assert (
        bearer(d.sec2).post("/api/branches/B1/dues/import", {"file": sheet(rows)}).status_code
        == 404
    )
    # B1's token is no preview of B2's, and a made-up one is none at all
    other = send(bearer(d.sec2), "POST", "/api/branches/B2/dues/import/confirm", {"token": token})
    assert other.status_code == 404
    forged = send(bearer(d.sec1), "POST", "/api/branches/B1/dues/import/confirm", {"token": "x"})
    assert forged.status_code == 404
    assert (
        send(
            bearer(d.orgdept), "POST", "/api/branches/B1/dues/import/confirm", {"token": token}
        ).status_code
        == 403
    )
    assert not DuesPayment.objects.exists()
    # through a session the same preview confirms
    client = session(d.sec1)
    assert send(
        client, "POST", "/api/branches/B1/dues/import/confirm", {"token": token}
    ).status_code in (202, 403)
