"""Writes of the guided start: the committee and its branches, through the orgs services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.orgs.models import Organization, RoleAssignment
from kaoping.orgs.selectors import scope_for
from kaoping.orgs.services import organization_upsert, role_assign

from .selectors import may_run_setup


def _require_setup(actor: Actor) -> None:
    if actor is not None and not may_run_setup(actor=actor):
        raise PermissionDenied(_("您无权进行首次使用设置。"))


def _code_free(code: str) -> None:
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("代码 %(code)s 已被使用。") % {"code": code}})


@transaction.atomic
def setup_committee_create(*, actor: Actor, code: str, name: str) -> Organization:
    """Create the working committee (机关工委), the root of the tree. On an empty installation
    the first user, who has no role yet, becomes its committee admin."""
    _require_setup(actor)
    if Organization.objects.filter(kind=Organization.Kind.COMMITTEE).exists():
        raise ValidationError(_("已经建立了机关工委。"))
    code = code.strip()
    _code_free(code)
    has_rights = actor is None or scope_for(actor).is_scheme_admin
    committee = organization_upsert(
        actor=actor if has_rights else None,
        code=code,
        name=name.strip(),
        kind=Organization.Kind.COMMITTEE,
        parent=None,
    )
    if actor is not None and not has_rights:  # the first user, on an empty installation
        role_assign(
            actor=None, user=actor, organization=committee, role=RoleAssignment.Role.COMMITTEE_ADMIN
        )
        actor.__dict__.pop("_kaoping_scope", None)  # the new role counts from now on
    audit_record(
        actor=actor,
        action="onboarding.committee",
        target=committee,
        after={"code": committee.code, "name": committee.name, "admin_granted": not has_rights},
    )
    return committee


@transaction.atomic
def setup_branch_create(
    *, actor: Actor, code: str, name: str, category: str = Organization.Category.IN_SERVICE
) -> Organization:
    """Add a branch directly under the committee (deeper trees: the overview page)."""
    _require_setup(actor)
    committee = Organization.objects.filter(kind=Organization.Kind.COMMITTEE).order_by("pk").first()
    if committee is None:
        raise ValidationError(_("请先建立机关工委。"))
    code = code.strip()
    _code_free(code)
    return organization_upsert(
        actor=actor,
        code=code,
        name=name.strip(),
        kind=Organization.Kind.BRANCH,
        parent=committee,
        category=category,
    )
