import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaoping.inspections.models import Finding, Inspection, SupervisionGroup
from kaoping.ledger.models import ScoreEntry
from kaoping.schemes.models import SchemeItem

from .support import b2_group, d07, find, inspect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_admin_creates_group_supervisor_records_over_http(client, district):
    d = district
    client.force_login(d.admin)
    response = client.post(
        reverse("inspections:groups"),
        {"name": "作风督查组", "users": [d.supervisor.pk], "organizations": [d.b2.pk]},
        follow=True,
    )
    group = SupervisionGroup.objects.get()
    assert response.redirect_chain[-1][0] == reverse("inspections:group", args=[group.code])
    client.force_login(d.supervisor)
    response = client.post(
        reverse("inspections:group", args=[group.code]),
        {"organization": d.b2.pk, "date": "2026-05-06", "method": "camera", "findings": "迟到"},
        follow=True,
    )
    inspection = Inspection.objects.get()
    url = reverse("inspections:detail", args=[inspection.code])
    response = client.post(
        url,
        {
            "member": d.m2.pk,
            "item": d07(d).pk,
            "evidence_text": "监控显示迟到",
            "evidence_file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n..", "image/png"),
        },
        follow=True,
    )
    entry = ScoreEntry.objects.get()
    assert entry.source == "inspection" and entry.code in response.content.decode()
    finding = Finding.objects.get()
    assert client.get(reverse("inspections:file", args=[finding.pk])).status_code == 200
    register = client.get(reverse("inspections:group", args=[group.code]))
    assert entry.code in register.content.decode()
    again = client.post(url, {"member": d.m2.pk, "item": d07(d).pk, "evidence_text": "x"})
    assert again.status_code == 400 and ScoreEntry.objects.count() == 1


def test_refusals_over_http(client, district):
    d = district
    group = b2_group(d)
    inspection = inspect(d, group, method="phone", findings="x")
    client.force_login(d.supervisor)
    bad = client.post(
        reverse("inspections:detail", args=[inspection.code]),
        {
            "member": d.m2.pk,
            "item": d07(d).pk,
            "evidence_text": "x",
            "evidence_file": SimpleUploadedFile("v.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert bad.status_code == 400 and "只能上传" in bad.content.decode()
    assert not ScoreEntry.objects.exists() and not Finding.objects.exists()
    # a member of B1 is not among the choices: refused
    other = client.post(
        reverse("inspections:detail", args=[inspection.code]),
        {"member": d.m1.pk, "item": d07(d).pk, "evidence_text": "x"},
    )
    assert other.status_code in (400, 403) and not ScoreEntry.objects.exists()
    client.force_login(d.sec2)  # reads B2 but is not in the group
    assert client.get(reverse("inspections:group", args=[group.code])).status_code == 404
    assert client.get(reverse("inspections:detail", args=[inspection.code])).status_code == 404
    client.force_login(d.supervisor)
    assert client.post(reverse("inspections:groups"), {"name": "x"}).status_code == 403
    client.force_login(d.member1)
    assert client.get(reverse("inspections:groups")).status_code == 404


def test_an_in_service_branch_is_not_offered_a_retired_branchs_items(client, district):
    """Issue 15, item 21f: the finding form's items are those of the branch's category."""
    d = district
    assert d.b2.category == "in_service"
    retired = SchemeItem.objects.get(scheme=d.scheme, code="R01")
    assert retired.categories == ["retired"]
    group = b2_group(d)
    inspection = inspect(d, group, method="phone", findings="x")
    client.force_login(d.supervisor)
    page = client.get(reverse("inspections:detail", args=[inspection.code]))
    choices = list(page.context["form"].fields["item"].queryset.values_list("code", flat=True))
    assert "D07" in choices and "R01" not in choices
    assert retired.name not in page.content.decode()


@pytest.mark.parametrize("n", [2, 8])
def test_register_query_count_is_constant(client, district, n, django_assert_max_num_queries):
    d = district
    group = b2_group(d)
    for _ in range(n):
        inspection = inspect(d, group, method="phone", findings="督查第次")
        find(d, inspection, evidence_text="y")
    client.force_login(d.supervisor)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("inspections:group", args=[group.code]))
    assert page.content.decode().count("督查第次") == n
    with django_assert_max_num_queries(12):
        page = client.get(reverse("inspections:groups"))
    assert page.status_code == 200


def test_a_frozen_year_takes_no_findings(client, district):
    """Issue 15, item 15: once B2's 2026 is finalised, an inspection of B2 that year says
    so at the top and offers no finding form; a form posted from an older page gets the
    notice and records nothing, and the service refuses a finding too."""
    from django.core.exceptions import ValidationError

    from kaoping.schemes.services import branch_year_finalise

    d = district
    group = b2_group(d)
    inspection = inspect(d, group, method="phone", findings="x")
    url = reverse("inspections:detail", args=[inspection.code])
    client.force_login(d.supervisor)
    assert f'action="{url}"' in client.get(url).content.decode()
    branch_year_finalise(actor=None, scheme=d.scheme, branch=d.b2)

    page = client.get(url).content.decode()
    assert "2026 年度考评结果已定格" in page
    assert f'action="{url}"' not in page and "记录并扣分" not in page
    posted = client.post(
        url, {"member": d.m2.pk, "item": d07(d).pk, "evidence_text": "迟到"}, follow=True
    )
    assert any("已定格" in str(m) for m in posted.context["messages"])
    client.force_login(d.member1)
    assert client.post(url, {"member": d.m2.pk}).status_code in (403, 404)
    with pytest.raises(ValidationError, match="已定格"):
        find(d, inspection, evidence_text="y")
    assert not Finding.objects.exists() and not ScoreEntry.objects.exists()
