"""The API of reset codes and closing logins: same services, same scope as the pages."""

import pytest

from kaoping.accounts.models import ResetCode
from kaoping.accounts.services.passwords import code_hash

from .conftest import NEW_PASSWORD

pytestmark = pytest.mark.django_db


def test_reset_code_deactivate_reactivate(client, district):
    d = district
    client.force_login(d.sec1)
    answer = client.post("/api/accounts/M1/reset-code")
    assert answer.status_code == 201
    body = answer.json()
    assert body["username"] == "member1" and body["expires_in_hours"] == 24
    assert ResetCode.objects.get().code_hash == code_hash(body["code"])
    redeemed = client.__class__().post(
        "/password/reset-code/",
        {
            "username": "member1",
            "code": body["code"],
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert redeemed.status_code == 302

    answer = client.post(
        "/api/accounts/M1/deactivate", {"reason": "本人申请"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["active"] is False
    d.member1.refresh_from_db()
    assert not d.member1.is_active
    assert (
        client.post(
            "/api/accounts/M1/deactivate", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 422
    )
    answer = client.post("/api/accounts/M1/reactivate")
    assert answer.status_code == 200 and answer.json()["active"] is True


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("sec1", "M2", 404),
        ("orgdept", "M2", 403),
        ("supervisor", "M2", 403),
        ("member1", "M1", 403),
    ],
)
def test_outside_scope_is_refused(client, district, who, code, status):
    client.force_login(getattr(district, who))
    assert client.post(f"/api/accounts/{code}/reset-code").status_code == status
    answer = client.post(
        f"/api/accounts/{code}/deactivate", {"reason": "x"}, content_type="application/json"
    )
    assert answer.status_code == status
    assert client.post(f"/api/accounts/{code}/reactivate").status_code == status
    assert not ResetCode.objects.exists()
    district.member2.refresh_from_db()
    assert district.member2.is_active


def test_anonymous_gets_401(client, district):
    assert client.post("/api/accounts/M1/reset-code").status_code == 401


def test_bad_input_is_422(client, district):
    client.force_login(district.admin)
    answer = client.post(
        "/api/accounts/M1/deactivate", {"reason": "a\x01b"}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert client.post("/api/accounts/M1B/reset-code").status_code == 422  # no login
