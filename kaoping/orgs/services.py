"""Writes of the organisation tree, the roster and role assignments."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kaoping.audit.services import audit_record

from .models import Member, Organization, RoleAssignment
from .selectors import scope_for


def _require_admin(actor) -> None:
    if not scope_for(actor).is_scheme_admin:
        raise PermissionDenied("only a committee admin can change the organisation tree")


def _require_manage(actor, org: Organization) -> None:
    if actor is not None and not scope_for(actor).manages(org.path):
        raise PermissionDenied(f"you cannot manage {org.code}")


def _path_for(code: str, parent: Organization | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def organization_upsert(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None,
    category: str = Organization.Category.IN_SERVICE,
) -> Organization:
    """Create or update an organisation; a changed parent moves the whole subtree.

    ``actor=None`` is the system itself (bundle import from the command line).
    """
    if actor is not None:
        _require_admin(actor)
    if parent is not None and parent.kind == Organization.Kind.BRANCH:
        raise ValidationError({"parent": f"{parent.code} is a branch and cannot have children"})
    org = Organization.objects.select_for_update().filter(code=code).first()
    before = None
    if org is None:
        org = Organization(code=code)
    else:
        before = {
            "name": org.name,
            "kind": org.kind,
            "parent": org.parent_id,
            "category": org.category,
        }
        if (
            kind != Organization.Kind.BRANCH
            and org.kind == Organization.Kind.BRANCH
            and org.members.exists()
        ):
            raise ValidationError({"kind": f"{code} holds members and must stay a branch"})
    if parent is not None and parent.path.startswith(org.path or "\0"):
        raise ValidationError({"parent": f"{parent.code} is inside {code}'s own subtree"})
    old_path = org.path
    org.name, org.kind, org.parent, org.category = name, kind, parent, category
    org.path = _path_for(code, parent)
    org.full_clean()
    org.save()
    if old_path and old_path != org.path:
        for child in Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
            child.path = org.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    after = {"name": org.name, "kind": org.kind, "parent": org.parent_id, "category": org.category}
    if before != after:
        audit_record(
            actor=actor, action="organization.upsert", target=org, before=before, after=after
        )
    return org


@transaction.atomic
def member_upsert(
    *,
    actor,
    code: str,
    name: str,
    branch: Organization,
    status: str = Member.Status.ACTIVE,
    membership: str = Member.Membership.FULL,
) -> Member:
    """Add a member to a branch roster, or update one (a new branch is a transfer)."""
    if not branch.is_branch:
        raise ValidationError(
            {"branch": f"{branch.code} is not a branch; only branches hold members"}
        )
    member = Member.objects.select_for_update().select_related("branch").filter(code=code).first()
    if actor is not None:
        _require_manage(actor, branch)
        if member is not None:
            _require_manage(actor, member.branch)
    before = None
    if member is None:
        member = Member(code=code)
    else:
        before = {
            "name": member.name,
            "branch": member.branch.code,
            "status": member.status,
            "membership": member.membership,
        }
    member.name, member.branch, member.status, member.membership = name, branch, status, membership
    member.full_clean(validate_unique=False)
    member.save()
    after = {"name": name, "branch": branch.code, "status": status, "membership": membership}
    if before != after:
        audit_record(actor=actor, action="member.upsert", target=member, before=before, after=after)
    return member


@transaction.atomic
def role_assign(*, actor, user, organization: Organization, role: str) -> RoleAssignment:
    if actor is not None:
        _require_admin(actor)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    if created:
        audit_record(
            actor=actor,
            action="role.assign",
            target=assignment,
            after={"user": user.username, "organization": organization.code, "role": role},
        )
    return assignment


@transaction.atomic
def member_link_user(*, actor, member: Member, user) -> Member:
    """Give a member their login: they then see their own score and ledger."""
    if actor is not None:
        _require_manage(actor, member.branch)
    before = {"user": member.user.username if member.user else None}
    member.user = user
    member.save(update_fields=["user"])
    audit_record(
        actor=actor,
        action="member.link_user",
        target=member,
        before=before,
        after={"user": user.username if user else None},
    )
    return member
