"""扫码签到 through HTTP (issue 20): the rotating code, the window, late marking, once per
member, the attendee list, the scan-then-login grace, the prefilled attendance form and
the written-leave cut-off of the meeting rule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kaoping.audit.models import AuditEvent
from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.checkin import (
    STEP_SECONDS,
    Refusal,
    checkin_token,
    time_step,
    token_current,
    token_refusal,
)
from kaoping.meetings.checkin_views import GRANT
from kaoping.meetings.models import Attendance, CheckIn, LeaveRequest
from kaoping.meetings.services import leave_request, meeting_rule_set
from kaoping.testing.factories import b1_meeting

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def meeting_at(d, starts_at, members=None, topic="学习党章"):
    return b1_meeting(d, starts_at, topic=topic, members=members)


def scan_url(meeting, token=None):
    token = token or token_current(meeting.code, timezone.now())
    return reverse("meetings:checkin", args=[meeting.code]) + f"?t={token}", token


def check_in(client, meeting, token=None):
    """What a phone does: open the code's URL, then tap 签到."""
    url, token = scan_url(meeting, token)
    page = client.get(url)
    return page, client.post(url.split("?")[0], {"t": token})


def test_the_token_holds_the_meeting_and_the_step():
    at = timezone.now()
    step = time_step(at)
    assert token_refusal(checkin_token("MT-1", step), code="MT-1", at=at) is None
    assert token_refusal(checkin_token("MT-1", step - 1), code="MT-1", at=at) is None
    assert token_refusal(checkin_token("MT-1", step - 2), code="MT-1", at=at) is Refusal.EXPIRED
    assert token_refusal(checkin_token("MT-1", step + 1), code="MT-1", at=at) is Refusal.EXPIRED
    assert token_refusal(checkin_token("MT-2", step), code="MT-1", at=at) is Refusal.FOREIGN
    assert token_refusal(checkin_token("MT-1", step) + "x", code="MT-1", at=at) is (Refusal.INVALID)
    # a photo of the code stops working within two steps (a minute)
    later = at + datetime.timedelta(seconds=2 * STEP_SECONDS)
    assert token_refusal(token_current("MT-1", at), code="MT-1", at=later) is Refusal.EXPIRED


def test_member_checks_in_on_time_once(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() + 10 * MINUTE)
    client.force_login(d.member1)
    page, done = check_in(client, meeting)
    assert page.status_code == 200 and "确认签到" in page.content.decode()
    assert done.status_code == 302
    assert done.url == reverse("meetings:detail", args=[meeting.code])
    checkin = CheckIn.objects.get()
    assert (checkin.member, checkin.late) == (d.m1, False)
    assert Attendance.objects.get(meeting=meeting, member=d.m1).status == "present"
    assert AuditEvent.objects.filter(action="meeting.check_in").count() == 1
    shown = client.get(done.url).content.decode()
    assert "签到成功" in shown and "您已于" in shown
    # twice: a clear message, nothing changes
    _page, again = check_in(client, meeting)
    assert again.status_code == 400 and "无需重复签到" in again.content.decode()
    assert CheckIn.objects.count() == 1
    assert AuditEvent.objects.filter(action="meeting.check_in").count() == 1


def test_the_previous_code_still_works_the_one_before_does_not(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() + 10 * MINUTE)
    client.force_login(d.member1)
    step = time_step(timezone.now())
    page, expired = check_in(client, meeting, checkin_token(meeting.code, step - 2))
    assert "已过期" in page.content.decode() and "确认签到" not in page.content.decode()
    assert expired.status_code == 400 and "已过期" in expired.content.decode()
    assert not CheckIn.objects.exists()
    _page, done = check_in(client, meeting, checkin_token(meeting.code, step - 1))
    assert done.status_code == 302 and CheckIn.objects.count() == 1


def test_a_code_of_another_meeting_or_a_forged_one_is_refused(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() + 10 * MINUTE)
    other = meeting_at(d, timezone.now() + 10 * MINUTE, topic="另一场会")
    client.force_login(d.member1)
    _page, foreign = check_in(client, meeting, token_current(other.code, timezone.now()))
    assert foreign.status_code == 400 and "不属于这次会议" in foreign.content.decode()
    _page, forged = check_in(client, meeting, f"{meeting.code}.1:abc")
    assert forged.status_code == 400 and "签到码无效" in forged.content.decode()
    assert "学习党章" not in forged.content.decode()  # a forged code names no meeting
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("offset", "message"), [(40, "签到尚未开始"), (-20, "签到已结束")], ids=["before", "after"]
)
def test_outside_the_window(client, district, offset, message):
    d = district
    meeting = meeting_at(d, timezone.now() + offset * MINUTE)  # window: -30 .. +15 minutes
    client.force_login(d.member1)
    _page, refused = check_in(client, meeting)
    assert refused.status_code == 400 and message in refused.content.decode()
    assert not CheckIn.objects.exists()
    assert Attendance.objects.get(meeting=meeting, member=d.m1).status == "unmarked"


def test_the_window_is_a_setting_of_the_meeting_rule(client, district):
    d = district
    meeting_rule_set(
        actor=d.admin,
        scheme=d.scheme,
        kind="general",
        item_code="D01",
        checkin_opens_before=60,
        checkin_closes_after=30,
    )
    meeting = meeting_at(d, timezone.now() + 40 * MINUTE)
    client.force_login(d.member1)
    _page, done = check_in(client, meeting)
    assert done.status_code == 302 and CheckIn.objects.count() == 1


