"""The ledger's published periods (台账公示) through the API (issue 20): an officer
publishes a period and the members are told; members and officers list the periods and
read one with its entries; refusals out of scope, for a member, for a bad period."""

import datetime

import pytest

from kaoping.ledger.models import LedgerPublication
from kaoping.ledger.services import entry_record
from kaoping.notifications.models import Notification
from kaoping.schemes.models import SchemeItem
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

pytestmark = pytest.mark.django_db

URL = "/api/branches/B1/ledger-publications"
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def test_an_officer_publishes_a_period_and_a_member_reads_it(district):
    d = district
    item = SchemeItem.objects.get(scheme=d.scheme, code="D07")
    inside = entry_record(actor=d.sec1, member=d.m1, item=item, date=datetime.date(2026, 3, 2))
    entry_record(actor=d.sec1, member=d.m1, item=item, date=datetime.date(2026, 4, 2))
    answer = send(bearer(d.sec1), "POST", URL, MARCH)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["branch"], body["start"], body["end"]) == ("B1", "2026-03-01", "2026-03-31")
    assert Notification.objects.filter(user=d.member1, link__contains="/ledger/").exists()
    member = bearer(d.member1)
    listed = member.get(URL).json()
    assert [p["id"] for p in listed["items"]] == [body["id"]]
    one = member.get(f"{URL}/{body['id']}")
    assert one.status_code == 200
    assert [e["code"] for e in one.json()["entries"]] == [inside.code]


def test_publication_refusals(district):
    d = district
    assert_statuses("POST", URL, {d.member1: 403, d.sec2: 404, d.orgdept: 403}, MARCH)
    assert "end" in invalid(
        bearer(d.sec1), "POST", URL, {"start": "2026-03-31", "end": "2026-03-01"}
    )
    assert "start" in invalid(bearer(d.sec1), "POST", URL, {"start": "三月", "end": "2026-03-01"})
    # a party committee is not a branch; another branch's period is not found
    assert bearer(d.admin).get("/api/branches/P1/ledger-publications").status_code == 404
    theirs = send(bearer(d.sec2), "POST", "/api/branches/B2/ledger-publications", MARCH)
    assert bearer(d.member1).get(f"{URL}/{theirs.json()['id']}").status_code == 404
    assert bearer(d.member2).get(URL).status_code == 404
    assert LedgerPublication.objects.filter(branch=d.b1).count() == 0


def test_the_page_and_the_api_publish_the_same_period(district):
    d = district
    session(d.sec1).post("/branches/B1/ledger/", MARCH)
    send(bearer(d.sec1), "POST", URL, MARCH)
    by_page, by_api = LedgerPublication.objects.order_by("id")
    fields = ("branch_id", "start", "end", "published_by_id")
    assert [getattr(by_page, f) for f in fields] == [getattr(by_api, f) for f in fields]
