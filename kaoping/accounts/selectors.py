"""Reads of the accounts app, scoped by ``actor``."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.models import DEPARTED_STATUSES, Member, Organization, RoleAssignment
from kaoping.orgs.selectors import scope_for, under_paths

from .models import AccountPolicy, AccountState, SignIn, SlipBatch

SIGN_INS_SHOWN = 20
# The session key saying this session must change its password first (middleware.py).
MUST_CHANGE_KEY = "kaoping_must_change_password"


def must_change_password(user: User) -> bool:
    """Whether ``user`` must set their own password before anything else."""
    return AccountState.objects.filter(user=user, must_change_password=True).exists()


def own_roles(*, actor: Actor) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user=actor)
        .select_related("organization")
        .order_by("organization__path", "role")
    )


def own_sign_ins(*, actor: Actor) -> QuerySet[SignIn]:
    return SignIn.objects.filter(user=actor).order_by("-at", "-id")[:SIGN_INS_SHOWN]


# Members who left (transferred out, deceased): no new login.


def committee_of(organization: Organization) -> Organization | None:
    """The root of ``organization``'s tree (the committee whose account rules apply)."""
    root_code = organization.path.strip("/").split("/")[0]
    if root_code == organization.code:
        return organization
    return Organization.objects.filter(code=root_code).first()


def username_rule_for(organization: Organization) -> str:
    root_code = organization.path.strip("/").split("/")[0]
    rule = (
        AccountPolicy.objects.filter(committee__code=root_code)
        .values_list("username_rule", flat=True)
        .first()
    )
    return rule or AccountPolicy.UsernameRule.MEMBER_CODE


def accounts_access(*, actor: Actor) -> None:
    """The accounts pages are for those who keep a roster (committee admins, secretaries):
    other officers are refused, everybody else gets the missing page's 404."""
    scope = scope_for(actor)
    if scope.everything or scope.manage_paths:
        return
    if scope.is_staff_role:
        raise PermissionDenied(_("只有党工委管理员和支部书记可以管理账号。"))
    raise Http404(_("找不到这个页面。"))


def managed_branches(*, actor: Actor) -> QuerySet[Organization]:
    """The branches ``actor`` manages, each with its numbers of members (still on the roll)
    with and without a login: one query."""
    scope = scope_for(actor)
    qs = Organization.objects.filter(kind=Organization.Kind.BRANCH)
    if not scope.everything:
        qs = qs.filter(under_paths(scope.manage_paths, "path"))
    on_roll = ~Q(members__status__in=DEPARTED_STATUSES)
    return (
        qs.select_related("parent")
        .annotate(
            with_login=Count("members", filter=on_roll & Q(members__user__isnull=False)),
            without_login=Count("members", filter=on_roll & Q(members__user__isnull=True)),
        )
        .order_by("path")
    )


def accounts_of(*, actor: Actor, organization: Organization | None = None) -> QuerySet[Member]:
    """Members whose logins ``actor`` manages (under ``organization`` if given), with their
    login and its state."""
    scope = scope_for(actor)
    qs = Member.objects.select_related("branch", "user", "user__account_state")
    if not scope.everything:
        qs = qs.filter(under_paths(scope.manage_paths, "branch__path"))
    if organization is not None:
        qs = qs.filter(branch__path__startswith=organization.path)
    return qs.order_by("branch__path", "code")


def slip_batch_access_by_id(*, actor: Actor, batch_id: int) -> SlipBatch:
    """A batch of account slips, for those who manage its organisation (403 for those who
    only read it; the same 404 for missing and not yours)."""
    batch = (
        SlipBatch.objects.select_related("organization", "issued_by").filter(pk=batch_id).first()
    )
    scope = scope_for(actor)
    if batch is not None:
        if scope.manages(batch.organization.path):
            return batch
        if scope.reads(batch.organization.path):
            raise PermissionDenied(
                _("您无权管理 %(org)s 的账号。") % {"org": batch.organization.name}
            )
    raise Http404(_("找不到这批账号条。"))


def slip_batches_of(*, organization: Organization, limit: int = 20) -> list[SlipBatch]:
    return list(
        SlipBatch.objects.filter(organization=organization)
        .select_related("issued_by")
        .annotate(count=Count("lines"))
        .order_by("-issued_at")[:limit]
    )


def district_committee() -> Organization | None:
    """The working committee (机关工委) at the top of the tree: whose account policy holds."""
    return Organization.objects.filter(kind=Organization.Kind.COMMITTEE).order_by("pk").first()
