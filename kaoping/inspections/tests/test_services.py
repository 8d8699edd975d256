import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.inspections.services import group_create
from kaoping.ledger.models import ScoreEntry

from .support import b2_group, find, inspect

pytestmark = pytest.mark.django_db


def test_supervisor_records_finding_as_one_entry(district):
    d = district
    group = b2_group(d, "作风督查组")
    inspection = inspect(d, group, method="unannounced", findings="上班时间玩手机")
    finding = find(d, inspection, evidence_text="照片")
    entry = ScoreEntry.objects.get()
    assert finding.entry == entry and entry.source == "inspection" and entry.member == d.m2
    with pytest.raises(ValidationError):
        find(d, inspection, evidence_text="x")
    assert ScoreEntry.objects.count() == 1


def test_refusals(district):
    d = district
    with pytest.raises(ValidationError):
        group_create(actor=d.admin, name="g", users=[d.sec1], organizations=[d.b2])
    with pytest.raises(PermissionDenied):
        group_create(actor=d.sec1, name="g", users=[d.supervisor], organizations=[d.b2])
    group = b2_group(d, "作风督查组")
    with pytest.raises(PermissionDenied):  # the group is not assigned to B1
        inspect(d, group, organization=d.b1, method="phone", findings="x")
    inspection = inspect(d, group, method="phone", findings="x")
    with pytest.raises(PermissionDenied):  # member of another organisation
        find(d, inspection, member=d.m1, evidence_text="x")
    with pytest.raises(PermissionDenied):  # not a group member
        find(d, inspection, actor=d.sec2, member=d.m2, evidence_text="x")
    assert not ScoreEntry.objects.exists()
