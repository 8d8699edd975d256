"""The early warnings: each kind raised and not (at its boundary), the scope of each role,
and a fixed number of queries whatever the number of branches."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kaoping.archive.models import LostContact
from kaoping.dues.models import DuesClosing, DuesPayment, DuesRate
from kaoping.evaluation.models import EvaluationRound
from kaoping.meetings.models import Attendance, Meeting
from kaoping.monitoring.selectors import Kind, completed_periods, warnings_for
from kaoping.publication.models import Appeal, Publication
from kaoping.testing.factories import (
    MemberFactory,
    OrganizationFactory,
    grant,
    meetings_not_required,
)

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
NOW = timezone.now()


def meeting(branch, kind, year, month, *, day=10, status="closed"):
    return Meeting.objects.create(
        code=f"MT-{branch.code}-{kind[:3]}-{year}{month:02d}{day:02d}",
        branch=branch,
        kind=kind,
        starts_at=datetime.datetime(year, month, day, 9, tzinfo=TZ),
        place="会议室",
        topic=f"{month}月会议",
        status=status,
        closed_at=NOW if status == "closed" else None,
    )


def messages(actor, kind=None, *, today, year=2026, branch=None):
    return [
        w.message
        for w in warnings_for(actor=actor, year=year, kind=kind, branch=branch, today=today)
    ]


# --------------------------------------------------------------------------- meetings


def test_completed_periods_end_before_today():
    assert completed_periods(2026, 3, datetime.date(2026, 3, 31)) == []
    assert completed_periods(2026, 3, datetime.date(2026, 4, 1)) == [1]
    assert completed_periods(2026, 1, datetime.date(2026, 12, 3)) == list(range(1, 12))
    assert completed_periods(2025, 6, datetime.date(2026, 1, 1)) == [1, 2]
    assert completed_periods(2026, 0, datetime.date(2027, 1, 1)) == []
    # The last year a date can hold: its December has no "first of the next month".
    assert completed_periods(9999, 3, datetime.date(9999, 12, 31)) == [1, 2, 3]


@pytest.mark.django_db
def test_warnings_of_the_last_year_a_date_can_hold(district):
    """The API accepts years up to 9999; its warnings have no "next year" to end at."""
    found = warnings_for(actor=district.admin, year=9999, today=datetime.date(2026, 12, 4))
    assert isinstance(found, list)  # and no overflow on the way


def test_a_quarter_without_a_general_meeting_is_warned_once_it_has_ended(district):
    d = district
    meeting(d.b1, "general", 2026, 2)
    meeting(d.b2, "general", 2026, 3, status="open")  # scheduled, never closed: not held
    before = messages(d.admin, Kind.MEETINGS, today=datetime.date(2026, 3, 31))
    assert not [m for m in before if "支部党员大会" in m]
    after = messages(d.admin, Kind.MEETINGS, today=datetime.date(2026, 4, 1))
    general = [m for m in after if "支部党员大会" in m]
    assert general == ["2026年第1季度未召开支部党员大会"] * 2  # B2 and R1, not B1
    found = warnings_for(
        actor=d.admin, year=2026, kind=Kind.MEETINGS, today=datetime.date(2026, 4, 1)
    )
    assert {w.branch.code for w in found if "支部党员大会" in w.message} == {"B2", "R1"}
    assert all(w.url == f"/branches/{w.branch.code}/meetings/" for w in found)


def test_a_month_without_a_committee_meeting_is_warned(district):
    d = district
    meeting(d.b1, "committee", 2026, 1)
    meeting(d.b1, "committee", 2026, 3, day=31)
    found = messages(d.sec1, Kind.MEETINGS, today=datetime.date(2026, 4, 1))
    assert [m for m in found if "支委会" in m] == ["2026年2月未召开支委会"]


def test_a_frequency_set_to_not_required_raises_nothing(district):
    d = district
    meetings_not_required(2026, datetime.date(2026, 12, 15), lecture_every=12)
    assert messages(d.sec1, Kind.MEETINGS, today=datetime.date(2026, 12, 3)) == []
    assert messages(d.sec1, Kind.MEETINGS, today=datetime.date(2027, 1, 1)) == [
        "2026年全年未召开党课"
    ]


# --------------------------------------------------------------------------- absence, dues


def missed(d, months, member=None, status="absent"):
    member = member or d.m1
    for m in months:
        mt = meeting(d.b1, "theme_day", 2026, m)
        Attendance.objects.create(meeting=mt, member=member, status=status)
        Attendance.objects.create(meeting=mt, member=d.m1b, status="present")


def test_three_months_without_organisational_life_are_warned(district):
    d = district
    today = datetime.date(2026, 12, 3)
    missed(d, [9, 10])
    assert messages(d.sec1, Kind.ABSENCE, today=today) == []
    missed(d, [11])
    found = warnings_for(actor=d.sec1, year=2026, kind=Kind.ABSENCE, today=today)
    assert [w.message for w in found] == ["张三（M1）已连续3个月未参加组织生活"]
    assert found[0].member == d.m1 and found[0].url == "/members/M1/"


def test_a_run_the_member_has_since_broken_is_not_warned(district):
    d = district
    missed(d, [7, 8, 9])
    missed(d, [10], status="present")
    assert messages(d.sec1, Kind.ABSENCE, today=datetime.date(2026, 12, 3)) == []


def test_six_months_are_named_as_condition_2(district):
    d = district
    missed(d, range(6, 12))
    assert messages(d.sec1, Kind.ABSENCE, today=datetime.date(2026, 12, 3)) == [
        "张三（M1）已连续6个月未参加组织生活，符合不合格党员情形二"
    ]


def dues(d, closed, paid):
    DuesRate.objects.create(member=d.m1, year=2026, amount=Decimal("50.00"))
    for m in closed:
        DuesClosing.objects.create(branch=d.b1, period=datetime.date(2026, m, 1), closed_at=NOW)
    for m in paid:
        DuesPayment.objects.create(
            member=d.m1,
            period=datetime.date(2026, m, 1),
            amount=Decimal("50.00"),
            paid_on=datetime.date(2026, m, 28),
        )


def test_dues_unpaid_for_two_months_are_warned(district):
    d = district
    today = datetime.date(2026, 12, 3)
    dues(d, closed=[9, 10], paid=[9])
    assert messages(d.sec1, Kind.DUES, today=today) == []
    DuesClosing.objects.create(branch=d.b1, period=datetime.date(2026, 11, 1), closed_at=NOW)
    assert messages(d.sec1, Kind.DUES, today=today) == [
        "张三（M1）有2个月党费未交或未足额（2026-10、2026-11）"
    ]


# --------------------------------------------------------------------------- lost, evaluation


def test_a_member_out_of_contact_is_warned_until_found(district):
    d = district
    today = datetime.date(2026, 12, 3)
    lost = LostContact.objects.create(
        member=d.m1, since=datetime.date(2026, 5, 1), efforts="电话无人接听"
    )
    found = warnings_for(actor=d.sec1, year=2026, kind=Kind.LOST_CONTACT, today=today)
    assert [w.message for w in found] == ["张三（M1）自2026-05-01起失联"]
    assert found[0].url == "/archive/lost-contact/"
    lost.found_on = datetime.date(2026, 6, 1)
    lost.save()
    assert messages(d.sec1, Kind.LOST_CONTACT, today=today) == []


def test_an_evaluation_not_started_by_the_deadline_is_warned(district):
    d = district
    EvaluationRound.objects.create(year=2026, branch=d.b2)
    assert messages(d.admin, Kind.EVALUATION, today=datetime.date(2026, 12, 15)) == []
    found = warnings_for(
        actor=d.admin, year=2026, kind=Kind.EVALUATION, today=datetime.date(2026, 12, 16)
    )
    assert {w.branch.code for w in found} == {"B1", "R1"}
    assert found[0].message == "2026年度民主评议截至2026-12-15仍未启动"
    assert found[0].url == "/eval/B1/2026/"


# --------------------------------------------------------------------------- appeals


def test_an_open_appeal_near_the_end_of_the_notice_is_warned(district):
    d = district
    until = datetime.datetime(2026, 12, 5, 18, tzinfo=TZ)
    Publication.objects.create(year=2026, branch=d.b1, notice_until=until)
    appeal = Appeal.objects.create(year=2026, member=d.m1, reasons="分数有误")
    assert messages(d.sec1, Kind.APPEALS, today=datetime.date(2026, 12, 2)) == []
    found = warnings_for(
        actor=d.sec1, year=2026, kind=Kind.APPEALS, today=datetime.date(2026, 12, 3)
    )
    assert [w.message for w in found] == [
        f"张三（M1）的申诉（{appeal.code}）尚未答复，公示于2026-12-05 18:00截止"
    ]
    assert found[0].url == "/pub/B1/2026/"
    appeal.status = "refused"
    appeal.answer = "经核实无误"
    appeal.answered_at = NOW
    appeal.save()
    assert messages(d.sec1, Kind.APPEALS, today=datetime.date(2026, 12, 3)) == []


# --------------------------------------------------------------------------- scope, queries


def _everything(d):
    meeting(d.b1, "general", 2026, 2)
    missed(d, [9, 10, 11])
    LostContact.objects.create(member=d.m2, since=datetime.date(2026, 5, 1), efforts="走访")


def test_each_role_sees_only_the_warnings_of_its_branches(district):
    d = district
    _everything(d)
    today = datetime.date(2026, 12, 16)
    mine = warnings_for(actor=d.sec1, year=2026, today=today)
    assert mine and {w.branch.code for w in mine} == {"B1"}
    assert {w.branch.code for w in warnings_for(actor=d.sec2, year=2026, today=today)} == {"B2"}
    assert {w.branch.code for w in warnings_for(actor=d.admin, year=2026, today=today)} == {
        "B1",
        "B2",
        "R1",
    }
    every = {w.branch.code for w in warnings_for(actor=d.orgdept, year=2026, today=today)}
    assert every == {"B1", "B2", "R1"}
    assert warnings_for(actor=d.member1, year=2026, today=today) == []
    assert warnings_for(actor=d.outsider, year=2026, today=today) == []
    assert warnings_for(actor=d.sec1, year=2026, branch=d.b2, today=today) == []


def test_the_queries_do_not_grow_with_the_branches(district):
    d = district
    _everything(d)
    today = datetime.date(2026, 12, 16)
    warnings_for(actor=d.sec1, year=2026, today=today)
    with CaptureQueriesContext(connection) as one:
        first = warnings_for(actor=d.sec1, year=2026, today=today)
    for n in range(4):
        branch = OrganizationFactory(code=f"BX{n}", name=f"新支部{n}", parent=d.p1)
        grant(d.sec1, branch, "secretary")
        member = MemberFactory(code=f"MX{n}", name=f"新党员{n}", branch=branch)
        LostContact.objects.create(member=member, since=datetime.date(2026, 5, 1), efforts="走访")
    d.sec1 = type(d.sec1).objects.get(pk=d.sec1.pk)  # a new request: the scope is read again
    with CaptureQueriesContext(connection) as five:
        many = warnings_for(actor=d.sec1, year=2026, today=today)
    assert len({w.branch.code for w in many}) == 5 and len(many) > len(first)
    assert len(five.captured_queries) == len(one.captured_queries) + 1  # + the scope
