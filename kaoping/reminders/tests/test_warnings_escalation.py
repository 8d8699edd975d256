"""Early warnings go to the branch's secretaries once, and to the committee's admins when
still there a week later; a warning that has gone is not escalated."""

import datetime

import pytest

from kaoping.notifications.models import Notification
from kaoping.reminders.services import warnings_remind
from kaoping.testing.factories import meetings_not_required

pytestmark = pytest.mark.django_db

# 2026-07-13: the first half-year has ended without any branch meeting held.
NOW = datetime.datetime(2026, 7, 13, 1, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def told(user, start: str) -> list[str]:
    return list(
        Notification.objects.filter(user=user, text__startswith=start).values_list(
            "text", flat=True
        )
    )


def test_a_warning_goes_to_the_secretary_once_then_to_the_committee(district):
    sent = warnings_remind(now=NOW)
    mine = told(district.sec1, "预警：第一党支部：")
    assert mine and sent >= len(mine)
    assert told(district.sec2, "预警：第一党支部：") == []  # another branch's secretary
    assert told(district.admin, "预警") == []
    assert warnings_remind(now=NOW + DAY) == 0

    warnings_remind(now=NOW + 8 * DAY)
    escalated = told(district.admin, "预警未处理（已提醒支部书记 7 天）：第一党支部：")
    assert len(escalated) == len(mine)
    assert told(district.sec1, "预警未处理") == []
    assert warnings_remind(now=NOW + 9 * DAY) == 0


def test_a_warning_that_has_gone_is_not_escalated(district):
    warnings_remind(now=NOW)
    assert told(district.sec1, "预警：")
    meetings_not_required(2026, datetime.date(2026, 12, 31))
    warnings_remind(now=NOW + 8 * DAY)
    assert told(district.admin, "预警未处理") == []
