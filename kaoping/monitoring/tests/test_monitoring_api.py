"""Early warnings through the API (issue 20): the warnings a person may see, filtered by
kind and branch, and the year's thresholds (the committee admin's only), each with its
refusals, and the page and the API seeing the same warnings."""

import datetime

import pytest

from kaoping.archive.models import LostContact
from kaoping.monitoring.models import MonitoringSettings
from kaoping.testing.api import bearer, invalid, send, session

pytestmark = pytest.mark.django_db

URL = "/api/years/2026/warnings"
SETTINGS = "/api/years/2026/monitoring-settings"


@pytest.fixture
def lost(district):
    for member in (district.m1, district.m2):
        LostContact.objects.create(member=member, since=datetime.date(2026, 5, 1), efforts="走访")
    return district


def test_the_committee_sees_every_branch_and_filters(lost):
    d = lost
    admin = bearer(d.admin)
    every = admin.get(URL, {"kind": "lost_contact", "page_size": 100}).json()
    assert {(w["branch"], w["member"]) for w in every["items"]} == {("B1", "M1"), ("B2", "M2")}
    assert every["items"][0]["message"].startswith("张三（M1）自2026-05-01起失联")
    one = admin.get(URL, {"kind": "lost_contact", "branch": "B2"}).json()
    assert [w["member"] for w in one["items"]] == ["M2"]
    meetings = admin.get(URL, {"kind": "meetings", "page_size": 100}).json()["items"]
    assert meetings and {w["kind"] for w in meetings} == {"meetings"}


def test_a_secretary_sees_their_branch_and_a_member_none(lost):
    d = lost
    mine = bearer(d.sec1).get(URL, {"kind": "lost_contact"}).json()
    assert [w["member"] for w in mine["items"]] == ["M1"]
    assert bearer(d.sec1).get(URL, {"branch": "B2"}).status_code == 404
    assert bearer(d.member1).get(URL).status_code == 404
    assert bearer(d.admin).get(URL, {"kind": "weather"}).status_code == 422


def test_the_page_and_the_api_show_the_same_warnings(lost):
    d = lost
    page = session(d.sec1).get("/monitoring/", {"year": 2026}).content.decode()
    for w in bearer(d.sec1).get(URL, {"page_size": 100}).json()["items"]:
        assert w["message"] in page


def test_the_admin_reads_and_sets_the_thresholds(district):
    d = district
    admin = bearer(d.admin)
    defaults = admin.get(SETTINGS).json()
    assert defaults["general_every"] == 3 and not MonitoringSettings.objects.exists()
    changed = send(admin, "PUT", SETTINGS, defaults | {"general_every": 1, "appeal_days": 5})
    assert changed.status_code == 200, changed.content
    row = MonitoringSettings.objects.get(year=2026)
    assert (row.general_every, row.appeal_days) == (1, 5)


def test_threshold_refusals(district):
    d = district
    body = bearer(d.admin).get(SETTINGS).json()
    for user in (d.sec1, d.orgdept, d.member1):
        assert bearer(user).get(SETTINGS).status_code == 404
        assert send(bearer(user), "PUT", SETTINGS, body).status_code == 404
    admin = bearer(d.admin)
    assert "general_every" in invalid(admin, "PUT", SETTINGS, body | {"general_every": 5})
    assert "appeal_days" in invalid(admin, "PUT", SETTINGS, body | {"appeal_days": 61})
    partial = send(admin, "PUT", SETTINGS, {"general_every": 1})
    assert partial.status_code == 422
    assert not MonitoringSettings.objects.exists()
