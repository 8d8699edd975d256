"""The scheme's changes through the API (issue 20), the committee admin's as on the
scheme pages: a new year's scheme (copied, from the template, empty), its settings, its
items; each with its refusals (other roles, bad values, a final year), and the page and
the API ending in the same state."""

from decimal import Decimal

import pytest
from django.utils import timezone

from kaoping.schemes.models import Scheme, SchemeItem
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

pytestmark = pytest.mark.django_db


def test_the_admin_creates_next_years_scheme_as_a_copy(district):
    d = district
    admin = bearer(d.admin)
    send(admin, "PATCH", "/api/years/2026/scheme", {"notice_days": 9})
    answer = send(admin, "POST", "/api/schemes", {"year": 2027})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["year"] == 2027 and body["notice_days"] == 9
    assert {i["code"] for i in body["items"]} == set(
        SchemeItem.objects.filter(scheme=d.scheme).values_list("code", flat=True)
    )
    empty = send(admin, "POST", "/api/schemes", {"year": 2030, "source": "empty"})
    assert empty.status_code == 201 and empty.json()["items"] == []
    template = send(admin, "POST", "/api/schemes", {"year": 2031, "source": "template"})
    assert template.status_code == 201 and template.json()["items"]


def test_scheme_create_refusals(district):
    d = district
    admin = bearer(d.admin)
    assert_statuses("POST", "/api/schemes", {d.sec1: 403, d.member1: 404}, {"year": 2027})
    again = send(admin, "POST", "/api/schemes", {"year": 2026, "source": "empty"})
    assert again.status_code == 422 and "已经存在" in again.json()["errors"]["year"][0]
    no_source = send(admin, "POST", "/api/schemes", {"year": 2029})  # no 2028 to copy
    assert no_source.status_code == 422 and "2028" in no_source.json()["errors"]["copy_from"][0]
    assert send(admin, "POST", "/api/schemes", {"year": 99999}).status_code == 422
    assert not Scheme.objects.exclude(year=2026).exists()


def test_the_admin_changes_settings_and_items(district):
    d = district
    admin = bearer(d.admin)
    changed = send(
        admin,
        "PATCH",
        "/api/years/2026/scheme",
        {"bonus_cap": "8", "excellent_quota": "0.2", "ballot_options": {"excellent": "95"}},
    )
    assert changed.status_code == 200, changed.content
    scheme = Scheme.objects.get(year=2026)
    assert scheme.bonus_cap == Decimal("8") and scheme.excellent_quota == Decimal("0.2")
    assert changed.json()["ballot_options"]["excellent"] == "95"
    item = {"code": "D99", "kind": "deduction", "name": "未按时交纳党费", "points": "0.5"}
    added = send(admin, "POST", "/api/years/2026/scheme/items", item)
    assert added.status_code == 201, added.content
    assert added.json() | {} == item | {"group": "", "disqualifies": False, "categories": []}
    edit = {"kind": "deduction", "name": "未按时交纳党费", "points": "1", "categories": ["retired"]}
    edited = send(admin, "PUT", "/api/years/2026/scheme/items/D99", edit)
    assert edited.status_code == 200 and edited.json()["points"] == "1"
    stored = SchemeItem.objects.get(scheme=scheme, code="D99")
    assert stored.points == Decimal("1") and stored.categories == ["retired"]


def test_settings_and_item_refusals(district):
    d = district
    admin = bearer(d.admin)
    url = "/api/years/2026/scheme"
    assert_statuses("PATCH", url, {d.sec1: 403, d.orgdept: 403}, {"notice_days": 3})
    assert "democratic_share" in invalid(
        admin, "PATCH", url, {"democratic_share": "30"}
    )  # a fraction, not a percent
    order = send(admin, "PATCH", url, {"excellent_threshold": "50", "basic_threshold": "60"})
    assert order.status_code == 422
    assert send(admin, "PATCH", "/api/years/2031/scheme", {"notice_days": 3}).status_code == 404
    item = {"code": "D01", "kind": "deduction", "name": "重复", "points": "1"}
    taken = send(admin, "POST", f"{url}/items", item)
    assert taken.status_code == 422 and "已存在" in taken.json()["errors"]["code"][0]
    assert "points" in invalid(
        admin, "POST", f"{url}/items", item | {"code": "D98", "points": "-1"}
    )
    body = {"kind": "deduction", "name": "无", "points": "1"}
    assert send(admin, "PUT", f"{url}/items/NOPE", body).status_code == 404
    assert send(bearer(d.sec1), "POST", f"{url}/items", item | {"code": "D98"}).status_code == 403
    scheme = Scheme.objects.get(year=2026)
    assert scheme.democratic_share != Decimal("30") and scheme.excellent_threshold != Decimal("50")
    assert not SchemeItem.objects.filter(code__in=["D98"]).exists()


def test_a_final_year_refuses_changes(district):
    d = district
    Scheme.objects.filter(year=2026).update(finalised_at=timezone.now())  # as finalising does
    refused = send(bearer(d.admin), "PATCH", "/api/years/2026/scheme", {"notice_days": 3})
    assert refused.status_code == 422 and "定格" in refused.json()["detail"]


def test_the_page_and_the_api_add_the_same_item(district):
    d = district
    fields = {"kind": "bonus", "name": "志愿服务", "points": "0.5", "group": "volunteer"}
    session(d.admin).post("/schemes/2026/items/", fields | {"code": "B91"})
    send(bearer(d.admin), "POST", "/api/years/2026/scheme/items", fields | {"code": "B92"})
    page, api = SchemeItem.objects.filter(code__in=["B91", "B92"]).order_by("code")
    same = ("kind", "name", "points", "group", "disqualifies", "categories")
    assert [getattr(page, f) for f in same] == [getattr(api, f) for f in same]
