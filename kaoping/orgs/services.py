"""Writes of the organisation tree, the roster and role assignments."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record, audit_record_many
from kaoping.kit.bulk import insert_rows
from kaoping.kit.iterables import batched

from .models import DEPARTED_STATUSES, Member, Organization, RoleAssignment
from .selectors import manage_required, tree_admin_required

# A member in one of these has left the deployment: their login is closed (docs/accounts.md).


def _leaves(before: str | None, after: str) -> bool:
    return after in DEPARTED_STATUSES and before not in DEPARTED_STATUSES


@transaction.atomic
def members_logins_close(*, actor: Actor, members: list[Member], reason: str) -> int:
    """Deactivate the logins of members who left (转出, 去世, 除名): ``is_active`` off, the
    records kept, one audit row per login closed. Called by every service that makes a
    member leave, inside its transaction; the caller has checked the actor's scope."""
    by_user = {m.user_id: m for m in members if m.user_id is not None}
    if not by_user:
        return 0
    users = get_user_model()._default_manager.select_for_update()
    open_ids = list(users.filter(pk__in=by_user, is_active=True).values_list("pk", flat=True))
    if not open_ids:
        return 0
    get_user_model()._default_manager.filter(pk__in=open_ids).update(is_active=False)
    for member in by_user.values():
        cached = member._state.fields_cache.get("user")
        if member.user_id in open_ids and cached is not None:
            cached.is_active = False
    audit_record_many(
        actor=actor,
        action="member.login_close",
        rows=[(by_user[pk], {"login_active": True}, {"login_active": False}) for pk in open_ids],
        note=reason,
    )
    return len(open_ids)


def member_login_close(*, actor: Actor, member: Member, reason: str) -> bool:
    """``members_logins_close`` for one member; whether a login was closed."""
    return members_logins_close(actor=actor, members=[member], reason=reason) == 1


def _require_admin(actor: Actor) -> None:
    tree_admin_required(actor=actor)


_require_manage = partial(manage_required, refusal=gettext_lazy("您无权管理 %(org)s。"))


def _path_for(code: str, parent: Organization | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def organization_upsert(
    *,
    actor: Actor,
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
        raise ValidationError(
            {"parent": _("%(org)s 是党支部，不能有下级组织。") % {"org": parent.code}}
        )
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
            raise ValidationError({"kind": _("%(org)s 有党员，必须仍是党支部。") % {"org": code}})
    if parent is not None and parent.path.startswith(org.path or "\0"):
        raise ValidationError(
            {
                "parent": _("%(parent)s 是 %(org)s 的下级组织，不能作为它的上级。")
                % {"parent": parent.code, "org": code}
            }
        )
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
def organization_add(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None,
    category: str = Organization.Category.IN_SERVICE,
) -> Organization:
    """Add an organisation (新增组织) under ``parent``; its code must be new."""
    _require_admin(actor)
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("代码 %(code)s 已被使用。") % {"code": code}})
    return organization_upsert(
        actor=actor, code=code, name=name, kind=kind, parent=parent, category=category
    )


@transaction.atomic
def member_add(
    *,
    actor: Actor,
    branch: Organization,
    code: str,
    name: str,
    status: str = Member.Status.ACTIVE,
    membership: str = Member.Membership.FULL,
) -> Member:
    """Add a member (新增党员) to a branch's roster; the code must be new in the district."""
    if Member.objects.filter(code=code).exists():
        raise ValidationError({"code": _("编号 %(code)s 已被使用。") % {"code": code}})
    return member_upsert(
        actor=actor, code=code, name=name, branch=branch, status=status, membership=membership
    )


@transaction.atomic
def member_edit(*, actor: Actor, member: Member, name: str, membership: str) -> Member:
    """Change a member's name and category (编辑党员). The status changes only with its
    record (an investigation, a lost contact, a transfer), on the archive page."""
    return member_upsert(
        actor=actor,
        code=member.code,
        name=name,
        branch=member.branch,
        status=member.status,
        membership=membership,
    )


def _require_branch(branch: Organization) -> None:
    if not branch.is_branch:
        raise ValidationError(
            {"branch": _("%(org)s 不是党支部，只有党支部才能有党员。") % {"org": branch.code}}
        )


def _member_state(member: "Member | MemberRow") -> dict:
    """What the audit records of a member (a ``Member`` or a ``MemberRow``)."""
    return {
        "name": member.name,
        "branch": member.branch.code,
        "status": member.status,
        "membership": member.membership,
    }


@transaction.atomic
def member_upsert(
    *,
    actor: Actor,
    code: str,
    name: str,
    branch: Organization,
    status: str = Member.Status.ACTIVE,
    membership: str = Member.Membership.FULL,
) -> Member:
    """Add a member to a branch roster, or update one (a new branch is a transfer)."""
    _require_branch(branch)
    member = Member.objects.select_for_update().select_related("branch").filter(code=code).first()
    if actor is not None:
        _require_manage(actor, branch)
        if member is not None:
            _require_manage(actor, member.branch)
    before = None
    if member is None:
        member = Member(code=code)
    else:
        before = _member_state(member)
    member.name, member.branch, member.status, member.membership = name, branch, status, membership
    member.full_clean(validate_unique=False)
    member.save()
    after = _member_state(member)
    if before != after:
        audit_record(actor=actor, action="member.upsert", target=member, before=before, after=after)
    if _leaves(before["status"] if before else None, status):
        member_login_close(actor=actor, member=member, reason=member.get_status_display())
    return member


