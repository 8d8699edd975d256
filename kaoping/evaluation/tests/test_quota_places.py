"""The excellent quota cannot be over-filled (issue 15, item 13): at a tie for the last
place, the first decision to take it is accepted, a second one is refused naming the
quota and who holds the places; the tags follow the decisions."""

import pytest
from django.test import Client

from kaoping.evaluation.models import QuotaDecision
from kaoping.evaluation.services import tallies_import
from kaoping.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db

TIE = "优秀名额并列，待组织认定"


@pytest.fixture
def tie(district):
    """B1 of 7 members: one place (15 % × 7, rounded down), M1 and M1B tied at 100."""
    for n in range(5):
        MemberFactory(code=f"T{n}", branch=district.b1)
    tallies_import(
        actor=None,
        year=2026,
        rows=[(m.code, {"excellent": 5}) for m in (district.m1, district.m1b)],
    )
    client = Client()
    client.force_login(district.sec1)
    return client


def test_the_page_lists_the_tie_then_refuses_a_second_place(tie, district):
    html = tie.get("/branches/B1/").content.decode()
    assert html.count(TIE) == 3  # the line naming them, and each row's tag
    assert f"{district.m1.name}、{district.m1b.name}" in html
    form = tie.get("/members/M1/decision/?year=2026").content.decode()
    assert "优秀名额 1 个" in form and district.m1b.name in form
    first = {"year": "2026", "excellent": "yes", "note": "支委会决定"}
    assert tie.post("/members/M1/decision/", first).status_code == 302
    second = tie.post("/members/M1B/decision/", first)
    text = second.content.decode()
    assert "优秀名额为 1 个" in text and f"已由 {district.m1.name} 占用" in text
    assert not QuotaDecision.objects.filter(member=district.m1b).exists()
    html = tie.get("/branches/B1/").content.decode()
    assert TIE not in html and "认定人数超过名额" not in html
    assert html.count("优秀名额并列，已认定") == 2


def test_the_api_refuses_a_second_place(tie, district):
    url = "/api/years/2026/quota-decisions"
    body = {"member": "M1", "excellent": True, "note": "支委会决定"}
    assert tie.post(url, body, content_type="application/json").status_code == 201
    refused = tie.post(url, body | {"member": "M1B"}, content_type="application/json")
    assert refused.status_code == 422
    assert f"已由 {district.m1.name} 占用" in str(refused.json())
    assert QuotaDecision.objects.count() == 1
    # Declining the other tied member is fine and settles the tie.
    declined = body | {"member": "M1B", "excellent": False}
    assert tie.post(url, declined, content_type="application/json").status_code == 201
    assert "认定人数超过名额" not in tie.get("/branches/B1/").content.decode()
