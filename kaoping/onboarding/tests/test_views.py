import re

import pytest
from django.contrib.auth.models import User
from django.urls import NoReverseMatch, reverse

from kaoping.audit.models import AuditEvent
from kaoping.orgs.models import Organization, RoleAssignment
from kaoping.schemes.models import Scheme
from kaoping.schemes.template import DEFAULT_ITEMS

pytestmark = pytest.mark.django_db


def test_first_user_is_guided_through_an_empty_installation(client):
    first = User.objects.create_user("first", password="pass-for-tests-1")
    later = User.objects.create_user("later", password="pass-for-tests-1")
    client.force_login(later)
    assert client.get(reverse("onboarding:start")).status_code == 404
    assert client.get(reverse("web:home")).status_code == 200  # no role: the usual page
    client.force_login(first)
    home = client.get(reverse("web:home"))
    assert home.status_code == 302 and home["Location"] == reverse("onboarding:start")
    page = client.get(reverse("onboarding:start")).content.decode()
    assert "第一步：建立机关工委" in page and "请先建立机关工委。" in page

    # a branch before the committee: refused, nothing written
    response = client.post(reverse("onboarding:branch"), {"code": "B1", "name": "第一党支部"})
    assert response.status_code == 400 and "请先建立机关工委。" in response.content.decode()
    assert not Organization.objects.exists()

    client.post(reverse("onboarding:committee"), {"code": "W", "name": "区直机关工委"})
    committee = Organization.objects.get()
    assert RoleAssignment.objects.filter(
        user=first, organization=committee, role=RoleAssignment.Role.COMMITTEE_ADMIN
    ).exists()
    assert AuditEvent.objects.filter(action="onboarding.committee", actor=first).exists()
    # the committee exists: the later user can no longer claim the installation
    client.force_login(later)
    assert client.get(reverse("onboarding:start")).status_code == 404
    client.force_login(first)
    again = client.post(reverse("onboarding:committee"), {"code": "W2", "name": "另一个"})
    assert again.status_code == 400 and "已经建立了机关工委。" in again.content.decode()

    response = client.post(
        reverse("onboarding:branch"),
        {"code": "B1", "name": "第一党支部", "category": "in_service"},
    )
    assert response.status_code == 302
    taken = client.post(
        reverse("onboarding:branch"), {"code": "W", "name": "重复", "category": "in_service"}
    )
    assert taken.status_code == 400 and "代码 W 已被使用。" in taken.content.decode()
    assert client.get(reverse("web:home"))["Location"] == reverse("onboarding:start")

    assert client.post(reverse("onboarding:scheme"), {"year": "2026"}).status_code == 302
    scheme = Scheme.objects.get()
    assert scheme.items.count() == len(DEFAULT_ITEMS)
    duplicate = client.post(reverse("onboarding:scheme"), {"year": "2026"})
    assert (
        duplicate.status_code == 400 and "2026 年度考评方案已存在。" in duplicate.content.decode()
    )

    page = client.get(reverse("onboarding:start")).content.decode()
    assert "基本设置已完成。" in page
    try:  # the archive's roster import once it exists, else the branch page's form
        roster = reverse("archive:roster", args=["B1"])
    except NoReverseMatch:
        roster = reverse("web:branch", args=["B1"]) + "#add-member"
    assert f'href="{roster}"' in page and "第一党支部：导入或添加党员" in page
    # set up: home goes to the workbench, no guide in the menu
    home = client.get(reverse("web:home"))
    assert home["Location"] == reverse("workbench:home")
    assert reverse("onboarding:start") not in client.get(home["Location"]).content.decode()


def test_superuser_sees_the_guide_in_the_menu_until_set_up(client, db):
    root = User.objects.create_superuser("root", password="pass-for-tests-1")
    User.objects.create_user("someone")
    client.force_login(root)
    assert client.get(reverse("web:home"))["Location"] == reverse("onboarding:start")
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert reverse("onboarding:start") in page
    client.post(reverse("onboarding:committee"), {"code": "W", "name": "区直机关工委"})
    # a superuser needs no role: none is granted
    assert not RoleAssignment.objects.exists()


def test_set_up_district_does_not_redirect(client, district):
    for who in ("admin", "sec1", "member1", "outsider"):
        client.force_login(getattr(district, who))
        response = client.get(reverse("web:home"))
        assert response.get("Location") != reverse("onboarding:start")
    for who in ("sec1", "orgdept", "member1", "outsider"):
        client.force_login(getattr(district, who))
        assert client.get(reverse("onboarding:start")).status_code == 404
        assert (
            client.post(reverse("onboarding:branch"), {"code": "X", "name": "X"}).status_code == 404
        )
    client.force_login(district.admin)
    assert client.get(reverse("onboarding:start")).status_code == 200


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("onboarding:start"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_the_guide_sets_the_username_rule_and_leads_to_the_accounts_page(client, district):
    from kaoping.accounts.models import AccountPolicy

    client.force_login(district.admin)
    page = client.get(reverse("onboarding:start")).content.decode()
    assert "第五步：选择用户名规则" in page
    assert re.search(r'value="member_code"[^>]*checked', page)
    assert f'href="{reverse("accounts:index")}"' in page.split('id="step-logins"')[1]
    response = client.post(reverse("onboarding:username_rule"), {"username_rule": "mobile"})
    assert response.status_code == 302
    assert AccountPolicy.objects.get(committee=district.root).username_rule == "mobile"
    assert client.post(reverse("onboarding:username_rule"), {}).status_code == 400
    client.force_login(district.sec1)
    assert (
        client.post(
            reverse("onboarding:username_rule"), {"username_rule": "member_code"}
        ).status_code
        == 404
    )
    assert AccountPolicy.objects.get().username_rule == "mobile"
