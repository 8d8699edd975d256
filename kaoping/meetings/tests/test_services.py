import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.models import AbsenceEntry, Attendance, LeaveRequest, MeetingKind
from kaoping.meetings.selectors import meeting_rules
from kaoping.meetings.services import (
    attendance_take,
    leave_decide,
    leave_request,
    meeting_close,
    meeting_reopen,
    meeting_rule_set,
)
from kaoping.notifications.models import Notification
from kaoping.schemes.services import exemption_set
from kaoping.testing.factories import b1_meeting

pytestmark = pytest.mark.django_db


def at(days=1, hour=9):
    base = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(days=days)


def schedule(d, actor=None, kind=MeetingKind.GENERAL, starts_at=None, **kw):
    return b1_meeting(d, starts_at or at(), actor=actor or d.sec1, kind=kind, **kw)


def test_close_records_one_entry_per_unexcused_absence_and_is_idempotent(district):
    d = district
    meeting = schedule(d)
    assert meeting.attendances.count() == 2
    assert Notification.objects.filter(user=d.member1, link__contains=meeting.code).exists()
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "absent", "M1B": "present"})
    created = meeting_close(actor=d.sec1, meeting=meeting)
    assert len(created) == 1
    entry = created[0]
    assert entry.member == d.m1 and entry.item.code == "D01"
    assert entry.source == ScoreEntry.Source.MEETING
    assert meeting.code in entry.evidence and entry.recorded_by == d.sec1
    assert AbsenceEntry.objects.get(entry=entry).attendance.member == d.m1
    assert meeting_close(actor=d.sec1, meeting=meeting) == []
    assert ScoreEntry.objects.count() == 1


def test_org_life_uses_its_own_item_and_the_rule_is_a_scheme_setting(district):
    d = district
    assert meeting_rules(scheme=d.scheme)[("theme_day", "in_service")] == "D03"
    meeting_rule_set(actor=d.admin, scheme=d.scheme, kind="theme_day", item_code="D05")
    with pytest.raises(PermissionDenied):
        meeting_rule_set(actor=d.sec1, scheme=d.scheme, kind="theme_day", item_code="D01")
    with pytest.raises(ValidationError):
        meeting_rule_set(actor=d.admin, scheme=d.scheme, kind="theme_day", item_code="B01")
    meeting = schedule(d, kind=MeetingKind.THEME_DAY, members=[d.m1])
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "absent"})
    [entry] = meeting_close(actor=d.sec1, meeting=meeting)
    assert entry.item.code == "D05"


def test_reopen_reverses_and_reclose_recreates_only_corrected_absences(district):
    d = district
    meeting = schedule(d)
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "absent", "M1B": "absent"})
    first = meeting_close(actor=d.sec1, meeting=meeting)
    assert len(first) == 2
    with pytest.raises(ValidationError):
        meeting_reopen(actor=d.sec1, meeting=meeting, reason=" ")
    reversals = meeting_reopen(actor=d.sec1, meeting=meeting, reason="李四实际到会")
    assert {r.reverses_id for r in reversals} == {e.id for e in first}
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1B": "present"})
    second = meeting_close(actor=d.sec1, meeting=meeting)
    assert [e.member for e in second] == [d.m1]
    assert ScoreEntry.objects.count() == 5  # 2 + 2 reversals + 1
    assert AbsenceEntry.objects.filter(active=True).count() == 1


def test_close_refuses_unmarked_attendance_and_other_branches(district):
    d = district
    meeting = schedule(d)
    with pytest.raises(ValidationError):
        meeting_close(actor=d.sec1, meeting=meeting)
    with pytest.raises(PermissionDenied):
        meeting_close(actor=d.sec2, meeting=meeting)
    with pytest.raises(PermissionDenied):
        schedule(d, actor=d.member1)
    with pytest.raises(ValidationError):
        schedule(d, members=[d.m2])


