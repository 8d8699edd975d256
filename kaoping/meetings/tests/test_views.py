import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kaoping.kit.decimals import points_text
from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.models import LeaveRequest, Meeting
from kaoping.meetings.services import attendance_take, meeting_close
from kaoping.notifications.models import Notification
from kaoping.testing.factories import b1_meeting

pytestmark = pytest.mark.django_db


def tomorrow():
    return timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + (
        datetime.timedelta(days=1)
    )


def schedule(d, starts_at=None):
    return b1_meeting(d, starts_at or tomorrow())


def test_secretary_schedules_takes_attendance_and_closes_over_http(client, district):
    d = district
    client.force_login(d.sec1)
    page = client.get(reverse("meetings:branch", args=["B1"]))
    assert page.status_code == 200 and "安排会议" in page.content.decode()
    branch_page = client.get(reverse("web:branch", args=["B1"]))
    assert reverse("meetings:branch", args=["B1"]) in branch_page.content.decode()
    response = client.post(
        reverse("meetings:branch", args=["B1"]),
        {
            "kind": "general",
            "starts_at": tomorrow().strftime("%Y-%m-%dT%H:%M"),
            "place": "三楼会议室",
            "topic": "四月支部党员大会",
            "members": [d.m1.pk, d.m1b.pk],
        },
        follow=True,
    )
    meeting = Meeting.objects.get(topic="四月支部党员大会")
    assert response.redirect_chain[-1][0] == reverse("meetings:detail", args=[meeting.code])
    assert meeting.starts_at == tomorrow()
    url = reverse("meetings:attendance", args=[meeting.code])
    client.post(url, {"a-M1": "absent", "a-M1B": "present", "close": "1"})
    close = reverse("meetings:close", args=[meeting.code])
    response = client.post(close, {"confirm": "1"}, follow=True)
    assert "新增 1 条扣分记录" in response.content.decode()
    entry = ScoreEntry.objects.get()
    assert entry.source == "meeting" and entry.member == d.m1 and entry.item.code == "D01"
    assert entry.code in response.content.decode()
    again = client.post(reverse("meetings:close", args=[meeting.code]), follow=True)
    assert "未新增任何记录" in again.content.decode()
    assert ScoreEntry.objects.count() == 1
    reopened = client.post(
        reverse("meetings:reopen", args=[meeting.code]), {"reason": "张三补签到"}, follow=True
    )
    assert "冲销 1 条记录" in reopened.content.decode()
    client.post(url, {"a-M1": "present", "a-M1B": "present", "close": "1"})
    client.post(close, {"confirm": "1"})
    assert ScoreEntry.objects.count() == 2  # the entry and its reversal, nothing new
    member_page = client.get(reverse("web:member", args=["M1"]) + "?year=" + str(entry.year))
    assert "会议考勤" in member_page.content.decode()


def test_member_asks_for_leave_and_secretary_refuses_with_reason(client, district):
    d = district
    meeting = schedule(d)
    client.force_login(d.member1)
    me = client.get(reverse("web:me"))
    assert reverse("meetings:member_daily", args=["M1"]) in me.content.decode()
    card = client.get(reverse("meetings:member_daily", args=["M1"]), HTTP_HX_REQUEST="true")
    assert meeting.topic in card.content.decode() and "<html" not in card.content.decode()
    assert client.get(reverse("meetings:member_daily", args=["M2"])).status_code == 404
    page = client.get(reverse("meetings:detail", args=[meeting.code]))
    assert page.status_code == 200 and "申请请假" in page.content.decode()
    empty = client.post(reverse("meetings:leave", args=[meeting.code]), {"reason": ""})
    assert empty.status_code == 400
    client.post(reverse("meetings:leave", args=[meeting.code]), {"reason": "出差"})
    leave = LeaveRequest.objects.get()
    assert not leave.late
    # A member cannot decide; another branch's secretary gets 403 on a POST
    assert (
        client.post(
            reverse("meetings:leave_decide", args=[leave.code]), {"decision": "approve"}
        ).status_code
        == 403
    )
    client.force_login(d.sec1)
    pending = client.get(reverse("meetings:branch", args=["B1"]))
    assert "待审批的请假申请" in pending.content.decode()
    bad = client.post(
        reverse("meetings:leave_decide", args=[leave.code]), {"decision": "refuse", "reason": ""}
    )
    assert bad.status_code == 400 and "须说明理由" in bad.content.decode()
    client.post(
        reverse("meetings:leave_decide", args=[leave.code]),
        {"decision": "refuse", "reason": "会议重要"},
    )
    leave.refresh_from_db()
    assert leave.status == "refused" and leave.decision_reason == "会议重要"
    assert Notification.objects.filter(user=d.member1, text__contains="会议重要").exists()


