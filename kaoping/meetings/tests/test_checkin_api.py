"""扫码签到 through the API (issue 20): post the scanned token, get the sign-in back; the
secretary reads the live count; refusals in the API's JSON error shape."""

import datetime

import pytest
from django.utils import timezone

from kaoping.meetings.checkin import checkin_token, time_step, token_current
from kaoping.meetings.models import CheckIn
from kaoping.testing.factories import b1_meeting

pytestmark = pytest.mark.django_db


def meeting_in(d, minutes):
    return b1_meeting(d, timezone.now() + datetime.timedelta(minutes=minutes))


def post(client, code, token):
    return client.post(
        f"/api/meetings/{code}/check-in", {"token": token}, content_type="application/json"
    )


def test_member_checks_in_through_the_api(client, district):
    d = district
    meeting = meeting_in(d, -3)  # started three minutes ago: late
    client.force_login(d.member1)
    answer = post(client, meeting.code, token_current(meeting.code, timezone.now()))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["meeting"] == meeting.code and body["member"] == "M1" and body["late"] is True
    again = post(client, meeting.code, token_current(meeting.code, timezone.now()))
    assert again.status_code == 422
    assert "无需重复签到" in again.json()["detail"] and "__all__" in again.json()["errors"]
    assert CheckIn.objects.count() == 1


def test_api_refusals_keep_the_error_shape(client, district):
    d = district
    meeting = meeting_in(d, 10)
    other = meeting_in(d, 10)
    client.force_login(d.member1)
    step = time_step(timezone.now())
    expired = post(client, meeting.code, checkin_token(meeting.code, step - 2))
    assert expired.status_code == 422 and "已过期" in expired.json()["detail"]
    foreign = post(client, meeting.code, token_current(other.code, timezone.now()))
    assert foreign.status_code == 422 and "不属于这次会议" in foreign.json()["detail"]
    forged = post(client, "MT-NONE", "MT-NONE.1:forged")
    assert forged.status_code == 422 and "签到码无效" in forged.json()["detail"]
    client.force_login(d.member2)
    outsider = post(client, meeting.code, token_current(meeting.code, timezone.now()))
    assert outsider.status_code == 403 and "应到党员名单" in outsider.json()["detail"]
    client.logout()
    assert post(client, meeting.code, "x").status_code == 401
    assert not CheckIn.objects.exists()


def test_secretary_reads_the_check_in_status(client, district):
    d = district
    meeting = meeting_in(d, 10)
    client.force_login(d.member1)
    assert (
        post(client, meeting.code, token_current(meeting.code, timezone.now())).status_code == 201
    )
    assert client.get(f"/api/meetings/{meeting.code}/check-in").status_code == 404
    client.force_login(d.sec2)
    assert client.get(f"/api/meetings/{meeting.code}/check-in").status_code == 404
    client.force_login(d.sec1)
    status = client.get(f"/api/meetings/{meeting.code}/check-in")
    assert status.status_code == 200
    body = status.json()
    assert body["expected"] == 2 and body["closed"] is False
    assert [c["member"] for c in body["checked_in"]] == ["M1"]
    assert [m["member"] for m in body["missing"]] == ["M1B"] and body["on_leave"] == []
