"""The bonus claim pages' actions through the API: the member submits a claim with its
proof (a multipart form, the page's file checks) and lists their own; the branch's
officers list its claims and approve or refuse one. Each with its refusals: out of scope
(404), wrong role (403), invalid input and wrong state (422, with field errors), through
HTTP with a bearer token or a session."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaoping.claims.models import BonusClaim
from kaoping.ledger.models import ScoreEntry
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

from .support import a_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PNG = b"\x89PNG\r\n\x1a\n...."


def form(**extra):
    return {"item": "B01", "date": "2026-03-05", "description": "获区级先进工作者"} | extra


# --------------------------------------------------------------------------- submit


def test_member_submits_a_claim_with_a_file_and_lists_it(district):
    d = district
    member = bearer(d.member1)
    proof = SimpleUploadedFile("award.png", PNG, "image/png")
    answer = member.post("/api/me/claims", form(proof_file=proof))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["member"] == "M1" and body["item"] == "B01" and body["status"] == "pending"
    assert body["proof_file"] is True and body["entry"] is None
    claim = BonusClaim.objects.get(code=body["code"])
    assert claim.proof_file.read() == PNG
    # the proof is served by the page, to who may see the claim
    page = session(d.member1).get(f"/claims/{claim.code}/proof/")
    assert page.status_code == 200 and page["Content-Type"] == "image/png"
    listed = member.get("/api/me/claims").json()
    assert listed["count"] == 1 and listed["items"][0]["code"] == claim.code
    assert bearer(d.member2).get("/api/me/claims").json()["count"] == 0


def test_submit_with_proof_text_through_a_session(district):
    d = district
    answer = session(d.member1).post("/api/me/claims", form(proof_text="区委文件"))
    assert answer.status_code == 201, answer.content
    assert answer.json()["proof_text"] == "区委文件" and answer.json()["proof_file"] is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (form(), "proof_text"),  # no proof at all
        (form(proof_file=SimpleUploadedFile("virus.exe", b"MZ")), "proof_file"),
        (form(proof_file=SimpleUploadedFile("fake.pdf", b"not a pdf")), "proof_file"),
        (form(proof_file=SimpleUploadedFile("empty.png", b"")), "proof_file"),
        (form(item="D01", proof_text="x"), "item"),  # a deduction, not a bonus item
        (form(item="NOPE", proof_text="x"), "item"),
        (form(date="2025-03-05", proof_text="x"), "date"),  # outside the scheme's year
        (form(date="2026-12-31", proof_text="x"), "date"),  # in the future
        (form(description="   ", proof_text="x"), "description"),
    ],
)
def test_submit_refusals_are_422_with_the_field(district, data, field):
    d = district
    if data.get("date") == "2026-12-31" and timezone.localdate() >= datetime.date(2026, 12, 31):
        pytest.skip("not in the future today")
    answer = bearer(d.member1).post("/api/me/claims", data)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"], answer.json()
    assert not BonusClaim.objects.exists()


def test_submit_refuses_a_too_large_file(district, monkeypatch):
    monkeypatch.setattr("kaoping.kit.evidence.MAX_EVIDENCE_BYTES", 8)
    data = form(proof_file=SimpleUploadedFile("big.png", PNG, "image/png"))
    answer = bearer(district.member1).post("/api/me/claims", data)
    assert answer.status_code == 422 and "10 MB" in answer.json()["errors"]["proof_file"][0]


def test_submit_without_a_member_or_with_missing_fields(district):
    d = district
    # a user without a member record: 404, as the page
    assert bearer(d.orgdept).post("/api/me/claims", form(proof_text="x")).status_code == 404
    assert bearer(d.orgdept).get("/api/me/claims").json()["count"] == 0  # none, not 404
    answer = bearer(d.member1).post("/api/me/claims", {"item": "B01"})
    assert answer.status_code == 422 and {"date", "description"} <= set(answer.json()["errors"])
    answer = bearer(d.member1).post("/api/me/claims", form(proof_text="\x01"))
    assert answer.status_code == 422
    assert not BonusClaim.objects.exists()


def test_submit_in_a_frozen_year_is_422(district):
    from kaoping.schemes.services import branch_year_finalise

    d = district
    branch_year_finalise(actor=None, scheme=d.scheme, branch=d.b1)
    answer = bearer(d.member1).post("/api/me/claims", form(proof_text="x"))
    assert answer.status_code == 422 and "已定格" in answer.json()["errors"]["date"][0]
    assert not BonusClaim.objects.exists()


# --------------------------------------------------------------------------- reads


def test_branch_claims_list_filters_and_scope(district):
    d = district
    pending = a_claim(d)
    refused = a_claim(d, description="另一项")
    refused.status, refused.decision_reason = "refused", "证明不足"
    refused.save()
    sec = bearer(d.sec1)
    answer = sec.get("/api/branches/B1/claims")
    assert answer.status_code == 200, answer.content
    codes = [c["code"] for c in answer.json()["items"]]
    assert pending.code in codes and refused.code in codes
    awaiting = sec.get("/api/branches/B1/claims?status=pending").json()
    assert [c["code"] for c in awaiting["items"]] == [pending.code]
    assert sec.get("/api/branches/B1/claims?status=approved").json()["count"] == 0
    assert sec.get("/api/branches/B1/claims?status=bogus").status_code == 422
    # a member reads their own claims, not the branch's; other branches: 404
    assert_statuses("GET", "/api/branches/B1/claims", {d.member1: 404, d.sec2: 404})
    assert bearer(d.orgdept).get("/api/branches/B1/claims").json()["count"] == 2


def test_claim_detail_for_its_member_and_branch(district):
    d = district
    claim = a_claim(d)
    url = f"/api/claims/{claim.code}"
    mine = bearer(d.member1).get(url)
    assert mine.status_code == 200 and mine.json()["description"] == "获区级先进"
    assert_statuses("GET", url, {d.sec1: 200, d.orgdept: 200})
    for outsider in (d.member2, d.sec2):
        assert bearer(outsider).get(url).status_code == 404
    assert bearer(d.sec1).get("/api/claims/CL-NONE").status_code == 404


# --------------------------------------------------------------------------- decisions


def test_secretary_approves_a_claim_into_the_ledger_once(district):
    d = district
    claim = a_claim(d)
    url = f"/api/claims/{claim.code}/decision"
    answer = send(bearer(d.sec1), "POST", url, {"decision": "approve"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    entry = ScoreEntry.objects.get()
    assert body["status"] == "approved" and body["entry"] == entry.code
    assert entry.source == ScoreEntry.Source.CLAIM and entry.member.code == "M1"
    again = send(bearer(d.sec1), "POST", url, {"decision": "refuse", "reason": "迟了"})
    assert again.status_code == 422 and "已审核" in again.json()["detail"]
    assert ScoreEntry.objects.count() == 1


def test_refusal_needs_a_reason_and_wrong_roles_are_refused(district):
    d = district
    claim = a_claim(d)
    url = f"/api/claims/{claim.code}/decision"
    sec = session(d.sec1)
    assert "reason" in invalid(sec, "POST", url, {"decision": "refuse", "reason": "  "})
    assert send(sec, "POST", url, {"decision": "maybe"}).status_code == 422
    # its member sees it but may not decide (403); other branches do not see it (404)
    assert_statuses(
        "POST",
        url,
        {d.member1: 403, d.orgdept: 403, d.sec2: 404, d.member2: 404},
        {"decision": "approve"},
    )
    claim.refresh_from_db()
    assert claim.status == "pending"
    answer = send(sec, "POST", url, {"decision": "refuse", "reason": "证明不足"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "refused"
    assert answer.json()["decision_reason"] == "证明不足"
    assert not ScoreEntry.objects.exists()


def test_decision_in_a_frozen_year_is_422(district):
    from kaoping.schemes.services import branch_year_finalise

    d = district
    claim = a_claim(d)
    branch_year_finalise(actor=None, scheme=d.scheme, branch=d.b1)
    answer = send(
        bearer(d.sec1), "POST", f"/api/claims/{claim.code}/decision", {"decision": "approve"}
    )
    assert answer.status_code == 422 and "已定格" in answer.json()["detail"]
    claim.refresh_from_db()
    assert claim.status == "pending" and not ScoreEntry.objects.exists()
