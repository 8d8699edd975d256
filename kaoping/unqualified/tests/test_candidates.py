"""The candidate rules (rules.md §10) on constructed attendance, leave, dues and grades."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kaoping.dues.models import DuesClosing, DuesPayment, DuesRate
from kaoping.meetings.models import Attendance, LeaveRequest, Meeting
from kaoping.scoring.models import GradeRecord, MemberResult
from kaoping.unqualified import services
from kaoping.unqualified.models import UnqualifiedCase, UnqualifiedSettings
from kaoping.unqualified.selectors import candidates_found, candidates_visible

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def meeting(d, year, month, *, day=10, branch=None, kind="theme_day"):
    tz = timezone.get_current_timezone()
    return Meeting.objects.create(
        code=f"MT-{year}{month:02d}{day:02d}{kind[:3]}",
        branch=branch or d.b1,
        kind=kind,
        starts_at=datetime.datetime(year, month, day, 9, tzinfo=tz),
        place="会议室",
        topic=f"{month}月主题党日",
        status="closed",
        closed_at=NOW,
    )


def missed(d, months, *, year=2026, member=None, status="absent", **kw):
    """One closed meeting per (year, month) that ``member`` had to attend and missed."""
    member = member or d.m1
    rows = []
    for m in months:
        y, m = m if isinstance(m, tuple) else (year, m)
        mt = meeting(d, y, m, **kw)
        Attendance.objects.create(meeting=mt, member=member, status=status)
        other = d.m1b if member != d.m1b else d.m1
        Attendance.objects.create(meeting=mt, member=other, status="present")
        rows.append(mt)
    return rows


def found(d, year=2026, branches=None):
    return candidates_found(year=year, branches=branches or [d.b1])


def test_six_consecutive_months_missed_raise_condition_2_with_the_months(district):
    d = district
    missed(d, range(1, 7))
    c = found(d)[(d.m1.id, "2")]
    assert [f[:7] for f in c.facts] == [f"2026-0{m}" for m in range(1, 7)]
    assert "MT-20260110the" in c.facts[0] and "1月主题党日" in c.facts[0]
    assert (d.m1b.id, "2") not in found(d)


def test_five_months_only_raise_nothing(district):
    d = district
    missed(d, range(1, 6))
    assert found(d) == {}


def test_a_month_without_a_meeting_breaks_the_run(district):
    d = district
    missed(d, [1, 2, 3, 5, 6, 7])  # no meeting held in April
    assert found(d) == {}
    missed(d, [8, 9, 10])  # May to October: six months running
    assert [f[:7] for f in found(d)[(d.m1.id, "2")].facts][0] == "2026-05"


def leave_decided(d, meeting, status, **fields):
    """M1's request for leave from ``meeting``, decided (``status``) at NOW."""
    return LeaveRequest.objects.create(
        meeting=meeting, member=d.m1, created_at=NOW, status=status, decided_at=NOW, **fields
    )


def test_approved_leave_breaks_the_run(district):
    d = district
    meetings = missed(d, range(1, 7))
    leave_decided(d, meetings[2], "approved", code="LV-1", reason="出差")
    assert found(d) == {}


def test_refused_leave_and_leave_status_on_attendance(district):
    d = district
    meetings = missed(d, range(1, 7))
    leave_decided(
        d, meetings[2], "refused", code="LV-2", reason="私事", decision_reason="理由不充分"
    )
    assert (d.m1.id, "2") in found(d)  # a refused request is no good reason
    Attendance.objects.filter(meeting=meetings[3], member=d.m1).update(status="leave")
    assert found(d) == {}


def test_attending_one_of_two_meetings_in_a_month_breaks_the_run(district):
    d = district
    missed(d, range(1, 7))
    extra = meeting(d, 2026, 4, day=20, kind="lecture")
    Attendance.objects.create(meeting=extra, member=d.m1, status="present")
    assert found(d) == {}


def test_a_run_across_the_new_year_counts_for_the_year_it_ends(district):
    d = district
    missed(d, [(2025, 10), (2025, 11), (2025, 12), (2026, 1), (2026, 2), (2026, 3)])
    assert [f[:7] for f in found(d)[(d.m1.id, "2")].facts][0] == "2025-10"
    assert found(d, year=2025) == {}  # only three months of it in 2025


def test_open_meetings_do_not_count_yet(district):
    d = district
    meetings = missed(d, range(1, 7))
    Meeting.objects.filter(pk=meetings[-1].pk).update(status="open", closed_at=None)
    assert found(d) == {}


def test_months_setting_is_the_years(district):
    d = district
    missed(d, range(1, 5))
    UnqualifiedSettings.objects.create(scheme=d.scheme, absence_months=4)
    assert (d.m1.id, "2") in found(d)


def dues(d, *, amount="50.00", paid: dict, closed=range(1, 13), member=None):
    member = member or d.m1
    DuesRate.objects.create(member=member, year=2026, amount=Decimal(amount))
    for m in closed:
        DuesClosing.objects.get_or_create(
            branch=d.b1, period=datetime.date(2026, m, 1), defaults={"closed_at": NOW}
        )
    for m, value in paid.items():
        DuesPayment.objects.create(
            member=member,
            period=datetime.date(2026, m, 1),
            amount=Decimal(value),
            paid_on=datetime.date(2026, m, 28),
        )


