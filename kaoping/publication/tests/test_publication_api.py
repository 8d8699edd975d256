"""The publication pages' actions through the API: publish, finalise and reopen (each a
plan without ``confirm``, done with it, as the pages' confirmation step), a member's
appeal and the branch's answer, and the reads around them; each with its refusals (out
of scope 404, wrong role 403, bad input and wrong state 422), through real HTTP."""

import datetime

import pytest
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record
from kaoping.publication.models import Appeal, Publication
from kaoping.publication.services import appeal_file, publication_publish
from kaoping.publication.tests.test_rules import ready_for_publication
from kaoping.schemes.models import BranchYearClosing, SchemeItem
from kaoping.scoring.models import GradeRecord
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

pytestmark = pytest.mark.django_db

PUB = "/api/branches/B1/years/2026/publication"


def published(d):
    members = ready_for_publication(d)
    publication_publish(actor=d.sec1, branch=d.b1, year=2026)
    return members


def notice_over():
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(minutes=1))


def an_entry(d, member=None):
    item = SchemeItem.objects.get(scheme=d.scheme, code="D01")
    member = member or d.m1
    return entry_record(actor=d.sec1, member=member, item=item, date=datetime.date(2026, 3, 1))


# --------------------------------------------------------------------------- publish


def test_publish_answers_the_plan_then_publishes_on_confirm(district):
    d = district
    members = ready_for_publication(d)
    sec = bearer(d.sec1)
    plan = send(sec, "POST", PUB, {})
    assert plan.status_code == 200, plan.content
    body = plan.json()
    assert body["done"] is False and body["publication"]["published"] is False
    assert any(f"{len(members)} 名党员" in line for line in body["consequences"])
    assert not Publication.objects.exists()  # the plan changes nothing

    done = send(sec, "POST", PUB, {"confirm": True})
    assert done.status_code == 200, done.content
    state = done.json()["publication"]
    assert done.json()["done"] is True and state["published"] and state["version"] == 1
    assert state["in_notice_period"] and not state["frozen"]
    again = send(sec, "POST", PUB, {"confirm": True}).json()["publication"]
    assert again["version"] == 2  # republished: the notice period starts anew
    # the state, for the branch's members too (no blockers for them)
    read = bearer(d.member1).get(PUB)
    assert read.status_code == 200 and read.json()["version"] == 2
    assert read.json()["blockers"] == []
    assert bearer(d.sec1).get(PUB).json()["blockers"]  # the notice period runs


def test_publish_refusals(district):
    d = district
    assert send(bearer(d.sec1), "POST", PUB, {}).status_code == 422  # no vote yet
    ready_for_publication(d)
    assert_statuses("POST", PUB, {d.sec2: 404, d.member1: 404, d.orgdept: 403}, {"confirm": True})
    assert "confirm" in invalid(bearer(d.sec1), "POST", PUB, {"confirm": "maybe"})
    assert bearer(d.sec2).get(PUB).status_code == 404
    assert bearer(d.sec1).get("/api/branches/B1/years/2031/publication").status_code == 404
    assert not Publication.objects.exists()


# --------------------------------------------------------------------------- finalise


def test_finalise_is_refused_while_the_notice_period_runs(district):
    d = district
    published(d)
    answer = send(bearer(d.sec1), "POST", "/api/branches/B1/years/2026/finalise", {})
    assert answer.status_code == 422
    assert any("公示期" in m for m in answer.json()["errors"]["__all__"])
    assert not BranchYearClosing.objects.exists()


@pytest.mark.parametrize("via", ["page", "api"])
def test_finalise_through_the_page_and_the_api_ends_the_same(district, via):
    d = district
    members = published(d)
    notice_over()
    if via == "page":
        session(d.sec1).post("/pub/B1/2026/finalise/", {"confirm": "1"})
    else:
        url = "/api/branches/B1/years/2026/finalise"
        plan = send(bearer(d.sec1), "POST", url, {})
        assert plan.status_code == 200 and plan.json()["done"] is False
        assert any("冻结" in line for line in plan.json()["consequences"])
        assert not BranchYearClosing.objects.exists()
        done = send(bearer(d.sec1), "POST", url, {"confirm": True})
        assert done.status_code == 200 and done.json()["publication"]["frozen"] is True
    assert BranchYearClosing.objects.filter(branch=d.b1).count() == 1
    assert GradeRecord.objects.filter(year=2026).count() == len(members)


# --------------------------------------------------------------------------- reopen


def test_reopen_by_the_admin_with_a_reason(district):
    d = district
    published(d)
    notice_over()
    url = "/api/branches/B1/years/2026/reopen"
    not_frozen = send(bearer(d.admin), "POST", url, {"reason": "更正", "confirm": True})
    assert not_frozen.status_code == 422
    send(bearer(d.sec1), "POST", "/api/branches/B1/years/2026/finalise", {"confirm": True})
    assert_statuses("POST", url, {d.sec1: 403, d.sec2: 404}, {"reason": "更正"})
    assert "reason" in invalid(bearer(d.admin), "POST", url, {"reason": ""})
    plan = send(bearer(d.admin), "POST", url, {"reason": "更正"})
    assert plan.status_code == 200 and plan.json()["done"] is False
    assert any("更正" in line for line in plan.json()["consequences"])
    assert BranchYearClosing.objects.exists()
    done = send(bearer(d.admin), "POST", url, {"reason": "更正", "confirm": True})
    assert done.status_code == 200 and done.json()["publication"]["frozen"] is False
    assert not BranchYearClosing.objects.exists()