@dataclass(frozen=True)
class OrganizationRow:
    """One organisation of an imported tree, already checked (the parent exists or
    comes in the same import, the tree does not loop)."""

    code: str
    name: str
    kind: str
    parent: str | None
    category: str = Organization.Category.IN_SERVICE


def organizations_import(*, actor: Actor, rows: list[OrganizationRow]) -> int:
    """Create or update many organisations (导入组织): new ones in bulk, a level of the
    tree at a time; changed ones through ``organization_upsert`` (a move re-paths the
    subtree); unchanged ones not at all. Runs inside the caller's transaction."""
    if actor is not None:
        _require_admin(actor)
    by_code = {r.code: r for r in rows}
    known = {
        o.code: o
        for o in Organization.objects.filter(
            code__in=list(by_code) + [r.parent for r in rows if r.parent]
        ).select_related("parent")
    }
    depth: dict[str, int] = {}

    def level(code: str) -> int:
        if code not in depth:
            parent = by_code[code].parent
            depth[code] = 1 + level(parent) if parent in by_code else 0
        return depth[code]

    for code in by_code:
        level(code)
    for d in sorted(set(depth.values())):
        added, audits = [], []
        for row in (by_code[c] for c in by_code if depth[c] == d):
            parent = known[row.parent] if row.parent else None
            org = known.get(row.code)
            if org is None:
                if parent is not None and parent.kind == Organization.Kind.BRANCH:
                    raise ValidationError(
                        {"parent": _("%(org)s 是党支部，不能有下级组织。") % {"org": parent.code}}
                    )
                org = Organization(
                    code=row.code,
                    name=row.name,
                    kind=row.kind,
                    parent=parent,
                    category=row.category,
                    path=_path_for(row.code, parent),
                )
                org.clean_fields(exclude=["parent"])  # no query a row
                added.append(org)
                known[row.code] = org
                after = {
                    "name": row.name,
                    "kind": row.kind,
                    "parent": None,
                    "category": row.category,
                }
                audits.append((org, after))
            elif (org.name, org.kind, org.parent_id, org.category) != (
                row.name,
                row.kind,
                parent.pk if parent else None,
                row.category,
            ):
                known[row.code] = organization_upsert(
                    actor=actor,
                    code=row.code,
                    name=row.name,
                    kind=row.kind,
                    parent=parent,
                    category=row.category,
                )
        Organization.objects.bulk_create(added)
        audit_record_many(
            actor=actor,
            action="organization.upsert",
            rows=[(org, None, after | {"parent": org.parent_id}) for org, after in audits],
        )
    return len(rows)


@dataclass(frozen=True)
class MemberRow:
    """One member of an imported roster, already checked (branch is a branch)."""

    code: str
    name: str
    branch: Organization
    status: str = Member.Status.ACTIVE
    membership: str = Member.Membership.FULL


def members_import(*, actor: Actor, rows: Iterable[MemberRow], batch_size: int = 2000) -> int:
    """Add or update many members (导入党员): ``member_upsert``'s rules a batch at a time,
    with one audit row per member added or changed. Runs inside the caller's transaction
    (imports are all-or-nothing); returns how many rows it read."""
    count = 0
    managed: set[int] = set()

    def require(branch: Organization) -> None:
        if actor is not None and branch.pk not in managed:
            _require_manage(actor, branch)
            managed.add(branch.pk)

    for batch in batched(rows, batch_size):
        count += len(batch)
        existing = {
            m.code: m
            for m in Member.objects.filter(code__in=[r.code for r in batch]).select_related(
                "branch"
            )
        }
        added, changed, leaving = [], [], []
        audits: list[tuple[Member, dict | None, dict]] = []
        for row in batch:
            _require_branch(row.branch)
            require(row.branch)
            after = _member_state(row)
            member = existing.get(row.code)
            if member is None:
                member = Member(
                    code=row.code,
                    name=row.name,
                    branch=row.branch,
                    status=row.status,
                    membership=row.membership,
                )
                member.clean_fields(exclude=["branch", "user"])  # no query a row
                added.append(member)
                audits.append((member, None, after))
                continue
            require(member.branch)
            before = _member_state(member)
            if before != after:
                if _leaves(member.status, row.status):
                    leaving.append(member)
                member.name, member.branch = row.name, row.branch
                member.status, member.membership = row.status, row.membership
                member.clean_fields(exclude=["branch", "user"])
                changed.append(member)
                audits.append((member, before, after))
        if added:
            insert_rows(
                Member._meta.db_table,
                ("code", "name", "branch_id", "status", "membership"),
                [(m.code, m.name, m.branch_id, m.status, m.membership) for m in added],
            )
            ids = dict(
                Member.objects.filter(code__in=[m.code for m in added]).values_list("code", "id")
            )
            for m in added:
                m.pk = ids[m.code]
        if changed:
            Member.objects.bulk_update(changed, ["name", "branch", "status", "membership"])
        audit_record_many(actor=actor, action="member.upsert", rows=audits)
        members_logins_close(actor=actor, members=leaving, reason=_("导入名册：已离开"))
    return count


@transaction.atomic
def role_assign(
    *, actor: Actor, user: User, organization: Organization, role: str
) -> RoleAssignment:
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
def member_link_user(*, actor: Actor, member: Member, user: User) -> Member:
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
