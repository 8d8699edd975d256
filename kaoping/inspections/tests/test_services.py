import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.inspections.services import finding_record, group_create, inspection_record
from kaoping.ledger.models import ScoreEntry
from kaoping.schemes.models import SchemeItem

pytestmark = pytest.mark.django_db


def d07(d):
    return SchemeItem.objects.get(scheme=d.scheme, code="D07")


def make_group(d):
    return group_create(
        actor=d.admin, name="作风督查组", users=[d.supervisor], organizations=[d.b2]
    )


def test_supervisor_records_finding_as_one_entry(district):
    d = district
    group = make_group(d)
    inspection = inspection_record(
        actor=d.supervisor,
        group=group,
        organization=d.b2,
        date=datetime.date(2026, 5, 6),
        method="unannounced",
        findings="上班时间玩手机",
    )
    finding = finding_record(
        actor=d.supervisor, inspection=inspection, member=d.m2, item=d07(d), evidence_text="照片"
    )
    entry = ScoreEntry.objects.get()
    assert finding.entry == entry and entry.source == "inspection" and entry.member == d.m2
    with pytest.raises(ValidationError):
        finding_record(
            actor=d.supervisor, inspection=inspection, member=d.m2, item=d07(d), evidence_text="x"
        )
    assert ScoreEntry.objects.count() == 1


def test_refusals(district):
    d = district
    with pytest.raises(ValidationError):
        group_create(actor=d.admin, name="g", users=[d.sec1], organizations=[d.b2])
    with pytest.raises(PermissionDenied):
        group_create(actor=d.sec1, name="g", users=[d.supervisor], organizations=[d.b2])
    group = make_group(d)
    with pytest.raises(PermissionDenied):  # the group is not assigned to B1
        inspection_record(
            actor=d.supervisor,
            group=group,
            organization=d.b1,
            date=datetime.date(2026, 5, 6),
            method="phone",
            findings="x",
        )
    inspection = inspection_record(
        actor=d.supervisor,
        group=group,
        organization=d.b2,
        date=datetime.date(2026, 5, 6),
        method="phone",
        findings="x",
    )
    with pytest.raises(PermissionDenied):  # member of another organisation
        finding_record(
            actor=d.supervisor, inspection=inspection, member=d.m1, item=d07(d), evidence_text="x"
        )
    with pytest.raises(PermissionDenied):  # not a group member
        finding_record(
            actor=d.sec2, inspection=inspection, member=d.m2, item=d07(d), evidence_text="x"
        )
    assert not ScoreEntry.objects.exists()