# --------------------------------------------------------------------------- appeals


def test_member_appeals_an_entry_and_reads_it(district):
    d = district
    published(d)
    entry = an_entry(d)
    member = bearer(d.member1)
    body = {"year": 2026, "entry": entry.code, "reasons": "当天请过假", "evidence": "假条"}
    answer = send(member, "POST", "/api/me/appeals", body)
    assert answer.status_code == 201, answer.content
    code = answer.json()["code"]
    assert answer.json()["entry"] == entry.code and answer.json()["status"] == "open"
    twice = send(member, "POST", "/api/me/appeals", body)
    assert twice.status_code == 422  # one open appeal per subject
    mine = member.get("/api/me/appeals?year=2026").json()
    assert [a["code"] for a in mine["items"]] == [code]
    assert bearer(d.member2).get("/api/me/appeals?year=2026").json()["count"] == 0
    assert bearer(d.sec1).get("/api/me/appeals?year=2026").json()["count"] == 0
    assert member.get(f"/api/appeals/{code}").status_code == 200
    assert_statuses("GET", f"/api/appeals/{code}", {d.member2: 404, d.sec2: 404})
    listed = bearer(d.sec1).get("/api/branches/B1/years/2026/appeals").json()
    assert [a["code"] for a in listed["items"]] == [code]
    assert member.get("/api/branches/B1/years/2026/appeals").status_code == 404
    assert bearer(d.sec2).get("/api/branches/B1/years/2026/appeals").status_code == 404


def test_appeal_refusals(district):
    d = district
    member = bearer(d.member1)
    early = send(member, "POST", "/api/me/appeals", {"year": 2026, "reasons": "不服"})
    assert early.status_code == 422  # not published yet
    published(d)
    other = an_entry(d, member=d.m1b)
    body = {"year": 2026, "entry": other.code, "reasons": "x"}
    assert "entry" in invalid(member, "POST", "/api/me/appeals", body)
    assert "reasons" in invalid(member, "POST", "/api/me/appeals", {"year": 2026, "reasons": ""})
    nobody = send(bearer(d.sec1), "POST", "/api/me/appeals", {"year": 2026, "reasons": "x"})
    assert nobody.status_code == 404  # no member of their own
    notice_over()
    late = send(member, "POST", "/api/me/appeals", {"year": 2026, "reasons": "不服"})
    assert late.status_code == 422
    assert not Appeal.objects.exists()


def test_the_branch_refuses_an_appeal(district):
    d = district
    published(d)
    appeal = appeal_file(actor=d.member1, member=d.m1, year=2026, reasons="不服")
    url = f"/api/appeals/{appeal.code}/answer"
    body = {"upheld": False, "answer": "记录属实"}
    assert_statuses("POST", url, {d.sec2: 404, d.orgdept: 404, d.member1: 404}, body)
    assert "answer" in invalid(bearer(d.sec1), "POST", url, {"upheld": False, "answer": ""})
    answer = send(bearer(d.sec1), "POST", url, body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "refused" and answer.json()["answer"] == "记录属实"
    assert send(bearer(d.sec1), "POST", url, body).status_code == 422  # answered


@pytest.mark.parametrize("via", ["page", "api"])
def test_upholding_an_appeal_through_the_page_and_the_api_ends_the_same(district, via):
    d = district
    published(d)
    entry = an_entry(d)
    appeal = appeal_file(actor=d.member1, member=d.m1, year=2026, reasons="不服", entry=entry)
    if via == "page":
        page = session(d.sec1).post(
            f"/appeals/{appeal.code}/answer/",
            {"upheld": "yes", "answer": "请过假", "reverse_entry": "on", "add_occurrences": "1"},
        )
        assert page.status_code == 302
    else:
        url = f"/api/appeals/{appeal.code}/answer"
        nothing = send(bearer(d.sec1), "POST", url, {"upheld": True, "answer": "请过假"})
        assert nothing.status_code == 422  # upheld needs a correction
        unknown = {"upheld": True, "answer": "请过假", "add_item": "NOPE"}
        answer = send(bearer(d.sec1), "POST", url, unknown)
        assert answer.status_code == 422 and "add_item" in answer.json()["errors"]
        body = {"upheld": True, "answer": "请过假", "reverse_entry": True}
        answer = send(bearer(d.sec1), "POST", url, body)
        assert answer.status_code == 200, answer.content
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD
    assert ScoreEntry.objects.filter(reverses=entry, source=ScoreEntry.Source.APPEAL).count() == 1
    assert Publication.objects.get().version == 2  # republished
