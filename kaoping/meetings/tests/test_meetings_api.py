"""The meeting pages' actions through the API (issue 20): list, one meeting, schedule,
attendance, closing (plan, then confirmed), re-opening, and written leave (request,
decision). Each with its refusals: out of scope (404/403), invalid input and wrong state
(422, with field errors), through HTTP with a bearer token or a session."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.models import Attendance, LeaveRequest, Meeting
from kaoping.meetings.services import leave_request
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session
from kaoping.testing.factories import b1_meeting

pytestmark = pytest.mark.django_db

STARTS = "2026-11-20T10:00:00+08:00"  # past, in the district's scheme year


def meeting_of(d, starts=None, branch=None, actor=None):
    starts_at = starts or datetime.datetime.fromisoformat(STARTS)
    return b1_meeting(d, starts_at, actor=actor or d.sec1, branch=branch or d.b1)


# --------------------------------------------------------------------------- reads


def test_branch_meetings_list_filters_and_scope(district):
    d = district
    old = meeting_of(d, datetime.datetime(2025, 11, 3, 9, tzinfo=datetime.UTC))
    new = meeting_of(d)
    meeting_of(d, branch=d.b2, actor=d.sec2)
    sec = bearer(d.sec1)
    answer = sec.get("/api/branches/B1/meetings")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [m["code"] for m in body["items"]] == [new.code, old.code]  # newest first
    assert body["items"][0]["attendees"] == 2 and body["items"][0]["status"] == "open"
    assert [m["code"] for m in sec.get("/api/branches/B1/meetings?year=2025").json()["items"]] == [
        old.code
    ]
    assert sec.get("/api/branches/B1/meetings?kind=committee").json()["count"] == 0
    assert sec.get("/api/branches/B1/meetings?status=closed").json()["count"] == 0
    assert sec.get("/api/branches/B1/meetings?year=0").status_code == 422
    assert sec.get("/api/branches/B1/meetings?year=9999").json()["count"] == 0
    # a member reads meetings one by one, not the branch's list; other branches: 404
    assert_statuses(
        "GET", "/api/branches/B1/meetings", {d.member1: 404, d.sec2: 404, d.orgdept: 200}
    )


def test_meeting_detail_for_officers_and_attendees(district):
    d = district
    meeting = meeting_of(d)
    leave_request(actor=d.member1, meeting=meeting, reason="出差")
    body = bearer(d.sec1).get(f"/api/meetings/{meeting.code}").json()
    assert body["code"] == meeting.code and body["branch"] == "B1"
    assert [a["member"] for a in body["attendance"]] == ["M1", "M1B"]
    assert [lv["member"] for lv in body["leave_requests"]] == ["M1"]
    mine = session(d.member1).get(f"/api/meetings/{meeting.code}").json()
    assert mine["attendance"] == [] and [lv["member"] for lv in mine["leave_requests"]] == ["M1"]
    for user in (d.member2, d.sec2, d.supervisor):
        assert bearer(user).get(f"/api/meetings/{meeting.code}").status_code == 404
    assert bearer(d.sec1).get("/api/meetings/MT-NONE").status_code == 404
    assert Client().get(f"/api/meetings/{meeting.code}").status_code == 401


# --------------------------------------------------------------------------- schedule


def test_schedule_a_meeting(district):
    d = district
    answer = send(
        bearer(d.sec1),
        "POST",
        "/api/branches/B1/meetings",
        {
            "kind": "committee",
            "starts_at": STARTS,
            "place": "会议室",
            "topic": "组织生活",
            "members": ["M1"],
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["kind"] == "committee" and [a["member"] for a in body["attendance"]] == ["M1"]
    assert Meeting.objects.get(code=body["code"]).branch == d.b1
    everyone = send(
        session(d.sec1),
        "POST",
        "/api/branches/B1/meetings",
        {"kind": "general", "starts_at": STARTS, "place": "会议室", "topic": "党课"},
    )
    assert everyone.status_code == 201, everyone.content
    assert len(everyone.json()["attendance"]) == 2


def test_schedule_refusals(district):
    d = district
    good = {"kind": "general", "starts_at": STARTS, "place": "会议室", "topic": "党课"}
    url = "/api/branches/B1/meetings"
    assert_statuses("POST", url, {d.member1: 404, d.sec2: 404, d.orgdept: 403}, good)
    sec = bearer(d.sec1)
    assert "starts_at" in invalid(sec, "POST", url, good | {"starts_at": "2026-11-20T10:00:00"})
    assert "kind" in invalid(sec, "POST", url, good | {"kind": "picnic"})
    assert "topic" in invalid(sec, "POST", url, good | {"topic": ""})
    assert "members" in invalid(sec, "POST", url, good | {"members": ["M2"]})
    assert "members" in invalid(sec, "POST", url, good | {"members": []})
    far = send(sec, "POST", url, good | {"starts_at": "9999-12-31T23:00:00-08:00"})
    assert far.status_code == 422 and "超出范围" in far.json()["errors"]["starts_at"][0]
    assert not Meeting.objects.exists()


# --------------------------------------------------------------------------- attendance


def test_record_attendance(district):
    d = district
    meeting = meeting_of(d)
    url = f"/api/meetings/{meeting.code}/attendance"
    answer = send(bearer(d.sec1), "PUT", url, {"statuses": {"M1": "present", "M1B": "absent"}})
    assert answer.status_code == 200, answer.content
    assert {a["member"]: a["status"] for a in answer.json()["attendance"]} == {
        "M1": "present",
        "M1B": "absent",
    }
    assert_statuses("PUT", url, {d.member1: 403, d.sec2: 404}, {"statuses": {"M1": "absent"}})
    sec = bearer(d.sec1)
    unexcused = send(sec, "PUT", url, {"statuses": {"M1": "leave"}})
    assert unexcused.status_code == 422 and "书面请假" in unexcused.json()["detail"]
    assert send(sec, "PUT", url, {"statuses": {"M2": "present"}}).status_code == 422
    assert send(sec, "PUT", url, {"statuses": {"M1": "late"}}).status_code == 422
    assert send(sec, "PUT", url, {}).status_code == 422
    assert Attendance.objects.get(meeting=meeting, member=d.m1).status == "present"


# --------------------------------------------------------------------------- close, reopen


def test_close_shows_the_plan_then_closes_and_reopens(district):
    d = district
    meeting = meeting_of(d)
    sec = bearer(d.sec1)
    close = f"/api/meetings/{meeting.code}/close"
    statuses = {"M1": "present", "M1B": "absent"}
    unmarked = send(sec, "POST", close, {})
    assert unmarked.status_code == 422 and "未登记考勤" in unmarked.json()["detail"]
    plan = send(sec, "POST", close, {"statuses": statuses})
    assert plan.status_code == 200, plan.content
    body = plan.json()
    assert body["closed"] is False and [p["member"] for p in body["planned"]] == ["M1B"]
    assert body["planned"][0]["item"] == "D01"
    # the plan changed nothing: the attendance is still unmarked, the meeting open
    assert set(meeting.attendances.values_list("status", flat=True)) == {"unmarked"}
    assert send(bearer(d.member1), "POST", close, {"confirm": True}).status_code == 403
    assert send(bearer(d.member1), "POST", close, {}).status_code == 403
    assert send(bearer(d.sec2), "POST", close, {"confirm": True}).status_code == 404
    done = send(sec, "POST", close, {"statuses": statuses, "confirm": True})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["closed"] is True and len(body["entries"]) == 1
    assert ScoreEntry.objects.get(code=body["entries"][0]).member == d.m1b
    again = send(sec, "POST", close, {"confirm": True}).json()
    assert again["already_closed"] is True and again["entries"] == []
    late = send(sec, "PUT", f"/api/meetings/{meeting.code}/attendance", {"statuses": statuses})
    assert late.status_code == 422 and "考勤已关闭" in late.json()["detail"]

    reopen = f"/api/meetings/{meeting.code}/reopen"
    assert_statuses("POST", reopen, {d.member1: 403, d.sec2: 404}, {"reason": "更正"})
    assert "reason" in invalid(sec, "POST", reopen, {"reason": " "})
    opened = send(session(d.sec1), "POST", reopen, {"reason": "更正缺席"})
    assert opened.status_code == 200, opened.content
    assert opened.json()["closed"] is False and len(opened.json()["reversals"]) == 1
    assert send(sec, "POST", reopen, {"reason": "再次"}).status_code == 422  # not closed


def test_close_refuses_an_unexcused_leave_and_keeps_nothing(district):
    d = district
    meeting = meeting_of(d)
    answer = send(
        bearer(d.sec1),
        "POST",
        f"/api/meetings/{meeting.code}/close",
        {"statuses": {"M1": "leave", "M1B": "present"}, "confirm": True},
    )
    assert answer.status_code == 422
    meeting.refresh_from_db()
    assert not meeting.is_closed
    assert set(meeting.attendances.values_list("status", flat=True)) == {"unmarked"}


# --------------------------------------------------------------------------- leave


def test_leave_request_and_decision(district):
    d = district
    meeting = meeting_of(d, timezone.now() + datetime.timedelta(days=3))
    url = f"/api/meetings/{meeting.code}/leave-requests"
    member = bearer(d.member1)
    asked = send(member, "POST", url, {"reason": "出差"})
    assert asked.status_code == 201, asked.content
    leave = asked.json()
    assert leave["member"] == "M1" and leave["status"] == "pending" and leave["late"] is False
    twice = send(member, "POST", url, {"reason": "出差"})
    assert twice.status_code == 422 and "已提交过" in twice.json()["detail"]
    assert member.get(f"/api/leave-requests/{leave['code']}").status_code == 200
    assert_statuses("GET", f"/api/leave-requests/{leave['code']}", {d.member2: 404, d.sec2: 404})

    decide = f"/api/leave-requests/{leave['code']}/decision"
    assert send(member, "POST", decide, {"decision": "approve"}).status_code == 403
    assert send(bearer(d.sec2), "POST", decide, {"decision": "approve"}).status_code == 404
    sec = bearer(d.sec1)
    assert "reason" in invalid(sec, "POST", decide, {"decision": "refuse"})
    assert send(sec, "POST", decide, {"decision": "maybe"}).status_code == 422
    approved = send(sec, "POST", decide, {"decision": "approve"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert Attendance.objects.get(meeting=meeting, member=d.m1).status == "leave"
    decided = send(sec, "POST", decide, {"decision": "refuse", "reason": "晚了"})
    assert decided.status_code == 422 and "已审批" in decided.json()["detail"]


def test_leave_request_refusals(district):
    d = district
    meeting = meeting_of(d, timezone.now() + datetime.timedelta(days=3))
    url = f"/api/meetings/{meeting.code}/leave-requests"
    assert_statuses("POST", url, {d.sec1: 403, d.member2: 404}, {"reason": "出差"})
    assert "reason" in invalid(bearer(d.member1), "POST", url, {"reason": " "})
    meeting.closing_set(closed=True)
    closed = send(bearer(d.member1), "POST", url, {"reason": "出差"})
    assert closed.status_code == 422 and "考勤已关闭" in closed.json()["detail"]
    assert not LeaveRequest.objects.exists()


def test_branch_pending_leave_requests(district):
    d = district
    first = meeting_of(d, timezone.now() + datetime.timedelta(days=3))
    second = meeting_of(d, timezone.now() + datetime.timedelta(days=1))
    late = leave_request(actor=d.member1, meeting=first, reason="出差")
    soon = leave_request(actor=d.member1, meeting=second, reason="生病")
    url = "/api/branches/B1/leave-requests"
    body = bearer(d.sec1).get(url).json()
    assert [lv["code"] for lv in body["items"]] == [soon.code, late.code]
    assert bearer(d.orgdept).get(url).json()["items"] == []  # reads, does not decide
    assert_statuses("GET", url, {d.member1: 404, d.sec2: 404})