def test_dues_unpaid_or_short_in_three_closed_months_raise_condition_2(district):
    d = district
    paid = dict.fromkeys(range(1, 11), "50.00")
    paid[2] = "20.00"  # short
    del paid[5]  # unpaid
    dues(d, paid=paid, closed=range(1, 11))
    assert found(d) == {}  # two months only
    DuesClosing.objects.create(branch=d.b1, period=datetime.date(2026, 11, 1), closed_at=NOW)
    c = found(d)[(d.m1.id, "2")]
    assert c.facts == [
        "2026-02 党费未足额（应交 50.00，已交 20.00）",
        "2026-05 党费未交纳（应交 50.00，已交 0.00）",
        "2026-11 党费未交纳（应交 50.00，已交 0.00）",
    ]


def test_late_but_full_dues_and_unclosed_months_are_not_missed(district):
    d = district
    dues(d, paid={1: "30.00", 2: "50.00"}, closed=[1, 2])
    DuesPayment.objects.create(
        member=d.m1, period=datetime.date(2026, 1, 1), amount=Decimal(20), paid_on=NOW.date()
    )
    assert found(d) == {}  # January paid in full, late; March onwards not closed


def test_attendance_and_dues_merge_into_one_candidate(district):
    d = district
    missed(d, range(1, 7))
    dues(d, paid={}, closed=[1, 2, 3])
    c = found(d)[(d.m1.id, "2")]
    assert len(c.facts) == 9


def test_warning_two_years_running_raises_condition_8(district):
    d = district
    GradeRecord.objects.create(member=d.m1, year=2025, grade="warning")
    GradeRecord.objects.create(member=d.m1b, year=2025, grade="warning")
    GradeRecord.objects.create(member=d.m1b, year=2026, grade="basic")
    assert found(d) == {}
    GradeRecord.objects.create(member=d.m1, year=2026, grade="warning")
    c = found(d)[(d.m1.id, "8")]
    assert c.facts == ["2025 年度：警示党员", "2026 年度：警示党员"]
    assert list(found(d)) == [(d.m1.id, "8")]


def test_the_engines_flag_on_a_stored_result_raises_condition_8(district):
    d = district
    GradeRecord.objects.create(member=d.m1, year=2025, grade="warning")
    MemberResult.objects.create(
        year=2026, member=d.m1, branch=d.b1, grade="warning", flags=["candidate:8"]
    )
    assert (d.m1.id, "8") in found(d)


def test_dismissed_or_proposed_candidates_do_not_reappear(district):
    d = district
    GradeRecord.objects.create(member=d.m1, year=2025, grade="warning")
    GradeRecord.objects.create(member=d.m1, year=2026, grade="warning")
    missed(d, range(1, 7), member=d.m1b)
    with pytest.raises(ValidationError, match="须说明理由"):
        services.candidate_dismiss(actor=d.sec1, member=d.m1, year=2026, condition="8", reason="")
    services.candidate_dismiss(
        actor=d.sec1, member=d.m1, year=2026, condition="8", reason="已查明为评分错误"
    )
    assert list(found(d)) == [(d.m1b.id, "2")]
    case = services.candidate_propose(actor=d.sec1, member=d.m1b, year=2026, condition="2")
    assert case.state == UnqualifiedCase.State.PRE_REVIEW and "2026-01" in case.facts
    assert found(d) == {}
    with pytest.raises(ValidationError, match="已不存在"):
        services.candidate_propose(actor=d.sec1, member=d.m1b, year=2026, condition="2")


def test_candidates_are_scoped_to_the_actors_bodies(district):
    d = district
    GradeRecord.objects.create(member=d.m1, year=2025, grade="warning")
    GradeRecord.objects.create(member=d.m1, year=2026, grade="warning")
    GradeRecord.objects.create(member=d.m2, year=2025, grade="warning")
    GradeRecord.objects.create(member=d.m2, year=2026, grade="warning")
    assert {c.member.code for c in candidates_visible(actor=d.admin, year=2026)} == {"M1", "M2"}
    assert {c.member.code for c in candidates_visible(actor=d.orgdept, year=2026)} == {
        "M1",
        "M2",
    }
    assert {c.member.code for c in candidates_visible(actor=d.sec2, year=2026)} == {"M2"}
    assert candidates_visible(actor=d.supervisor, year=2026) == []
    assert candidates_visible(actor=d.member1, year=2026) == []


def test_candidates_take_a_fixed_number_of_queries(district, django_assert_max_num_queries):
    d = district
    for m in (d.m1, d.m1b):
        GradeRecord.objects.create(member=m, year=2025, grade="warning")
        GradeRecord.objects.create(member=m, year=2026, grade="warning")
    missed(d, range(1, 7))
    with django_assert_max_num_queries(12):
        assert len(found(d, branches=[d.b1, d.b2])) == 3
