"""Writes of supervision: groups, inspections, findings (→ one ledger entry each). One
transaction per use case, audited."""

import datetime
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.codes import new_code
from kaoping.kit.evidence import evidence_file_check
from kaoping.kit.users import user_or_none
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import PlannedEntry, entries_record_for
from kaoping.orgs.models import Member, Organization, RoleAssignment
from kaoping.orgs.roles import role_grant, role_revoke
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import SchemeItem
from kaoping.schemes.selectors import refuse_if_frozen

from .models import Finding, Inspection, SupervisionGroup
from .selectors import covers, group_paths, may_supervise

Role = RoleAssignment.Role


def _require_admin(actor: Actor) -> None:
    if actor is not None and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以管理督查组。"))


def _require_recorder(actor: Actor, group: SupervisionGroup) -> None:
    """A member of the group who holds the supervisor role, or a committee admin."""
    if actor is None or scope_for(actor).is_scheme_admin:
        return
    if not may_supervise(actor) or not group.users.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("您不是督查组“%(group)s”的成员。") % {"group": group.name})


@transaction.atomic
def group_create(*, actor: Actor, name: str, users: list, organizations: list[Organization]) -> Any:
    _require_admin(actor)
    refused = [u.username for u in users if not may_supervise(u)]
    if refused:
        raise ValidationError(
            {
                "users": _("以下用户不是专项督查组成员角色：%(names)s")
                % {"names": "、".join(refused)}
            }
        )
    if not users or not organizations:
        raise ValidationError(_("督查组须有组员和督查对象。"))
    group = SupervisionGroup(code=new_code("SG"), name=name.strip())
    group.full_clean()
    group.save()
    group.users.set(users)
    group.organizations.set(organizations)
    audit_record(
        actor=actor,
        action="supervision_group.create",
        target=group,
        target_id=group.code,
        after={
            "name": group.name,
            "users": sorted(u.username for u in users),
            "organizations": sorted(o.code for o in organizations),
        },
    )
    return group


@transaction.atomic
def inspection_record(
    *,
    actor: Actor,
    group: SupervisionGroup,
    organization: Organization,
    date: datetime.date,
    method: str,
    findings: str,
) -> Inspection:
    _require_recorder(actor, group)
    if not covers(group_paths(group), organization.path):
        raise PermissionDenied(
            _("督查组“%(group)s”没有负责 %(org)s。")
            % {"group": group.name, "org": organization.name}
        )
    if method not in Inspection.Method.values:
        raise ValidationError({"method": _("督查方式不正确。")})
    inspection = Inspection(
        code=new_code("IN"),
        group=group,
        organization=organization,
        date=date,
        method=method,
        findings=findings.strip(),
        recorded_by=user_or_none(actor),
    )
    inspection.full_clean()
    inspection.save()
    audit_record(
        actor=actor,
        action="inspection.record",
        target=inspection,
        target_id=inspection.code,
        after={"group": group.code, "organization": organization.code, "method": method},
    )
    return inspection


def _finding_link(finding: Finding, entry: ScoreEntry) -> Finding:
    finding.entry = entry
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def finding_record(
    *,
    actor: Actor,
    inspection: Inspection,
    member: Member,
    item: SchemeItem,
    evidence_text: str,
    evidence_file: Any = None,
) -> Finding:
    """A member found at fault: one deduction entry (source inspection), recorded by the
    system once this service has checked the recorder's group covers the member."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("group", "organization")
        .get(pk=inspection.pk)
    )
    _require_recorder(actor, inspection.group)
    member = Member.objects.select_related("branch", "user").get(pk=member.pk)
    if not (
        covers(group_paths(inspection.group), member.branch.path)
        and member.branch.path.startswith(inspection.organization.path)
    ):
        raise PermissionDenied(
            _("督查组“%(group)s”没有负责党员 %(member)s 所在的组织。")
            % {"group": inspection.group.name, "member": member.code}
        )
    refuse_if_frozen(year=inspection.date.year, branch=member.branch, field="member")
    if item.kind != SchemeItem.Kind.DEDUCTION:
        raise ValidationError({"item": _("督查发现只能对应扣分指标。")})
    if not evidence_text.strip():
        raise ValidationError({"evidence_text": _("请填写问题及佐证说明。")})
    evidence_file_check(evidence_file, field="evidence_file")
    if Finding.objects.filter(inspection=inspection, member=member, item=item).exists():
        raise ValidationError(_("本次督查已就该指标记录过该党员。"))
    finding = Finding(
        inspection=inspection,
        member=member,
        item=item,
        evidence_text=evidence_text.strip(),
        recorded_by=user_or_none(actor),
    )
    if evidence_file is not None:
        finding.evidence_file = evidence_file
    (entry,) = entries_record_for(
        actor=actor,
        recorder=None,  # the system records, once the recorder's group is checked
        source=ScoreEntry.Source.INSPECTION,
        planned=[
            PlannedEntry(
                member=member,
                item=item,
                date=inspection.date,
                note=_("%(method)s：%(text)s")
                % {"method": inspection.get_method_display(), "text": evidence_text.strip()[:200]},
                evidence=_("督查记录 %(code)s（%(group)s）")
                % {"code": inspection.code, "group": inspection.group.name},
                link=partial(_finding_link, finding),
            )
        ],
        action="inspection.finding",
        target_id=inspection.code,
        after=lambda entries: {
            "member": member.code,
            "item": item.code,
            "entry": entries[0].code,
        },
    )
    return finding


# --------------------------------------------------------------------------- members
#
# A group's members hold the supervisor role (专项督查组成员) over each organisation the
# group is assigned to: adding a member grants it, removing one revokes it where no other
# group of theirs still covers that organisation (orgs.roles: audited, the person told).


@transaction.atomic
def group_member_add(*, actor: Actor, group: SupervisionGroup, user: User) -> None:
    _require_admin(actor)
    if group.users.filter(pk=user.pk).exists():
        raise ValidationError(
            {"person": _("%(user)s 已是本督查组成员。") % {"user": user.username}}
        )
    group.users.add(user)
    held = set(
        RoleAssignment.objects.filter(user=user, role=Role.SUPERVISOR).values_list(
            "organization_id", flat=True
        )
    )
    for org in group.organizations.all():
        if org.pk not in held:
            role_grant(actor=actor, user=user, organization=org, role=Role.SUPERVISOR)
    audit_record(
        actor=actor,
        action="supervision_group.member_add",
        target=group,
        target_id=group.code,
        after={"user": user.username},
    )


@transaction.atomic
def group_member_remove(*, actor: Actor, group: SupervisionGroup, user: User) -> None:
    _require_admin(actor)
    if not group.users.filter(pk=user.pk).exists():
        raise ValidationError(_("%(user)s 不是本督查组成员。") % {"user": user.username})
    group.users.remove(user)
    still = set(
        SupervisionGroup.organizations.through.objects.filter(
            supervisiongroup__users=user
        ).values_list("organization_id", flat=True)
    )
    for assignment in RoleAssignment.objects.filter(
        user=user,
        role=Role.SUPERVISOR,
        organization__in=group.organizations.all(),
    ).exclude(organization_id__in=still):
        role_revoke(actor=actor, assignment=assignment)
    audit_record(
        actor=actor,
        action="supervision_group.member_remove",
        target=group,
        target_id=group.code,
        before={"user": user.username},
    )