def test_late_leave_is_marked_over_http(client, district):
    d = district
    meeting = schedule(d, starts_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(d.member1)
    response = client.post(
        reverse("meetings:leave", args=[meeting.code]), {"reason": "急诊"}, follow=True
    )
    assert "逾期提交" in response.content.decode()
    assert LeaveRequest.objects.get().late


def test_wrong_branch_and_wrong_role_are_refused(client, district):
    d = district
    meeting = schedule(d)
    client.force_login(d.sec2)
    assert client.get(reverse("meetings:detail", args=[meeting.code])).status_code == 404
    assert client.get(reverse("meetings:branch", args=["B1"])).status_code == 404
    assert client.post(reverse("meetings:close", args=[meeting.code])).status_code == 404
    client.force_login(d.member2)
    assert client.get(reverse("meetings:detail", args=[meeting.code])).status_code == 404
    assert (
        client.post(reverse("meetings:leave", args=[meeting.code]), {"reason": "x"}).status_code
        == 404
    )
    client.force_login(d.member1)  # an attendee sees it but cannot take attendance
    assert (
        client.post(
            reverse("meetings:attendance", args=[meeting.code]), {"a-M1": "present"}
        ).status_code
        == 403
    )
    client.force_login(d.orgdept)  # reads, cannot manage
    assert client.get(reverse("meetings:detail", args=[meeting.code])).status_code == 200
    assert client.post(reverse("meetings:close", args=[meeting.code])).status_code == 403
    assert client.post(reverse("meetings:branch", args=["B1"]), {}).status_code == 403


def test_closing_attendance_shows_the_deductions_it_will_create_and_waits_for_confirm(
    client, district
):
    """Issue 15, item 14: closing creates deductions; first say which, then on confirm."""
    d = district
    meeting = schedule(d)
    client.force_login(d.sec1)
    url = reverse("meetings:attendance", args=[meeting.code])
    close = reverse("meetings:close", args=[meeting.code])
    page = client.post(url, {"a-M1": "absent", "a-M1B": "present", "close": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    item = d.scheme.items.get(code="D01")
    points = points_text(item.points, "deduction")  # signed, one decimal: −2.0
    assert d.m1.name in html and item.name in html and f"{points} 分" in html
    assert d.m1b.name not in html.split('id="confirm"')[1]
    assert 'name="confirm"' in html and f'action="{close}"' in html
    meeting.refresh_from_db()
    assert not meeting.is_closed and not ScoreEntry.objects.exists()

    again = client.post(close)  # the close button alone: the same confirmation
    assert again.status_code == 200 and d.m1.name in again.content.decode()
    meeting.refresh_from_db()
    assert not meeting.is_closed and not ScoreEntry.objects.exists()

    client.post(close, {"confirm": "1"})
    meeting.refresh_from_db()
    entry = ScoreEntry.objects.get()
    assert meeting.is_closed and entry.member == d.m1 and entry.points == item.points


@pytest.mark.parametrize("n", [2, 8])
def test_branch_meetings_page_query_count_is_constant(
    client, district, n, django_assert_max_num_queries
):
    d = district
    for _ in range(n):
        meeting = schedule(d)
        attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "absent", "M1B": "present"})
        meeting_close(actor=d.sec1, meeting=meeting)
    client.force_login(d.sec1)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("meetings:branch", args=["B1"]))
    assert page.content.decode().count("学习党章") == n
    with django_assert_max_num_queries(16):
        client.get(reverse("meetings:detail", args=[meeting.code]))


@pytest.mark.parametrize("n", [2, 8])
def test_member_cards_query_count_is_constant(client, district, n, django_assert_max_num_queries):
    d = district
    for _ in range(n):
        schedule(d)
    client.force_login(d.member1)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meetings:member_daily", args=["M1"]))
    assert page.content.decode().count("学习党章") == n


