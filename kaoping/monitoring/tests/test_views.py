"""The warnings page and its filters over HTTP, and the year's thresholds (admin only,
audited)."""

import datetime

import pytest
from django.urls import reverse

from kaoping.archive.models import LostContact
from kaoping.audit.models import AuditEvent
from kaoping.monitoring.models import MonitoringSettings
from kaoping.monitoring.selectors import settings_for

pytestmark = pytest.mark.django_db
INDEX = reverse("monitoring:index")


@pytest.fixture
def lost(district):
    d = district
    for member in (d.m1, d.m2):
        LostContact.objects.create(member=member, since=datetime.date(2026, 5, 1), efforts="走访")
    return d


def test_the_committee_sees_every_branch_and_filters_by_kind_and_branch(client, lost):
    d = lost
    client.force_login(d.admin)
    html = client.get(INDEX, {"year": 2026}).content.decode()
    assert "张三（M1）自2026-05-01起失联" in html and "王五（M2）自2026-05-01起失联" in html
    assert 'href="/archive/lost-contact/"' in html
    html = client.get(INDEX, {"year": 2026, "kind": "lost_contact", "branch": "B2"}).content
    text = html.decode()
    assert "王五（M2）" in text and "张三" not in text and "未召开" not in text
    text = client.get(INDEX, {"year": 2026, "kind": "meetings"}).content.decode()
    assert "未召开" in text and "失联" not in text.split("<tbody>")[1]


def test_a_secretary_sees_only_their_branch(client, lost):
    d = lost
    client.force_login(d.sec1)
    text = client.get(INDEX, {"year": 2026}).content.decode()
    assert "张三（M1）" in text and "王五" not in text and "第二党支部" not in text
    assert client.get(INDEX, {"branch": "B2"}).status_code == 404


def test_a_member_has_no_warnings_page_and_bad_filters_are_refused(client, lost):
    d = lost
    client.force_login(d.member1)
    assert client.get(INDEX).status_code == 404
    client.force_login(d.admin)
    assert client.get(INDEX, {"kind": "nonsense"}).status_code == 400
    assert client.get(INDEX, {"year": "20x6"}).status_code == 400
    assert client.get(INDEX, {"branch": "NOPE"}).status_code == 404


def _form(**changes):
    return {
        "general_every": "3",
        "committee_every": "1",
        "group_every": "0",
        "lecture_every": "3",
        "absence_months": "4",
        "dues_months": "2",
        "evaluation_deadline": "2026-11-30",
        "appeal_days": "3",
    } | changes


def test_the_admin_sets_the_thresholds_and_the_change_is_audited(client, district):
    d = district
    url = reverse("monitoring:settings", args=[2026])
    assert settings_for(2026).pk is None and settings_for(2026).committee_every == 1
    client.force_login(d.admin)
    assert client.get(url).status_code == 200
    response = client.post(url, _form())
    assert response.status_code == 302
    row = MonitoringSettings.objects.get(year=2026)
    assert (row.group_every, row.absence_months, row.appeal_days) == (0, 4, 3)
    assert row.evaluation_deadline == datetime.date(2026, 11, 30)
    event = AuditEvent.objects.get(action="monitoring.settings")
    assert event.before is None and event.after["evaluation_deadline"] == "2026-11-30"
    client.post(url, _form(absence_months="5"))
    last = AuditEvent.objects.filter(action="monitoring.settings").order_by("-id").first()
    assert last.before["absence_months"] == 4 and last.after["absence_months"] == 5
    assert client.post(url, _form(committee_every="5")).status_code == 400
    assert client.post(url, _form(absence_months="0")).status_code == 400


def test_only_the_committee_admin_sets_the_thresholds(client, district):
    d = district
    url = reverse("monitoring:settings", args=[2026])
    for user in (d.sec1, d.orgdept, d.member1):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, _form()).status_code == 404
    assert not MonitoringSettings.objects.exists()


def test_the_menu_offers_the_warnings(client, district):
    d = district
    client.force_login(d.admin)
    assert f'href="{INDEX}"' in client.get(reverse("workbench:home")).content.decode()
    client.force_login(d.sec1)
    assert f'href="{INDEX}?branch=B1"' in client.get(reverse("workbench:home")).content.decode()
