"""Helpers shared by the inspection tests and the exports' tests: the district's supervisor
in a group assigned to B2, an inspection of B2, a finding on it."""

import datetime

from kaoping.inspections.models import Finding, Inspection, SupervisionGroup
from kaoping.inspections.services import finding_record, group_create, inspection_record
from kaoping.schemes.models import SchemeItem


def d07(d) -> SchemeItem:
    return SchemeItem.objects.get(scheme=d.scheme, code="D07")


def b2_group(d, name: str = "g") -> SupervisionGroup:
    """A supervision group of the district's supervisor, assigned to B2, made by the admin."""
    return group_create(actor=d.admin, name=name, users=[d.supervisor], organizations=[d.b2])


def inspect(d, group, *, organization=None, method="phone", findings="x") -> Inspection:
    """The supervisor's inspection of B2 (or ``organization``) on 2026-05-06."""
    return inspection_record(
        actor=d.supervisor,
        group=group,
        organization=organization or d.b2,
        date=datetime.date(2026, 5, 6),
        method=method,
        findings=findings,
    )


def find(d, inspection, *, actor=None, member=None, evidence_text="x") -> Finding:
    """A finding of item D07 on ``member`` (B2's M2), by ``actor`` (the supervisor)."""
    return finding_record(
        actor=actor or d.supervisor,
        inspection=inspection,
        member=member or d.m2,
        item=d07(d),
        evidence_text=evidence_text,
    )
