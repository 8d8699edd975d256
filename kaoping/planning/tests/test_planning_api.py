"""Scheme drafts through the API (issue 20): a committee admin drafts for the whole
organisation, changes it, sees the simulation move and adopts it; a secretary drafts for
their branch only; refusals for others; the page and the API agree on the simulation."""

from decimal import Decimal

import pytest

from kaoping.planning.models import SchemeDraft
from kaoping.planning.services import draft_create
from kaoping.schemes.models import Scheme
from kaoping.testing.api import bearer, invalid, send, session

pytestmark = pytest.mark.django_db


def test_the_admin_drafts_simulates_and_adopts(year):
    admin = bearer(year.admin)
    made = send(
        admin, "POST", "/api/scheme-drafts", {"base": 2026, "year": 2027, "title": "严格版"}
    )
    assert made.status_code == 201, made.content
    draft = made.json()
    assert draft["branch"] is None and draft["simulation"]["changes"] == []
    url = f"/api/scheme-drafts/{draft['id']}"
    stricter = send(admin, "PATCH", f"{url}/settings", {"excellent_threshold": "95"})
    assert stricter.status_code == 200, stricter.content
    changes = stricter.json()["simulation"]["changes"]
    # M1B (94) and M2 (94) drop from excellent to qualified; M1 (100) stays
    assert {(c["member"], c["now"], c["draft"]) for c in changes} == {
        ("M1B", "excellent", "qualified"),
        ("M2", "excellent", "qualified"),
    }
    points = send(admin, "PUT", f"{url}/items", {"points": {"D01": "3"}})
    assert points.status_code == 200
    assert next(i for i in points.json()["items"] if i["code"] == "D01")["points"] == "3"
    listed = admin.get("/api/scheme-drafts").json()
    assert [d["id"] for d in listed["items"]] == [draft["id"]]
    adopted = send(admin, "POST", f"{url}/adopt")
    assert adopted.status_code == 200 and adopted.json() == {"year": 2027}
    assert Scheme.objects.get(year=2027).excellent_threshold == Decimal("95")


def test_a_secretary_drafts_for_their_branch_only(year):
    sec = bearer(year.sec1)
    mine = send(sec, "POST", "/api/scheme-drafts", {"base": 2026, "year": 2027, "branch": "B1"})
    assert mine.status_code == 201, mine.content
    assert {c["branch"] for c in mine.json()["simulation"]["changes"]} <= {"第一党支部"}
    whole = send(sec, "POST", "/api/scheme-drafts", {"base": 2026, "year": 2027})
    assert whole.status_code == 403 and "整个组织" in whole.json()["detail"]
    theirs = send(sec, "POST", "/api/scheme-drafts", {"base": 2026, "year": 2027, "branch": "B2"})
    assert theirs.status_code == 404
    adopt = send(sec, "POST", f"/api/scheme-drafts/{mine.json()['id']}/adopt")
    assert adopt.status_code == 403
    assert SchemeDraft.objects.count() == 1


def test_draft_refusals(year):
    draft = draft_create(actor=year.sec1, base=year.scheme, year=2027, title="x", branch=year.b1)
    url = f"/api/scheme-drafts/{draft.pk}"
    for who in (year.sec2, year.member1, year.orgdept, year.supervisor):
        assert bearer(who).get(url).status_code == 404
    assert bearer(year.member1).get("/api/scheme-drafts").status_code == 404
    sec = bearer(year.sec1)
    assert "year" in invalid(
        sec, "POST", "/api/scheme-drafts", {"base": 2026, "year": 2026, "branch": "B1"}
    )
    none = send(sec, "POST", "/api/scheme-drafts", {"base": 2019, "year": 2027, "branch": "B1"})
    assert none.status_code == 404
    assert "excellent_quota" in invalid(sec, "PATCH", f"{url}/settings", {"excellent_quota": "15"})
    assert "points" in invalid(sec, "PUT", f"{url}/items", {"points": {"X99": "1"}})
    negative = send(sec, "PUT", f"{url}/items", {"points": {"D01": "-1"}})
    assert negative.status_code == 422
    draft.refresh_from_db()
    assert draft.excellent_quota == year.scheme.excellent_quota


def test_the_page_and_the_api_simulate_the_same(year):
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    send(
        bearer(year.admin),
        "PATCH",
        f"/api/scheme-drafts/{draft.pk}/settings",
        {"excellent_threshold": "95"},
    )
    page = session(year.admin).get(f"/planning/{draft.pk}/").content.decode()
    api = bearer(year.admin).get(f"/api/scheme-drafts/{draft.pk}").json()
    for change in api["simulation"]["changes"]:
        assert f"{change['name']}（{change['member']}）" in page
    assert "张三（M1）" not in page
