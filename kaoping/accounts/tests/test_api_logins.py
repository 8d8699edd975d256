"""The accounts API: the list in scope, issuing with the passwords in the answer once, and
the same refusals as the pages."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kaoping.accounts.models import SlipBatch
from kaoping.api.services import api_token_create
from kaoping.orgs.models import Member
from kaoping.testing.factories import MemberFactory

User = get_user_model()


@pytest.fixture
def bearer(district):
    def make(user) -> Client:
        _token, raw = api_token_create(actor=None, user=user, name="test")
        return Client(headers={"authorization": f"Bearer {raw}"})

    return make


def _post(client, body):
    return client.post("/api/accounts/issue", body, content_type="application/json")


def test_issue_and_list(district, bearer):
    for n in range(3):
        MemberFactory(code=f"N{n}", name=f"新党员{n}", branch=district.b1)
    sec1 = bearer(district.sec1)
    listed = sec1.get("/api/accounts?organization=B1").json()
    assert listed["count"] == 5  # M1, M1B, N0-N2, and none of B2
    by_code = {row["member"]: row for row in listed["items"]}
    assert by_code["M1"]["username"] == "member1" and by_code["M1"]["active"] is True
    assert by_code["N0"]["username"] is None and by_code["N0"]["must_change_password"] is False

    answer = _post(sec1, {"organization": "B1", "members": ["N0", "N1"]})
    assert answer.status_code == 201, answer.content
    logins = answer.json()["logins"]
    assert [x["member"] for x in logins] == ["N0", "N1"]
    for login in logins:
        user = User.objects.get(username=login["username"])
        assert user.check_password(login["password"]) and login["password"] not in user.password
    assert SlipBatch.objects.get().sealed is None  # handed over in the answer, not kept

    by_code = {r["member"]: r for r in sec1.get("/api/accounts?organization=B1").json()["items"]}
    assert by_code["N0"]["username"] == "N0" and by_code["N0"]["must_change_password"] is True

    again = _post(sec1, {"organization": "B1", "members": ["N1", "N2"]})
    assert again.status_code == 422 and "新党员1（N1） 已有账号" in again.json()["detail"]
    assert not Member.objects.get(code="N2").user_id


def test_refused_outside_scope(district, bearer):
    users = User.objects.count()
    sec1 = bearer(district.sec1)
    assert sec1.get("/api/accounts?organization=B2").status_code == 404
    assert _post(sec1, {"organization": "B2"}).status_code == 404
    answer = _post(sec1, {"organization": "B1", "members": ["M2"]})
    assert answer.status_code == 422 and "M2 不是 第一党支部 的党员" in answer.json()["detail"]
    orgdept = bearer(district.orgdept)
    assert orgdept.get("/api/accounts").status_code == 403
    assert _post(orgdept, {"organization": "B1"}).status_code == 403
    assert _post(bearer(district.member1), {"organization": "B1"}).status_code == 404
    assert User.objects.count() == users and not SlipBatch.objects.exists()


def test_the_admin_sets_the_username_rule_through_the_api(district, bearer):
    from kaoping.accounts.models import AccountPolicy
    from kaoping.testing.api import invalid, send

    url = "/api/accounts/username-rule"
    answer = send(bearer(district.admin), "PUT", url, {"username_rule": "mobile"})
    assert answer.status_code == 200 and answer.json() == {"username_rule": "mobile"}
    assert AccountPolicy.objects.get(committee=district.root).username_rule == "mobile"
    refused = send(bearer(district.sec1), "PUT", url, {"username_rule": "member_code"})
    assert refused.status_code == 403 and "党工委管理员" in refused.json()["detail"]
    assert (
        send(bearer(district.member1), "PUT", url, {"username_rule": "mobile"}).status_code == 404
    )
    assert "username_rule" in invalid(
        bearer(district.admin), "PUT", url, {"username_rule": "email"}
    )
    assert AccountPolicy.objects.get(committee=district.root).username_rule == "mobile"
