from decimal import Decimal

import pytest
from django.urls import reverse

from kaoping.planning.models import SchemeDraft
from kaoping.planning.services import draft_create
from kaoping.schemes.models import Scheme

pytestmark = pytest.mark.django_db


def _settings(**changes):
    data = {
        "base_points": "70",
        "bonus_cap": "10",
        "democratic_share": "30",
        "excellent_threshold": "90",
        "qualified_threshold": "70",
        "basic_threshold": "60",
        "excellent_quota": "100",
        "quota_rounding": "floor",
        "notice_days": "5",
        "vote_min_turnout": "66.67",
        "ballot_excellent": "100",
        "ballot_qualified": "80",
        "ballot_basic": "60",
        "ballot_unqualified": "0",
    }
    return data | changes


def test_admin_drafts_simulates_and_adopts_over_http(client, year):
    client.force_login(year.admin)
    page = client.get(reverse("planning:drafts"))
    assert page.status_code == 200 and "新建草案" in page.content.decode()
    response = client.post(
        reverse("planning:drafts"), {"base": year.scheme.pk, "year": "2027", "title": "严格版"}
    )
    draft = SchemeDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "planning:draft", args=[draft.pk]
    )
    assert draft.branch is None
    page = client.get(reverse("planning:draft", args=[draft.pk])).content.decode()
    assert "按草案计算，没有党员的等次发生变化" in page
    response = client.post(
        reverse("planning:draft_settings", args=[draft.pk]), _settings(excellent_threshold="95")
    )
    assert response.status_code == 302
    page = client.get(reverse("planning:draft", args=[draft.pk])).content.decode()
    # M1B (94) and M2 (94) drop from excellent to qualified; M1 (100) stays.
    assert "李四（M1B）" in page and "王五（M2）" in page and "张三（M1）" not in page
    response = client.post(reverse("planning:draft_adopt", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:scheme", args=[2027]
    )
    assert Scheme.objects.get(year=2027).excellent_threshold == Decimal("95")


def test_bad_settings_show_a_message_and_change_nothing(client, year):
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    client.force_login(year.admin)
    response = client.post(
        reverse("planning:draft_settings", args=[draft.pk]), _settings(basic_threshold="95")
    )
    assert response.status_code == 400
    assert "分数线须满足：基本合格 ≤ 合格 ≤ 优秀。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.basic_threshold == Decimal("60")
    response = client.post(reverse("planning:draft_items", args=[draft.pk]), {"points_D01": "-1"})
    assert response.status_code == 400 and "分值不能为负数" in response.content.decode()


def test_secretary_drafts_for_their_branch_only(client, year):
    client.force_login(year.sec1)
    form = client.get(reverse("planning:drafts")).content.decode()
    assert "整个组织（全部支部）" not in form
    wrong = client.post(
        reverse("planning:drafts"),
        {"base": year.scheme.pk, "year": "2027", "branch": year.b2.pk},
    )
    assert wrong.status_code == 400 and not SchemeDraft.objects.exists()
    client.post(
        reverse("planning:drafts"), {"base": year.scheme.pk, "year": "2027", "branch": year.b1.pk}
    )
    draft = SchemeDraft.objects.get()
    assert draft.branch == year.b1
    client.post(
        reverse("planning:draft_settings", args=[draft.pk]), _settings(excellent_threshold="95")
    )
    page = client.get(reverse("planning:draft", args=[draft.pk])).content.decode()
    assert "李四（M1B）" in page and "王五" not in page  # B2 is not simulated for sec1
    assert client.post(reverse("planning:draft_adopt", args=[draft.pk])).status_code == 403
    assert not Scheme.objects.filter(year=2027).exists()


@pytest.mark.parametrize("who", ["sec2", "supervisor", "orgdept", "member1", "outsider"])
def test_others_get_404(client, year, who):
    draft = draft_create(actor=year.sec1, base=year.scheme, year=2027, title="x", branch=year.b1)
    client.force_login(getattr(year, who))
    for name in ("planning:draft",):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    for name in ("planning:draft_settings", "planning:draft_items", "planning:draft_adopt"):
        assert client.post(reverse(name, args=[draft.pk]), _settings()).status_code == 404
    if who != "sec2":
        assert client.get(reverse("planning:drafts")).status_code == 404


def test_secretary_cannot_open_an_organisation_wide_draft(client, year):
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    client.force_login(year.sec1)
    assert client.get(reverse("planning:draft", args=[draft.pk])).status_code == 404
    assert client.get(reverse("planning:draft", args=[99999])).status_code == 404


def test_draft_page_query_count(client, year, django_assert_max_num_queries):
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    client.force_login(year.admin)
    client.get(reverse("planning:draft", args=[draft.pk]))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("planning:draft", args=[draft.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("planning:drafts")).status_code == 200


def test_nav_and_scheme_page_link_to_planning(client, year):
    client.force_login(year.admin)
    page = client.get(reverse("web:scheme", args=[2026])).content.decode()
    assert page.count(reverse("planning:drafts")) == 2  # nav and the scheme page's card
    client.force_login(year.supervisor)
    page = client.get(reverse("web:overview")).content.decode()
    assert reverse("planning:drafts") not in page


def test_forms_show_plain_numbers_not_exponents(client, year):
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    client.force_login(year.admin)
    page = client.get(reverse("planning:draft", args=[draft.pk])).content.decode()
    assert 'name="democratic_share" value="30"' in page  # 0.30 as a percentage, not 3E+1
    assert 'name="excellent_quota" value="100"' in page
    assert 'name="points_D10" value="10"' in page
    scheme_page = client.get(reverse("web:scheme", args=[2026])).content.decode()
    assert 'name="democratic_share" value="30"' in scheme_page
    item_page = client.get(reverse("web:scheme_item", args=[2026, "D10"])).content.decode()
    assert 'name="points" value="10"' in item_page
