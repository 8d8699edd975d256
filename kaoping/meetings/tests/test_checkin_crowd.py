"""Twenty members scanning the code at once (issue 20): every one signed in exactly once.
On PostgreSQL real threads post at the same moment, and the same member's phone posts
several times in the race; SQLite serialises writers, so there the requests come one
after another (the unique constraint on (meeting, member) holds either way)."""

import datetime
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaoping.meetings.checkin import token_current
from kaoping.meetings.models import Attendance, CheckIn
from kaoping.testing.concurrency import race
from kaoping.testing.factories import b1_meeting, member_with_login

pytestmark = pytest.mark.django_db(transaction=True)

CROWD = 20


def crowd_meeting(d):
    members = [d.m1]
    for i in range(CROWD - 1):
        members.append(member_with_login(d.b1, f"C{i:02d}", f"签到{i:02d}", f"crowd{i:02d}"))
    starts_at = timezone.now() + datetime.timedelta(minutes=5)
    meeting = b1_meeting(d, starts_at, place="礼堂", topic="全体党员大会", members=members)
    return meeting, [m.user for m in members]


def post_check_in(user, meeting) -> int:
    client = Client()
    client.force_login(user)
    token = token_current(meeting.code, timezone.now())
    url = reverse("meetings:checkin", args=[meeting.code])
    return client.post(url, {"t": token}).status_code


def test_twenty_members_sign_in_at_once(district):
    d = district
    meeting, users = crowd_meeting(d)
    # 张三 taps three times while everyone else taps once
    calls = [*users, d.member1, d.member1]
    if connection.vendor == "postgresql":
        statuses = race(*(partial(post_check_in, user, meeting) for user in calls), timeout=120)
    else:
        statuses = [post_check_in(user, meeting) for user in calls]
    assert sorted(statuses) == [302] * CROWD + [400, 400], statuses
    assert CheckIn.objects.filter(meeting=meeting).count() == CROWD
    assert set(CheckIn.objects.values_list("member__user__username", flat=True)) == {
        u.username for u in users
    }
    assert not Attendance.objects.filter(meeting=meeting).exclude(status="present").exists()
