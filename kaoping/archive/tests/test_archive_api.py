"""The archive's forms through the API: the basic information, a transfer, lost contact
and being found, an investigation and its decision, exemptions; each with its refusals
(out of scope 404, a reader 403, bad input and wrong state 422), through real HTTP."""

import pytest

from kaoping.archive.models import Investigation, LostContact, MemberChange, Transfer
from kaoping.orgs.models import Member
from kaoping.schemes.models import ItemExemption
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

pytestmark = pytest.mark.django_db


def test_profile_patch_changes_only_the_fields_given(district):
    d = district
    url = "/api/members/M1/archive/profile"
    sec = bearer(d.sec1)
    first = send(sec, "PATCH", url, {"gender": "male", "phone": "13800000001"})
    assert first.status_code == 200, first.content
    answer = send(sec, "PATCH", url, {"phone": "13900000002", "name": "张三丰"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["name"] == "张三丰" and body["profile"]["gender"] == "male"
    assert body["profile"]["phone"] == "13900000002"  # the secretary sees it in full
    fields = sorted(MemberChange.objects.filter(member=d.m1).values_list("field", flat=True))
    assert fields == ["gender", "name", "phone", "phone"]
    assert "id_number" in invalid(sec, "PATCH", url, {"id_number": "123"})
    assert "ethnicity" in invalid(sec, "PATCH", url, {"ethnicity": "x" * 33})
    assert_statuses(
        "PATCH", url, {d.sec2: 404, d.orgdept: 403, d.member1: 403}, {"ethnicity": "汉族"}
    )
    assert MemberChange.objects.filter(member=d.m1).count() == 4


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_transfer_through_the_page_and_the_api_ends_the_same(district, via):
    d = district
    fields = {"date": "2026-03-01", "reason": "工作调动"}
    if via == "page":
        page = session(d.sec1).post(
            "/members/M1/archive/transfer/", fields | {"to_branch": d.b2.pk}
        )
        assert page.status_code == 302
    else:
        answer = send(
            bearer(d.sec1),
            "POST",
            "/api/members/M1/archive/transfers",
            fields | {"to_branch": "B2"},
        )
        assert answer.status_code == 201, answer.content
        assert answer.json()["branch"] == "B2"
    d.m1.refresh_from_db()
    assert d.m1.branch == d.b2
    transfer = Transfer.objects.get()
    assert (transfer.from_branch, transfer.to_branch, transfer.reason) == (d.b1, d.b2, "工作调动")


def test_transfer_refusals(district):
    d = district
    url = "/api/members/M1/archive/transfers"
    sec = bearer(d.sec1)
    assert "to_branch" in invalid(
        sec, "POST", url, {"to_branch": "B1", "date": "2026-03-01", "reason": "x"}
    )
    assert "to_branch" in invalid(
        sec, "POST", url, {"to_branch": "P1", "date": "2026-03-01", "reason": "x"}
    )
    assert "destination" in invalid(sec, "POST", url, {"date": "2026-03-01", "reason": "x"})
    assert "date" in invalid(
        sec, "POST", url, {"to_branch": "B2", "date": "2999-01-01", "reason": "x"}
    )
    out = {"destination": "外省", "date": "2026-03-01", "reason": "x"}
    assert send(bearer(d.sec2), "POST", url, out).status_code == 404
    assert not Transfer.objects.exists()
    answer = send(sec, "POST", url, out)
    assert answer.status_code == 201 and answer.json()["status"] == "transferred_out"
    again = send(sec, "POST", url, out)
    assert again.status_code == 422  # no longer on the roll


def test_lost_contact_and_found(district):
    d = district
    sec = bearer(d.sec1)
    found = {"found_on": "2026-03-01", "note": "已联系上"}
    assert send(sec, "POST", "/api/members/M1B/archive/found", found).status_code == 422
    lost = {"since": "2026-01-01", "efforts": "多次电话联系未果"}
    assert (
        send(bearer(d.sec2), "POST", "/api/members/M1B/archive/lost-contact", lost).status_code
        == 404
    )
    answer = send(sec, "POST", "/api/members/M1B/archive/lost-contact", lost)
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == Member.Status.LOST_CONTACT
    assert send(sec, "POST", "/api/members/M1B/archive/lost-contact", lost).status_code == 422
    assert "found_on" in invalid(
        sec, "POST", "/api/members/M1B/archive/found", found | {"found_on": "2025-12-01"}
    )
    answer = send(sec, "POST", "/api/members/M1B/archive/found", found)
    assert answer.status_code == 200 and answer.json()["status"] == Member.Status.ACTIVE
    assert LostContact.objects.get().found_on is not None


def test_investigation_and_its_decision(district):
    d = district
    sec = bearer(d.sec1)
    decide = {"decided_on": "2026-05-01", "decision": "不予处分"}
    url = "/api/members/M1/archive/investigation"
    assert send(sec, "POST", f"{url}/decision", decide).status_code == 422  # none open
    assert "body" in invalid(sec, "POST", url, {"body": "", "started_on": "2026-03-01"})
    start = send(sec, "POST", url, {"body": "区纪委", "started_on": "2026-03-01"})
    assert start.status_code == 201, start.content
    assert start.json()["status"] == Member.Status.UNDER_INVESTIGATION
    assert send(bearer(d.orgdept), "POST", f"{url}/decision", decide).status_code == 403
    done = send(sec, "POST", f"{url}/decision", decide)
    assert done.status_code == 200 and done.json()["status"] == Member.Status.ACTIVE
    assert Investigation.objects.get().decision == "不予处分"


def test_exemptions_added_and_removed(district):
    d = district
    sec = bearer(d.sec1)
    url = "/api/members/M1/archive/exemptions"
    body = {"item": "D01", "reason": "身体原因", "starts_on": "2026-01-01"}
    assert "item" in invalid(sec, "POST", url, body | {"item": "B01"})
    assert "ends_on" in invalid(sec, "POST", url, body | {"ends_on": "2025-12-31"})
    assert "reason" in invalid(sec, "POST", url, body | {"reason": ""})
    assert send(bearer(d.orgdept), "POST", url, body).status_code == 403
    answer = send(sec, "POST", url, body)
    assert answer.status_code == 201, answer.content
    assert [e["item"] for e in answer.json()["exemptions"]] == ["D01"]
    assert_statuses("DELETE", f"{url}/D01", {d.sec2: 404, d.orgdept: 403})
    assert send(sec, "DELETE", f"{url}/D02").status_code == 404
    assert send(sec, "DELETE", f"{url}/D01").status_code == 204
    assert not ItemExemption.objects.exists()
    assert send(sec, "DELETE", f"{url}/D01").status_code == 404


# --------------------------------------------------------------------------- roster import


@pytest.mark.usefixtures("media_root")
def test_roster_import_preview_then_confirm(district):
    from kaoping.archive.tests.test_views import row, xlsx_upload

    d = district
    sec = bearer(d.sec1)
    url = "/api/branches/B1/roster/import"
    upload = xlsx_upload([row("M9", "新党员", **{"性别": "女", "党员类别": "预备党员"})])
    preview = sec.post(url, {"file": upload})
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["rows"] == 1 and body["errors"] == [] and body["token"]
    assert "新增 1 名党员" in body["outlook"]
    assert not Member.objects.filter(code="M9").exists()  # nothing before confirming
    assert (
        send(bearer(d.sec2), "POST", f"{url}/confirm", {"token": body["token"]}).status_code == 404
    )
    done = send(sec, "POST", f"{url}/confirm", {"token": body["token"]})
    assert done.status_code == 202, done.content
    assert done.json()["state"] == "done" and done.json()["kind"] == "roster.import"
    new = Member.objects.get(code="M9")
    assert new.branch == d.b1 and new.membership == "probationary"
    again = send(sec, "POST", f"{url}/confirm", {"token": body["token"]})
    assert again.status_code == 409 and again.json()["code"] == "already_confirmed"
    assert again.json()["errors"]["job"] == [str(done.json()["id"])]
    assert send(sec, "POST", f"{url}/confirm", {"token": "forged"}).status_code == 404


@pytest.mark.usefixtures("media_root")
def test_roster_import_refusals_change_nothing(district):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaoping.archive.tests.test_views import row, xlsx_upload

    d = district
    url = "/api/branches/B1/roster/import"
    before = Member.objects.count()
    bad = xlsx_upload([row("M9", "新党员"), row("M1", "张三", **{"出生日期": "1980-13-01"})])
    answer = bearer(d.sec1).post(url, {"file": bad})
    assert answer.status_code == 200 and answer.json()["token"] is None
    assert [(e["row"], e["column"]) for e in answer.json()["errors"]] == [(3, "出生日期")]
    text = SimpleUploadedFile("roster.csv", b"a,b", "text/csv")
    wrong = bearer(d.sec1).post(url, {"file": text})
    assert wrong.status_code == 422 and "file" in wrong.json()["errors"]
    missing = bearer(d.sec1).post(url, {})
    assert missing.status_code == 422 and "file" in missing.json()["errors"]
    assert bearer(d.sec2).post(url, {"file": xlsx_upload([row("M9", "x")])}).status_code == 404
    assert bearer(d.orgdept).post(url, {"file": xlsx_upload([row("M9", "x")])}).status_code == 403
    assert Member.objects.count() == before