def test_late_check_in_is_recorded_and_shown(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() - 5 * MINUTE)
    client.force_login(d.member1)
    _page, done = check_in(client, meeting)
    assert done.status_code == 302
    assert CheckIn.objects.get().late is True
    assert "迟到" in client.get(done.url).content.decode()
    client.force_login(d.sec1)
    detail = client.get(reverse("meetings:detail", args=[meeting.code])).content.decode()
    assert "签到" in detail and "迟到" in detail


def test_a_member_not_on_the_attendee_list_is_refused(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() + 10 * MINUTE, members=[d.m1b])
    for user in (d.member1, d.member2, d.sec1):
        client.force_login(user)
        _page, refused = check_in(client, meeting)
        assert refused.status_code == 403
        assert "不在本次会议的应到党员名单中" in refused.content.decode()
    assert not CheckIn.objects.exists()


def test_login_after_the_scan_keeps_the_moment_of_the_scan(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() + 10 * MINUTE)
    url, token = scan_url(meeting)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("web:login"))
    assert "next=" in anonymous.url and "check-in" in anonymous.url
    scanned = client.session[GRANT]
    client.force_login(d.member1)  # the session keeps the scan across the login
    assert client.session[GRANT] == scanned
    # the login took three minutes: the code on the screen has changed twice since
    session = client.session
    old_at = timezone.now() - 3 * MINUTE
    old_token = token_current(meeting.code, old_at)
    session[GRANT] = {"code": meeting.code, "token": old_token, "at": old_at.isoformat()}
    session.save()
    done = client.post(url.split("?")[0], {"t": old_token})
    assert done.status_code == 302
    assert abs(CheckIn.objects.get().at - old_at) < datetime.timedelta(seconds=1)


def test_a_stale_scan_does_not_help(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() + 10 * MINUTE)
    client.force_login(d.member1)
    session = client.session
    old_at = timezone.now() - 6 * MINUTE
    old_token = token_current(meeting.code, old_at)
    session[GRANT] = {"code": meeting.code, "token": old_token, "at": old_at.isoformat()}
    session.save()
    url = reverse("meetings:checkin", args=[meeting.code])
    assert client.post(url, {"t": old_token}).status_code == 400
    assert not CheckIn.objects.exists()


def test_the_projector_screen_shows_the_code_and_the_count(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() + 10 * MINUTE)
    client.force_login(d.member1)
    check_in(client, meeting)
    for user, status in ((d.member1, 404), (d.sec2, 404), (d.orgdept, 404), (d.sec1, 200)):
        client.force_login(user)
        screen = client.get(reverse("meetings:checkin_screen", args=[meeting.code]))
        assert screen.status_code == status
    html = screen.content.decode()
    assert '<svg class="qr qr-big"' in html and "style=" not in html.split("<svg", 1)[1][:2000]
    assert 'hx-trigger="every 5s"' in html
    assert f"/meetings/{meeting.code}/check-in/?t=" in html
    assert '"checkin-signed">1</span> / 2' in html and "张三" in html  # 李四 missing
    live = client.get(reverse("meetings:checkin_live", args=[meeting.code]))
    assert live.status_code == 200 and "<html" not in live.content.decode()


def test_closing_is_prefilled_from_the_sign_ins(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() - 5 * MINUTE, topic="签到的会")
    client.force_login(d.member1)
    check_in(client, meeting)  # 张三: late
    client.force_login(d.sec1)
    page = client.get(reverse("meetings:detail", args=[meeting.code])).content.decode()
    assert 'name="a-M1" value="present" checked' in page
    assert 'name="a-M1B" value="absent" checked' in page
    assert "已按扫码签到预填" in page
    client.post(
        reverse("meetings:attendance", args=[meeting.code]),
        {"a-M1": "present", "a-M1B": "absent", "close": "1"},
    )
    client.post(reverse("meetings:close", args=[meeting.code]), {"confirm": "1"})
    entry = ScoreEntry.objects.get()
    assert entry.member == d.m1b
    closed = client.get(reverse("meetings:detail", args=[meeting.code])).content.decode()
    assert "迟到" in closed and entry.code in closed


def test_without_sign_ins_the_form_proposes_present_as_before(client, district):
    d = district
    meeting = meeting_at(d, timezone.now() + 10 * MINUTE)
    client.force_login(d.sec1)
    page = client.get(reverse("meetings:detail", args=[meeting.code])).content.decode()
    assert 'name="a-M1B" value="present" checked' in page


def test_the_leave_cut_off_is_a_setting_of_the_meeting_rule(client, district):
    d = district
    soon = meeting_at(d, timezone.now() + 30 * MINUTE)
    assert leave_request(actor=d.member1, meeting=soon, reason="出差").late is False
    meeting_rule_set(
        actor=d.admin, scheme=d.scheme, kind="general", item_code="D01", leave_cutoff_before=60
    )
    later = meeting_at(d, timezone.now() + 30 * MINUTE, topic="第二次")
    leave = leave_request(actor=d.member1, meeting=later, reason="出差")
    assert leave.late is True
    assert LeaveRequest.objects.filter(late=True).count() == 1
    third = meeting_at(d, timezone.now() + 30 * MINUTE, topic="第三次")
    client.force_login(d.member1)
    page = client.get(reverse("meetings:detail", args=[third.code])).content.decode()
    assert "已过书面请假截止时间" in page
    answer = client.post(reverse("meetings:leave", args=[third.code]), {"reason": "出差"})
    assert answer.status_code == 302
    assert LeaveRequest.objects.get(meeting=third).late is True
