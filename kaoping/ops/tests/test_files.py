"""Evidence through X-Accel-Redirect: the same access check, then nginx sends the file."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaoping.claims.services import claim_submit
from kaoping.schemes.models import SchemeItem

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n...."


@pytest.fixture
def claim(district):
    return claim_submit(
        actor=district.member1,
        item=SchemeItem.objects.get(scheme=district.scheme, code="B01"),
        date=datetime.date(2026, 3, 5),
        description="获区级先进工作者",
        proof_text="区委文件",
        proof_file=SimpleUploadedFile("奖状.png", PNG, "image/png"),
    )


def test_without_x_accel_django_streams_the_file(client, district, claim):
    client.force_login(district.member1)
    response = client.get(reverse("claims:proof", args=[claim.code]))
    assert response.status_code == 200 and "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == PNG


def test_with_x_accel_nginx_sends_it_after_the_same_check(client, district, claim, settings):
    settings.KAOPING_X_ACCEL_EVIDENCE = True
    url = reverse("claims:proof", args=[claim.code])
    client.force_login(district.member1)
    response = client.get(url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"].startswith("/_protected/claims/")
    assert response["Content-Type"] == "image/png"
    assert "filename" in response["Content-Disposition"]
    for outsider in (district.member2, district.sec2):
        client.force_login(outsider)
        refused = client.get(url)
        assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "X-Accel-Redirect" not in anonymous
