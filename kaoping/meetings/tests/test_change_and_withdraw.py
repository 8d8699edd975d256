"""A meeting changed (会议变更) and a leave request withdrawn (撤回请假), on the pages and
through the API (issue 20): the attendees are told of a change; a closed meeting or a
final year refuses both; only the member withdraws their own request, and an approved
leave withdrawn no longer excuses them."""

import datetime

import pytest
from django.utils import timezone

from kaoping.audit.models import AuditEvent
from kaoping.meetings.models import Attendance, LeaveRequest, Meeting
from kaoping.meetings.services import leave_decide, leave_request
from kaoping.notifications.models import Notification
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session
from kaoping.testing.factories import b1_meeting

pytestmark = pytest.mark.django_db


def soon(days=2):
    return timezone.localtime().replace(microsecond=0) + datetime.timedelta(days=days)


@pytest.fixture
def meeting(district):
    return b1_meeting(district, soon())


def test_the_secretary_changes_a_meeting_on_the_page_and_attendees_are_told(district, meeting):
    page = session(district.sec1)
    form = page.get(f"/meetings/{meeting.code}/change/")
    assert form.status_code == 200 and "三楼会议室" in form.content.decode()
    when = soon(3)
    answer = page.post(
        f"/meetings/{meeting.code}/change/",
        {"starts_at": f"{when:%Y-%m-%dT%H:%M}", "place": "五楼", "topic": "学习党章"},
    )
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "五楼" and meeting.starts_at == when.replace(second=0)
    told = Notification.objects.filter(user=district.member1, text__startswith="会议变更")
    assert told.count() == 1 and "五楼" in told.get().text
    event = AuditEvent.objects.get(action="meeting.change")
    assert event.before["place"] == "三楼会议室" and event.after["place"] == "五楼"


def test_the_api_changes_a_meeting_and_refuses_what_the_page_refuses(district, meeting):
    url = f"/api/meetings/{meeting.code}"
    body = {"starts_at": soon(4).isoformat(), "place": "会议室", "topic": "党课"}
    answer = send(bearer(district.sec1), "PATCH", url, body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["topic"] == "党课" and answer.json()["place"] == "会议室"
    assert_statuses("PATCH", url, {district.member1: 403, district.sec2: 404}, body)
    assert "topic" in invalid(bearer(district.sec1), "PATCH", url, body | {"topic": ""})
    Meeting.objects.filter(pk=meeting.pk).update(status="closed", closed_at=timezone.now())
    closed = send(bearer(district.sec1), "PATCH", url, body | {"topic": "又改"})
    assert closed.status_code == 422 and "已关闭" in closed.json()["detail"]
    assert Meeting.objects.get(pk=meeting.pk).topic == "党课"


def test_a_member_withdraws_an_approved_leave_and_is_no_longer_excused(district, meeting):
    leave = leave_request(actor=district.member1, meeting=meeting, reason="出差")
    leave_decide(actor=district.sec1, leave=leave, approve=True)
    attendance = Attendance.objects.get(meeting=meeting, member=district.m1)
    assert attendance.status == Attendance.Status.LEAVE
    page = session(district.member1)
    shown = page.get(f"/meetings/{meeting.code}/").content.decode()
    assert 'id="leave-withdraw"' in shown
    answer = page.post(f"/leave/{leave.code}/withdraw/")
    assert answer.status_code == 302
    leave.refresh_from_db()
    attendance.refresh_from_db()
    assert leave.status == "withdrawn" and attendance.status == Attendance.Status.UNMARKED
    assert Notification.objects.filter(user=district.sec1, text__contains="撤回了请假").exists()
    # they may ask again; the page offers the form once more
    again = page.get(f"/meetings/{meeting.code}/").content.decode()
    assert 'id="leave"' in again and 'id="leave-withdraw"' not in again
    assert (
        leave_request(actor=district.member1, meeting=meeting, reason="又出差").status == "pending"
    )


def test_withdrawing_through_the_api_and_its_refusals(district, meeting):
    leave = leave_request(actor=district.member1, meeting=meeting, reason="出差")
    url = f"/api/leave-requests/{leave.code}/withdraw"
    assert_statuses("POST", url, {district.sec1: 403, district.member2: 404})
    answer = send(bearer(district.member1), "POST", url)
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"
    twice = send(bearer(district.member1), "POST", url)
    assert twice.status_code == 422
    assert LeaveRequest.objects.get(pk=leave.pk).status == "withdrawn"
