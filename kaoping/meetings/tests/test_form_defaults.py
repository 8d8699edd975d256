"""The meeting form's defaults (issue 19 item 3): the next working day at 09:00 (never the
hour after now, e.g. 01:00), the branch's members on the roll as attendees, in columns."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from kaoping.meetings.forms import default_start
from kaoping.orgs.models import Member
from kaoping.testing.factories import MemberFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "start"),
    [
        ("2026-12-03 15:00", "2026-12-04 09:00"),  # Thursday → Friday
        ("2026-12-04 00:30", "2026-12-07 09:00"),  # Friday just after midnight → Monday
        ("2026-12-05 10:00", "2026-12-07 09:00"),  # Saturday → Monday
        ("2026-12-06 23:59", "2026-12-07 09:00"),  # Sunday → Monday
        ("2026-12-31 20:00", "2027-01-01 09:00"),  # a Thursday into a new year (a Friday)
    ],
)
def test_the_proposed_start_is_the_next_working_day_at_nine(now, start, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    proposed = default_start(at(now).astimezone(datetime.UTC))
    assert proposed == at(start)


@pytest.mark.django_db
def test_the_schedule_form_proposes_monday_nine_and_the_branch_on_the_roll(
    client, district, monkeypatch
):
    d = district
    gone = Member.Status.TRANSFERRED_OUT
    left = MemberFactory(code="M1X", name="已转出", branch=d.b1, status=gone)
    # Saturday 00:30 in Shanghai (the old form proposed Sunday 01:00)
    saturday = datetime.datetime(2026, 12, 4, 16, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: saturday)
    client.force_login(d.sec1)
    html = client.get(reverse("meetings:branch", args=["B1"])).content.decode()
    assert 'name="starts_at" value="2026-12-07T09:00"' in html
    form = html.split('name="starts_at"')[1]
    boxes = re.findall(r'<input type="checkbox" name="members" value="(\d+)"([^>]*)>', form)
    offered = {pk for pk, _ in boxes}
    checked = {pk for pk, attrs in boxes if " checked" in attrs}
    roll = Member.objects.filter(branch=d.b1, status__in=Member.assessed_statuses())
    assert checked == {str(pk) for pk in roll.values_list("pk", flat=True)}
    assert checked == offered  # every member on the roll, ticked
    assert {str(d.m1.pk), str(d.m1b.pk)} <= checked and str(left.pk) not in offered
    assert str(d.m2.pk) not in offered  # another branch's member is not offered
    assert 'class="kp-checks"' in form  # the checkboxes lay out in columns
