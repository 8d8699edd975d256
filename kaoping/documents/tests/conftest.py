"""Fixtures of the documents' tests."""

import datetime

import pytest
from django.utils import timezone

from kaoping.meetings.services import attendance_take, leave_decide, leave_request
from kaoping.testing.factories import MemberFactory, b1_meeting


@pytest.fixture
def meeting(district):
    """A general meeting of B1 (M1, M1B and 周七 M1C): M1 on approved leave, M1B present,
    M1C absent."""
    d = district
    MemberFactory(code="M1C", name="周七", branch=d.b1)
    when = timezone.localtime().replace(microsecond=0) + datetime.timedelta(days=2)
    meeting = b1_meeting(d, when)
    leave = leave_request(actor=d.member1, meeting=meeting, reason="出差")
    leave_decide(actor=d.sec1, leave=leave, approve=True)
    attendance_take(
        actor=d.sec1, meeting=meeting, statuses={"M1": "leave", "M1B": "present", "M1C": "absent"}
    )
    return meeting