def test_exempt_member_gets_no_deduction(district):
    d = district
    exemption_set(actor=None, member=d.m1, item_code="D01", reason="身体原因")
    meeting = schedule(d, members=[d.m1])
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "absent"})
    assert meeting_close(actor=d.sec1, meeting=meeting) == []


def test_approved_leave_means_no_deduction_and_refusal_needs_reason(district):
    d = district
    meeting = schedule(d)
    leave = leave_request(actor=d.member1, meeting=meeting, reason="出差")
    assert not leave.late
    assert Notification.objects.filter(user=d.sec1, link__contains=meeting.code).exists()
    with pytest.raises(ValidationError):
        leave_request(actor=d.member1, meeting=meeting, reason="再次")
    with pytest.raises(PermissionDenied):
        leave_request(actor=d.member2, meeting=meeting, reason="不是应到")
    with pytest.raises(PermissionDenied):
        leave_decide(actor=d.sec2, leave=leave, approve=True)
    with pytest.raises(ValidationError):
        leave_decide(actor=d.sec1, leave=leave, approve=False, reason="")
    leave_decide(actor=d.sec1, leave=leave, approve=True)
    assert Attendance.objects.get(meeting=meeting, member=d.m1).status == "leave"
    assert Notification.objects.filter(user=d.member1, text__contains="已批准").exists()
    with pytest.raises(ValidationError):  # M1B has no approved leave
        attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1B": "leave"})
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1B": "present"})
    assert meeting_close(actor=d.sec1, meeting=meeting) == []


def test_late_leave_is_marked_and_may_still_be_accepted(district):
    d = district
    meeting = schedule(d, starts_at=timezone.now() - datetime.timedelta(hours=1))
    leave = leave_request(actor=d.member1, meeting=meeting, reason="临时急诊")
    assert leave.late
    leave_decide(actor=d.sec1, leave=leave, approve=True, reason="情况属实")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED and leave.late
    from kaoping.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="leave.approve", target_id=leave.code)
    assert event.after["late"] is True


def test_refused_leave_then_absent_is_deducted_and_closed_meeting_refuses_leave(district):
    d = district
    meeting = schedule(d, members=[d.m1])
    leave = leave_request(actor=d.member1, meeting=meeting, reason="家中有事")
    leave_decide(actor=d.sec1, leave=leave, approve=False, reason="会议重要，不宜请假")
    assert Notification.objects.filter(user=d.member1, text__contains="未获批准").exists()
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "absent"})
    assert len(meeting_close(actor=d.sec1, meeting=meeting)) == 1
    with pytest.raises(ValidationError):
        leave_request(actor=d.member1, meeting=meeting, reason="补请假")


def test_the_attendance_of_a_frozen_year_is_refused_by_the_services(district):
    """Issue 15, item 15: the services, not only the pages, refuse attendance, closing and
    reopening once the meeting's year is final for its branch (even with no absentee, when
    closing would record no entry the ledger could refuse)."""
    from kaoping.schemes.services import branch_year_finalise

    d = district
    may = datetime.datetime(2026, 5, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    meeting = schedule(d, starts_at=may)
    other = schedule(d, starts_at=may + datetime.timedelta(days=1))
    attendance_take(actor=d.sec1, meeting=other, statuses={"M1": "present", "M1B": "present"})
    meeting_close(actor=d.sec1, meeting=other)
    branch_year_finalise(actor=None, scheme=d.scheme, branch=d.b1)
    with pytest.raises(ValidationError, match="已定格"):
        attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "absent"})
    with pytest.raises(ValidationError, match="已定格"):
        meeting_close(actor=d.sec1, meeting=meeting)
    with pytest.raises(ValidationError, match="已定格"):
        meeting_reopen(actor=d.sec1, meeting=other, reason="更正")
    meeting.refresh_from_db()
    other.refresh_from_db()
    assert not meeting.is_closed and other.is_closed
    assert not meeting.attendances.exclude(status="unmarked").exists()