def test_a_meeting_of_a_frozen_year_offers_no_attendance_controls(client, district):
    """Issue 15, item 15: the branch's year is finalised; its meetings say so at the top
    and offer no attendance, closing or reopening; a form posted from an older page is
    answered with the Chinese notice."""
    from kaoping.schemes.services import branch_year_finalise

    d = district
    start = datetime.datetime(2026, 5, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    meeting = schedule(d, starts_at=start)
    client.force_login(d.sec1)
    url = reverse("meetings:detail", args=[meeting.code])
    assert 'name="a-M1"' in client.get(url).content.decode()
    branch_year_finalise(actor=None, scheme=d.scheme, branch=d.b1)
    html = client.get(url).content.decode()
    assert "2026 年度考评结果已定格" in html
    assert 'name="a-M1"' not in html and reverse("meetings:close", args=[meeting.code]) not in html
    posted = client.post(
        reverse("meetings:attendance", args=[meeting.code]),
        {"a-M1": "absent", "a-M1B": "present", "close": "1"},
        follow=True,
    )
    assert any("已定格" in str(m) for m in posted.context["messages"])
    closed = client.post(reverse("meetings:close", args=[meeting.code]), {"confirm": "1"})
    meeting.refresh_from_db()
    assert closed.status_code == 302 and not meeting.is_closed
    assert not ScoreEntry.objects.exists()


def test_a_frozen_year_offers_no_meeting_scheduling(client, district):
    """Issue 15, item 15: when the year a new meeting would fall in is finalised for B1, the
    meetings page says so at the top and offers no scheduling form; a form posted from an
    older page is refused with the notice (a form error) and schedules nothing; the
    service refuses a meeting in a frozen year."""
    from django.core.exceptions import ValidationError

    from kaoping.schemes.models import Scheme
    from kaoping.schemes.services import branch_year_finalise
    from kaoping.testing.factories import SchemeFactory

    d = district
    url = reverse("meetings:branch", args=["B1"])
    client.force_login(d.sec1)
    assert f'method="post" action="{url}"' in client.get(url).content.decode()
    year = tomorrow().year
    scheme = Scheme.objects.filter(year=year).first() or SchemeFactory(year=year)
    branch_year_finalise(actor=None, scheme=scheme, branch=d.b1)
    notice = f"{year} 年度考评结果已定格"

    page = client.get(url).content.decode()
    assert notice in page and f'method="post" action="{url}"' not in page
    posted = client.post(
        url,
        {
            "kind": "general",
            "starts_at": tomorrow().strftime("%Y-%m-%dT%H:%M"),
            "place": "三楼会议室",
            "topic": "定格后的会议",
            "members": [d.m1.pk, d.m1b.pk],
        },
    )
    assert posted.status_code == 200 and notice in posted.content.decode()
    assert notice in posted.context["form"].errors["starts_at"][0]
    with pytest.raises(ValidationError, match="已定格"):
        schedule(d)
    assert not Meeting.objects.exists()


def test_a_frozen_year_takes_no_leave_requests_and_no_leave_decisions(client, district):
    """Issue 15, item 15: once the meeting's year is final for its branch, a member is
    offered no leave form (the notice instead), a request posted from an older page is
    refused with the notice, and the secretary can no longer decide a pending request,
    by page or by service."""
    from django.core.exceptions import ValidationError

    from kaoping.meetings.services import leave_decide, leave_request
    from kaoping.schemes.services import branch_year_finalise

    d = district
    may = datetime.datetime(2026, 5, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    meeting = schedule(d, starts_at=may)
    pending = leave_request(actor=None, member=d.m1b, meeting=meeting, reason="出差")
    url = reverse("meetings:detail", args=[meeting.code])
    leave_url = reverse("meetings:leave", args=[meeting.code])
    client.force_login(d.member1)
    assert f'action="{leave_url}"' in client.get(url).content.decode()
    branch_year_finalise(actor=None, scheme=d.scheme, branch=d.b1)
    notice = "2026 年度考评结果已定格"

    page = client.get(url).content.decode()
    assert notice in page and f'action="{leave_url}"' not in page
    posted = client.post(leave_url, {"reason": "补请假"})
    assert posted.status_code == 400 and notice in posted.content.decode()
    with pytest.raises(ValidationError, match="已定格"):
        leave_request(actor=d.member1, meeting=meeting, reason="补请假")
    assert LeaveRequest.objects.filter(meeting=meeting).count() == 1

    client.force_login(d.sec1)
    decide_url = reverse("meetings:leave_decide", args=[pending.code])
    assert decide_url not in client.get(url).content.decode()
    decided = client.post(decide_url, {"decision": "approve", "reason": ""})
    assert decided.status_code == 400 and notice in decided.content.decode()
    with pytest.raises(ValidationError, match="已定格"):
        leave_decide(actor=d.sec1, leave=pending, approve=True)
    pending.refresh_from_db()
    assert pending.status == LeaveRequest.Status.PENDING
    assert not meeting.attendances.filter(status="leave").exists()
