"""The unqualified procedure's page actions through the API: the year's settings, a
branch's cases and candidates, the proposal (multipart, with evidence files), the one
click on a candidate, and a case's steps (review, resubmit, vote, handling: a plan
without ``confirm``, recorded with it), each with its refusals, through real HTTP."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaoping.scoring.models import GradeRecord
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session
from kaoping.unqualified import services
from kaoping.unqualified.models import (
    CandidateDismissal,
    CaseHandling,
    CaseStep,
    UnqualifiedCase,
    UnqualifiedSettings,
)

from .support import full_members, pdf, pre_reviewed, propose

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
State = UnqualifiedCase.State
Body = CaseStep.Body


VOTE = {
    "held_on": "2026-03-01",
    "entitled": 10,
    "present": 8,
    "in_favour": 6,
    "against": 1,
    "abstaining": 1,
}


# --------------------------------------------------------------------------- settings


def test_the_admin_reads_and_sets_the_years_settings(district):
    d = district
    url = "/api/years/2026/unqualified-settings"
    admin = bearer(d.admin)
    assert admin.get(url).json()["absence_months"] == 6  # the default
    body = {"vote_basis": "present", "absence_months": 4, "dues_months": 2}
    answer = send(admin, "PUT", url, body)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"year": 2026} | body
    row = UnqualifiedSettings.objects.get()
    assert (row.vote_basis, row.absence_months, row.dues_months) == ("present", 4, 2)
    for user in (d.sec1, d.orgdept, d.member1):
        assert bearer(user).get(url).status_code == 404
        assert send(bearer(user), "PUT", url, body).status_code == 404
    assert admin.get("/api/years/2031/unqualified-settings").status_code == 404
    assert "absence_months" in invalid(admin, "PUT", url, body | {"absence_months": 25})


# --------------------------------------------------------------------------- a branch


def test_the_branch_proposes_with_evidence_files(district):
    d = district
    url = "/api/branches/B1/unqualified-cases"
    form = {"member": "M1", "condition": "7", "facts": "受到行政处罚。", "notify": ["proposed"]}
    answer = bearer(d.sec1).post(url, form | {"files": [pdf("a.pdf"), pdf("b.pdf")]})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["state"] == "pre_review" and body["evidence_files"] == 2
    assert body["member_name"] == d.m1.name and body["year"] == 2026
    case = UnqualifiedCase.objects.get(code=body["code"])
    assert case.notify == ["proposed"]
    listed = bearer(d.sec1).get(url).json()
    assert [c["code"] for c in listed["items"]] == [case.code]
    masked = bearer(d.admin).get(url).json()["items"][0]["member_name"]
    assert masked != d.m1.name and masked.startswith(d.m1.name[0])
    again = bearer(d.sec1).post(url, form)
    assert again.status_code == 422 and "member" in again.json()["errors"]  # an open case


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"member": "M2", "condition": "7", "facts": "x"}, "member"),  # of another branch
        ({"member": "M1", "condition": "12", "facts": "x"}, "condition"),
        ({"member": "M1", "condition": "7", "facts": ""}, "facts"),
        (
            {
                "member": "M1",
                "condition": "7",
                "facts": "x",
                "files": SimpleUploadedFile("v.exe", b"MZ"),
            },
            "files",
        ),
    ],
)
def test_proposal_refusals_name_the_field(district, form, field):
    answer = bearer(district.sec1).post("/api/branches/B1/unqualified-cases", form)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"]
    assert not UnqualifiedCase.objects.exists()


def test_proposal_access(district):
    d = district
    url = "/api/branches/B1/unqualified-cases"
    form = {"member": "M1", "condition": "7", "facts": "x"}
    assert bearer(d.sec2).post(url, form).status_code == 404
    assert bearer(d.member1).post(url, form).status_code == 404
    assert bearer(d.admin).post(url, form).status_code == 403  # a reviewing body
    assert bearer(d.sec2).get(url).status_code == 404
    assert not UnqualifiedCase.objects.exists()


def test_candidates_are_listed_proposed_and_dismissed(district):
    d = district
    for member in (d.m1, d.m1b):
        GradeRecord.objects.create(member=member, year=2025, grade="warning")
        GradeRecord.objects.create(member=member, year=2026, grade="warning")
    url = "/api/branches/B1/unqualified-candidates"
    listed = bearer(d.sec1).get(f"{url}?year=2026").json()
    assert {(c["member"], c["condition"]) for c in listed["items"]} == {("M1", "8"), ("M1B", "8")}
    assert bearer(d.sec2).get(url).status_code == 404
    body = {"member": "M1", "condition": "8", "year": 2026, "action": "propose"}
    assert send(bearer(d.admin), "POST", url, body).status_code == 403
    answer = send(bearer(d.sec1), "POST", url, body)
    assert answer.status_code == 200, answer.content
    case = UnqualifiedCase.objects.get(code=answer.json()["case"])
    assert case.member == d.m1 and case.condition == "8"
    gone = send(bearer(d.sec1), "POST", url, body)
    assert gone.status_code == 422  # proposed: no longer a candidate
    dismiss = {"member": "M1B", "condition": "8", "year": 2026, "action": "dismiss"}
    assert "reason" in invalid(bearer(d.sec1), "POST", url, dismiss)
    answer = send(bearer(d.sec1), "POST", url, dismiss | {"reason": "已核实"})
    assert answer.status_code == 200 and answer.json()["case"] is None
    assert CandidateDismissal.objects.filter(member=d.m1b).count() == 1
    other = send(bearer(d.sec1), "POST", url, dismiss | {"member": "M2", "reason": "x"})
    assert other.status_code == 404
    assert bearer(d.sec1).get(f"{url}?year=2026").json()["count"] == 0


# --------------------------------------------------------------------------- a case's steps


def test_review_answers_the_plan_then_records_on_confirm(district):
    d = district
    case = propose(d)
    url = f"/api/unqualified-cases/{case.code}/review"
    plan = send(bearer(d.admin), "POST", url, {"decision": "approve"})
    assert plan.status_code == 200, plan.content
    assert plan.json()["done"] is False and plan.json()["consequences"]
    assert not case.steps.exclude(stage="proposal").exists()
    done = send(bearer(d.admin), "POST", url, {"decision": "approve", "confirm": True})
    assert done.status_code == 200 and done.json()["done"] is True
    assert done.json()["case"]["steps"][-1]["body"] == "committee"
    twice = send(bearer(d.admin), "POST", url, {"decision": "approve", "confirm": True})
    assert twice.status_code == 422  # the committee gave its opinion this round
    assert "reason" in invalid(bearer(d.orgdept), "POST", url, {"decision": "no"})
    assert_statuses("POST", url, {d.sec1: 403, d.sec2: 404}, {"decision": "approve"})
    wrong_body = {"decision": "approve", "body": "committee", "confirm": True}
    assert send(bearer(d.orgdept), "POST", url, wrong_body).status_code == 403
    returned = {"decision": "no", "reason": "证据不足", "confirm": True}
    answer = send(bearer(d.orgdept), "POST", url, returned)
    assert answer.status_code == 200 and answer.json()["case"]["state"] == "returned"


def test_resubmit_vote_and_handling(district):
    d = district
    full_members(d, 8)
    case = propose(d)
    services.case_pre_review(actor=d.admin, case=case, body=Body.COMMITTEE, approve=True)
    services.case_pre_review(
        actor=d.orgdept, case=case, body=Body.ORG_DEPARTMENT, approve=False, reason="补证据"
    )
    url = f"/api/unqualified-cases/{case.code}"
    assert bearer(d.admin).post(f"{url}/resubmit", {"facts": "x"}).status_code == 403
    answer = bearer(d.sec1).post(f"{url}/resubmit", {"facts": "补充。", "files": [pdf()]})
    assert answer.status_code == 200, answer.content
    assert answer.json()["round"] == 2 and answer.json()["evidence_files"] == 1
    assert bearer(d.sec1).post(f"{url}/resubmit", {"facts": "x"}).status_code == 422
    assert send(bearer(d.sec1), "POST", f"{url}/vote", VOTE).status_code == 422  # not yet
    for actor, body in ((d.admin, Body.COMMITTEE), (d.orgdept, Body.ORG_DEPARTMENT)):
        services.case_pre_review(actor=actor, case=case, body=body, approve=True)
    plan = send(bearer(d.sec1), "POST", f"{url}/vote", VOTE)
    assert plan.status_code == 200 and plan.json()["done"] is False
    assert plan.json()["case"]["vote"] is None
    assert send(bearer(d.admin), "POST", f"{url}/vote", VOTE).status_code == 403
    assert "present" in invalid(
        bearer(d.sec1), "POST", f"{url}/vote", VOTE | {"present": 11, "confirm": True}
    )
    assert "against" in invalid(bearer(d.sec1), "POST", f"{url}/vote", VOTE | {"against": -1})
    done = send(bearer(d.sec1), "POST", f"{url}/vote", VOTE | {"confirm": True})
    assert done.status_code == 200 and done.json()["case"]["state"] == "approval"
    for actor, body in ((d.admin, Body.COMMITTEE), (d.orgdept, Body.ORG_DEPARTMENT)):
        services.case_approve(actor=actor, case=case, body=body, approve=True)
    handling = {"kind": "correction", "decided_on": "2026-04-01"}
    assert "due_on" in invalid(
        bearer(d.sec1), "POST", f"{url}/handling", handling | {"confirm": True}
    )
    handling["due_on"] = "2026-10-01"
    plan = send(bearer(d.sec1), "POST", f"{url}/handling", handling)
    assert plan.status_code == 200 and plan.json()["done"] is False
    assert not CaseHandling.objects.exists()
    done = send(bearer(d.sec1), "POST", f"{url}/handling", handling | {"confirm": True})
    assert done.status_code == 200 and done.json()["case"]["handlings"][0]["kind"] == "correction"


@pytest.mark.parametrize("via", ["page", "api"])
def test_the_vote_through_the_page_and_the_api_ends_the_same(district, via):
    d = district
    full_members(d, 8)
    case = pre_reviewed(d, propose(d))
    if via == "page":
        fields = {f"vote-{k}": str(v) for k, v in VOTE.items()}
        page = session(d.sec1).post(
            f"/unqualified/{case.code}/", {"action": "vote", "confirm": "1", **fields}
        )
        assert page.status_code == 302
    else:
        url = f"/api/unqualified-cases/{case.code}/vote"
        assert send(session(d.sec1), "POST", url, VOTE | {"confirm": True}).status_code == 200
    case.refresh_from_db()
    assert case.state == State.APPROVAL
    vote = case.vote
    assert (vote.held_on, vote.present, vote.in_favour) == (datetime.date(2026, 3, 1), 8, 6)
    assert list(case.steps.values_list("stage", "action"))[-1] == ("vote", "vote_passed")
