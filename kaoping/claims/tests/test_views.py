import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaoping.claims.models import BonusClaim
from kaoping.ledger.models import ScoreEntry
from kaoping.schemes.models import SchemeItem

from .support import a_claim

pytestmark = pytest.mark.django_db

NOTICE = "2026 年度考评结果已定格"


def b01(d):
    return SchemeItem.objects.get(scheme=d.scheme, code="B01")


def claim_posted(client, d, description, proof_file, **options):
    """The member's claim of B01 for 2026-03-05 with ``proof_file``, posted from their page."""
    data = {
        "item": b01(d).pk,
        "date": "2026-03-05",
        "description": description,
        "proof_file": proof_file,
    }
    return client.post(reverse("claims:mine"), data, **options)


def test_member_claims_with_file_secretary_approves_over_http(client, district):
    d = district
    client.force_login(d.member1)
    page = client.get(reverse("claims:mine"))
    assert page.status_code == 200 and "尚可计入 10.0" in page.content.decode()
    png = SimpleUploadedFile("award.png", b"\x89PNG\r\n\x1a\n....", "image/png")
    response = claim_posted(client, d, "获区级先进工作者", png, follow=True)
    assert "已提交加分申报" in response.content.decode()
    claim = BonusClaim.objects.get()
    proof = client.get(reverse("claims:proof", args=[claim.code]))
    assert proof.status_code == 200 and proof["Content-Type"] == "image/png"
    client.force_login(d.member2)
    assert client.get(reverse("claims:proof", args=[claim.code])).status_code == 404
    assert client.get(reverse("claims:detail", args=[claim.code])).status_code == 404
    client.force_login(d.sec2)
    assert client.get(reverse("claims:proof", args=[claim.code])).status_code == 404
    client.force_login(d.sec1)
    assert "获区级先进工作者" in client.get(reverse("claims:branch", args=["B1"])).content.decode()
    client.post(
        reverse("claims:detail", args=[claim.code]), {"decision": "approve", "confirm": "1"}
    )
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.entry.source == ScoreEntry.Source.CLAIM
    again = client.post(reverse("claims:detail", args=[claim.code]), {"decision": "approve"})
    assert again.status_code == 302 and ScoreEntry.objects.count() == 1
    client.force_login(d.member1)
    card = client.get(reverse("meetings:member_daily", args=["M1"]))
    assert "尚可计入 8.0" in card.content.decode()


def test_bad_upload_shows_a_message_and_stores_nothing(client, district):
    d = district
    client.force_login(d.member1)
    exe = SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
    response = claim_posted(client, d, "x", exe)
    assert response.status_code == 400 and "只能上传" in response.content.decode()
    assert not BonusClaim.objects.exists()


def test_refusal_and_wrong_roles(client, district):
    d = district
    claim = a_claim(d, description="x", proof_text="y")
    detail = reverse("claims:detail", args=[claim.code])
    for wrong_role in (d.member1, d.orgdept):
        client.force_login(wrong_role)
        assert client.post(detail, {"decision": "approve"}).status_code == 403
    client.force_login(d.sec1)
    bad = client.post(reverse("claims:detail", args=[claim.code]), {"decision": "refuse"})
    assert bad.status_code == 400 and "须说明理由" in bad.content.decode()
    client.post(
        reverse("claims:detail", args=[claim.code]),
        {"decision": "refuse", "reason": "证明不足", "confirm": "1"},
    )
    claim.refresh_from_db()
    assert claim.status == "refused"
    client.force_login(d.sec2)
    assert client.get(reverse("claims:branch", args=["B1"])).status_code == 404
    client.force_login(d.outsider)
    assert client.get(reverse("claims:mine")).status_code == 404


@pytest.mark.parametrize("n", [2, 10])
def test_branch_claims_query_count_is_constant(client, district, n, django_assert_max_num_queries):
    d = district
    for i in range(n):
        a_claim(d, description=f"调研报告甲{i}", proof_text="y")
    client.force_login(d.sec1)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("claims:branch", args=["B1"]))
    assert page.content.decode().count("调研报告甲") == n
    client.force_login(d.member1)
    with django_assert_max_num_queries(12):
        client.get(reverse("claims:mine"))


def test_a_frozen_year_takes_no_claims_and_no_decisions(client, district):
    """Issue 15, item 15: once B1's 2026 is finalised its claim pages say so at the top and
    offer no claim form and no approve/refuse form; forms posted from older pages are
    answered with the notice and change nothing, and the services refuse as well."""
    from django.core.exceptions import ValidationError

    from kaoping.claims.services import claim_refuse
    from kaoping.schemes.services import branch_year_finalise

    d = district
    claim = a_claim(d, description="x", proof_text="y")
    mine, detail = reverse("claims:mine"), reverse("claims:detail", args=[claim.code])
    client.force_login(d.member1)
    assert f'action="{mine}"' in client.get(mine).content.decode()
    branch_year_finalise(actor=None, scheme=d.scheme, branch=d.b1)

    page = client.get(mine).content.decode()
    assert NOTICE in page and f'action="{mine}"' not in page and "提交申报" not in page
    posted = client.post(
        mine,
        {"item": b01(d).pk, "date": "2026-03-06", "description": "又一项", "proof_text": "y"},
        follow=True,
    )
    assert any(NOTICE in str(m) for m in posted.context["messages"])
    assert BonusClaim.objects.count() == 1

    client.force_login(d.sec1)
    page = client.get(detail).content.decode()
    assert NOTICE in page and 'name="decision"' not in page
    for data in ({"decision": "approve"}, {"decision": "refuse", "reason": "证明不足"}):
        posted = client.post(detail, data, follow=True)
        assert any(NOTICE in str(m) for m in posted.context["messages"])
    claim.refresh_from_db()
    assert claim.status == "pending" and not ScoreEntry.objects.exists()
    with pytest.raises(ValidationError, match="已定格"):
        claim_refuse(actor=d.sec1, claim=claim, reason="证明不足")
    with pytest.raises(ValidationError, match="考评结果已定格"):
        a_claim(d, description="x", proof_text="y", date=datetime.date(2026, 3, 6))
    claim.refresh_from_db()
    assert claim.status == "pending" and BonusClaim.objects.count() == 1
