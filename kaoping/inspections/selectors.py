"""Reads of supervision groups, inspections and findings, scoped to the actor: a committee
admin sees every group; a supervisor sees the groups they belong to."""

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.models import Member, RoleAssignment
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import SchemeItem
from kaoping.schemes.selectors import items_applying

from .models import Finding, Inspection, SupervisionGroup

Role = RoleAssignment.Role


def may_supervise(user: User | None) -> bool:
    """A user who may be a group member: the supervisor role, or a committee admin."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return scope.everything or scope.is_scheme_admin or Role.SUPERVISOR in scope.roles


def supervisor_candidates() -> QuerySet:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(kaoping_roles__role__in=[Role.SUPERVISOR, Role.COMMITTEE_ADMIN])
        .distinct()
        .order_by("username")
    )


def groups_for_staff(*, actor: Actor) -> QuerySet[SupervisionGroup]:
    """The groups page's list: the groups the actor sees, for the staff roles only (404
    for everybody else, as the page)."""
    if not scope_for(actor).is_staff_role:
        raise Http404(_("只有党组织工作人员可以查看督查组。"))
    return groups_visible(actor=actor)


def groups_visible(*, actor: Actor) -> QuerySet[SupervisionGroup]:
    scope = scope_for(actor)
    qs = SupervisionGroup.objects.annotate(n_inspections=Count("inspections", distinct=True))
    if scope.is_scheme_admin:
        return qs
    if not may_supervise(actor):
        return qs.none()
    return qs.filter(users=actor)


def group_access_by_code(*, actor: Actor, code: str) -> SupervisionGroup:
    group = groups_visible(actor=actor).filter(code=code).first()
    if group is None:
        raise Http404(_("找不到督查组 %(code)s。") % {"code": code})
    return group


def group_paths(group: SupervisionGroup) -> list[str]:
    return list(group.organizations.values_list("path", flat=True))


def covers(paths: list[str], path: str) -> bool:
    return any(path.startswith(p) for p in paths)


def group_register(*, actor: Actor, group: SupervisionGroup) -> list[Inspection]:
    """The register (督查台账): every inspection of the group with its findings (three
    queries, however many rows)."""
    group_access_by_code(actor=actor, code=group.code)
    return list(
        group.inspections.select_related("organization").prefetch_related(
            Prefetch(
                "items",
                queryset=Finding.objects.select_related("member", "item", "entry"),
            )
        )
    )


def inspection_access_by_code(*, actor: Actor, code: str) -> Inspection:
    inspection = (
        Inspection.objects.select_related("group", "organization").filter(code=code).first()
    )
    if (
        inspection is None
        or not groups_visible(actor=actor).filter(pk=inspection.group_id).exists()
    ):
        raise Http404(_("找不到督查记录 %(code)s。") % {"code": code})
    return inspection


def inspection_findings(*, inspection: Inspection) -> list[Finding]:
    return list(inspection.items.select_related("member", "item", "entry"))


def members_inspectable(*, inspection: Inspection) -> QuerySet[Member]:
    """Members under the inspected organisation (which the group covers)."""
    return Member.objects.filter(
        branch__path__startswith=inspection.organization.path,
        status__in=[Member.Status.ACTIVE, Member.Status.LOST_CONTACT],
    ).order_by("code")


def finding_access(*, actor: Actor, finding_id: int) -> Finding:
    finding = Finding.objects.select_related("inspection").filter(pk=finding_id).first()
    if finding is None:
        raise Http404(_("找不到这条督查发现。"))
    inspection_access_by_code(actor=actor, code=finding.inspection.code)
    return finding


def finding_choices(*, inspection: Inspection) -> tuple[QuerySet[Member], QuerySet[SchemeItem]]:
    """What a finding of the inspection may name: the members under the inspected
    organisation, and the deduction items of the inspection's year that apply to their
    branches' categories (分类实施: an in-service branch is never offered a retired
    branch's items)."""
    members = members_inspectable(inspection=inspection)
    categories = set(members.values_list("branch__category", flat=True))
    items = items_applying(
        SchemeItem.objects.filter(
            scheme__year=inspection.date.year, kind=SchemeItem.Kind.DEDUCTION
        ).order_by("code"),
        categories,
    )
    return members, items
