"""Reads of organisations and members, and the one place where access is decided.

Every selector takes the ``actor`` (a user) and returns only what that user may see.
``*_access_by_id`` raise the same ``Http404`` for "missing" and "not yours", so a probe
cannot tell the two apart (Zulip's ``access_stream_by_id``). The variants every app uses
(officers' pages, a branch read as staff, the right to keep a record) are here too, so no
app writes its own.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Manager, Model, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kaoping.annotations import Actor

from .models import Member, Organization, RoleAssignment

Role = RoleAssignment.Role
READ_ROLES = frozenset(Role.values)
# The branch committee member (支委) keeps the branch as the secretary does (rules.md §1).
MANAGE_ROLES = frozenset({Role.COMMITTEE_ADMIN, Role.SECRETARY, Role.BRANCH_COMMITTEE})
R = TypeVar("R", bound=Model)


@dataclass(frozen=True)
class Scope:
    """What one user may see and do, computed once per user object."""

    everything: bool = False
    read_paths: tuple[str, ...] = ()
    manage_paths: tuple[str, ...] = ()
    admin_paths: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()
    member_id: int | None = None

    def reads(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.read_paths)

    def manages(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.manage_paths)

    @property
    def is_staff_role(self) -> bool:
        return self.everything or bool(self.read_paths)

    @property
    def is_scheme_admin(self) -> bool:
        return self.everything or bool(self.admin_paths)


def scope_for(actor: Actor) -> Scope:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Scope()
    cached = getattr(actor, "_kaoping_scope", None)
    if cached is not None:
        return cached
    if actor.is_superuser:
        scope = Scope(everything=True, roles=frozenset(Role.values))
    else:
        # One round trip on every request: the roles and, as a row of role "", the
        # member record of the user.
        own_member = (
            Member.objects.filter(user=actor)
            .annotate(role=Value(""), path=Cast("id", CharField()))
            .values_list("role", "path")
            .order_by()
        )
        rows = list(
            RoleAssignment.objects.filter(user=actor)
            .values_list("role", "organization__path")
            .order_by()
            .union(own_member, all=True)
        )
        member_id = next((int(p) for r, p in rows if r == ""), None)
        rows = [(r, p) for r, p in rows if r != ""]
        scope = Scope(
            read_paths=tuple(p for r, p in rows if r in READ_ROLES),
            manage_paths=tuple(p for r, p in rows if r in MANAGE_ROLES),
            admin_paths=tuple(p for r, p in rows if r == Role.COMMITTEE_ADMIN),
            roles=frozenset(r for r, _ in rows),
            member_id=member_id,
        )
    actor._kaoping_scope = scope  # type: ignore[attr-defined]  # the request's cache
    return scope


def under_paths(paths: tuple[str, ...], field: str) -> Q:
    """Rows whose ``field`` (a materialised path) lies at or below one of ``paths``."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths))


def organizations_visible(*, actor: Actor) -> QuerySet[Organization]:
    scope = scope_for(actor)
    qs = Organization.objects.all()
    if scope.everything:
        return qs
    q = under_paths(scope.read_paths, "path")
    if scope.member_id is not None:
        q |= Q(members__id=scope.member_id)
    return qs.filter(q).distinct()


def branches_visible(*, actor: Actor) -> QuerySet[Organization]:
    return organizations_visible(actor=actor).filter(kind=Organization.Kind.BRANCH)


def branches_kept(*, actor: Actor, limit: int) -> list[Organization]:
    """The branches the actor keeps through a role held on the branch itself (a secretary,
    a 支委), at most ``limit`` by path. A committee's managers keep their branches through
    the committee's pages instead, so their menu and workbench do not list every branch."""
    scope = scope_for(actor)
    if scope.everything or not scope.manage_paths:
        return []
    qs = Organization.objects.filter(path__in=scope.manage_paths, kind=Organization.Kind.BRANCH)
    return list(qs.order_by("path")[:limit])


def members_visible(*, actor: Actor) -> QuerySet[Member]:
    scope = scope_for(actor)
    qs = Member.objects.select_related("branch")
    if scope.everything:
        return qs
    q = under_paths(scope.read_paths, "branch__path")
    if scope.member_id is not None:
        q |= Q(id=scope.member_id)
    return qs.filter(q)


def branch_assessed_members(*, actor: Actor, branch: Organization) -> QuerySet[Member]:
    """The branch's members taking part in the assessment (参加考评: not departed, not
    under investigation) as the actor sees them, by code: whom a meeting or a task of the
    branch may name."""
    return (
        members_visible(actor=actor)
        .filter(branch=branch, status__in=Member.assessed_statuses())
        .order_by("code")
    )


def organization_access_by_code(*, actor: Actor, code: str, manage: bool = False) -> Organization:
    """The organisation if ``actor`` may read it (``manage``: keep its roster and ledger)."""
    scope = scope_for(actor)
    org = Organization.objects.filter(code=code).first()
    if org is None:
        raise Http404(_("找不到这个党组织。"))
    if scope.reads(org.path):
        if manage and not scope.manages(org.path):
            raise PermissionDenied(_("您无权管理 %(org)s。") % {"org": org.name})
        return org
    if (
        not manage
        and scope.member_id is not None
        and org.members.filter(id=scope.member_id).exists()
    ):
        return org
    raise Http404(_("找不到这个党组织。"))


def member_access_by_code(*, actor: Actor, code: str, manage: bool = False) -> Member:
    """The member if ``actor`` may see them; ``manage`` asks for the branch officer's rights."""
    scope = scope_for(actor)
    member = Member.objects.select_related("branch").filter(code=code).first()
    if member is None:
        raise Http404(_("找不到这名党员。"))
    if scope.reads(member.branch.path):
        if manage and not scope.manages(member.branch.path):
            raise PermissionDenied(_("您无权管理党员 %(member)s。") % {"member": member.code})
        return member
    if member.id == scope.member_id:
        if manage:
            raise PermissionDenied(_("您不能管理自己的记录。"))

        return member
    raise Http404(_("找不到这名党员。"))


# --------------------------------------------------------------------------- access variants


def staff_required(*, actor: Actor) -> None:
    """Pages for officers only: everybody else gets the same 404 as for a missing page."""
    if not scope_for(actor).is_staff_role:
        raise Http404(_("找不到这个页面。"))


def member_row(
    records: QuerySet[R] | Manager[R], member_id: int | None, *, field: str = "member_id"
) -> R | None:
    """The row of ``records`` that is the member ``member_id``'s (their attendance, their
    assignment, their vote right); None for no member: a person without a member record
    has no row (never the rows whose member is empty)."""
    if member_id is None:
        return None
    return records.filter(**{field: member_id}).first()


def own_member(*, actor: Actor) -> Member:
    """The actor's own member record (their self-evaluation, their appeals): the same 404
    for a person without one."""
    member_id = scope_for(actor).member_id
    member = member_row(Member.objects.select_related("branch"), member_id, field="id")
    if member is None:
        raise Http404(_("您没有党员档案。"))
    return member


def tree_admin_required(*, actor: Actor) -> None:
    """Only the working committee's admin changes the organisation tree (组织架构)."""
    if not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以调整组织架构。"))


def branch_for_staff(*, actor: Actor, code: str, manage: bool = False) -> Organization:
    """A branch the actor reads through a role: a plain member reading their own branch
    through ``organization_access_by_code`` is not enough to see everybody's records; 404
    otherwise (``manage``: 403 unless the actor keeps the branch)."""
    org = organization_access_by_code(actor=actor, code=code, manage=manage)
    if not org.is_branch or not scope_for(actor).reads(org.path):
        raise Http404(_("找不到这个党支部。"))
    return org


def manage_required(
    actor: Actor, target: Organization | Member, refusal: str | Promise, *, system: bool = True
) -> None:
    """Refuse a write unless ``actor`` keeps ``target`` (an organisation, or a member's
    branch). ``actor`` None is a system job (a command, a background task) and passes
    unless ``system`` is False. ``refusal`` is the app's message (usually ``gettext_lazy``);
    it may name the record as ``%(branch)s``/``%(org)s`` (the organisation's name) or
    ``%(member)s`` (the member's code)."""
    if actor is None and system:
        return
    if isinstance(target, Member):
        path, names = target.branch.path, {"member": target.code}
    else:
        path, names = target.path, {"branch": target.name, "org": target.name}
    if not scope_for(actor).manages(path):
        raise PermissionDenied(str(refusal) % names)


def branch_members_checked(
    *, branch: Organization, members: list[Member] | None, none_message: str
) -> list[Member]:
    """The members a branch workflow (a meeting, a task) concerns: by default every assessed
    member; refuses members of other branches and an empty list, naming them."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if members is None:
        members = list(branch.members.filter(status__in=Member.assessed_statuses()))
    strangers = [m.code for m in members if m.branch_id != branch.id]
    if strangers:
        raise ValidationError(
            {"members": _("不是本支部的党员：%(codes)s") % {"codes": "、".join(strangers)}}
        )
    if not members:
        raise ValidationError({"members": none_message})
    return members


def members_of_branch_by_codes(
    *, actor: Actor, branch: Organization, codes: list[str] | None
) -> list[Member] | None:
    """The branch's assessed members named by ``codes`` (a workflow's attendees, a task's
    assignees), as the actor sees them; None for None (the workflow's default). Codes that
    name no such member are refused together, as one field error."""
    from django.core.exceptions import ValidationError

    if codes is None:
        return None
    wanted = set(codes)
    members = list(branch_assessed_members(actor=actor, branch=branch).filter(code__in=wanted))
    unknown = wanted - {m.code for m in members}
    if unknown:
        raise ValidationError(
            {"members": _("找不到党员：%(codes)s") % {"codes": "、".join(sorted(unknown))}}
        )
    return members


def branch_record_for(
    *, actor: Actor, records: QuerySet[R] | Manager[R], code: str, concerned: str
) -> R | None:
    """A branch workflow's record (a meeting, a task) by its code, when ``actor`` may read
    it: whoever reads its branch, or a member it concerns (``concerned``: the name of its
    rows per member, e.g. a meeting's "attendances"); None otherwise, so the caller answers
    the same 404 for missing and not theirs."""
    record = records.select_related("branch").filter(code=code).first()
    if record is None:
        return None
    branch = record.branch  # type: ignore[attr-defined]
    if scope_for(actor).reads(branch.path):
        return record
    mine = branch_rows_for(actor=actor, branch=branch, rows=getattr(record, concerned).all())
    return record if mine.exists() else None


def branch_rows_for(*, actor: Actor, branch: Organization, rows: QuerySet[R]) -> QuerySet[R]:
    """A branch workflow's rows per member (a meeting's attendances or leave requests, a
    task's assignments): all of them for whoever reads the branch, only the actor's own
    for a member, none for anyone else."""
    scope = scope_for(actor)
    if scope.reads(branch.path):
        return rows
    return rows.filter(member_id=scope.member_id) if scope.member_id is not None else rows.none()


def branch_voters(*, branch: Organization) -> QuerySet[Member]:
    """Members of the branch with voting rights at its general meeting (rules.md §10):
    full members (预备党员 have no vote) whose status keeps them on the roll (active or
    lost contact; not under investigation, transferred out or deceased)."""
    return branch.members.filter(
        membership=Member.Membership.FULL, status__in=Member.assessed_statuses()
    )


def secretaries_by_branch(branch_ids: set[int]) -> dict[int, list[User]]:
    """The active secretaries (书记) of each branch, by branch id, in one query: whom a
    branch's reminders and warnings go to."""
    found: dict[int, list[User]] = {pk: [] for pk in branch_ids}
    for holder in RoleAssignment.objects.filter(
        organization_id__in=branch_ids, role=Role.SECRETARY, user__is_active=True
    ).select_related("user"):
        found[holder.organization_id].append(holder.user)
    return found


# --------------------------------------------------------------------------- roles


def organization_for_roles(*, actor: Actor, code: str) -> Organization:
    """An organisation whose roles page ``actor`` may open: staff who read it (a member's
    own branch is not enough); the same 404 for missing and not theirs."""
    org = Organization.objects.filter(code=code).first()
    if org is None or not scope_for(actor).reads(org.path):
        raise Http404(_("找不到这个党组织。"))
    return org


def roles_held(*, actor: Actor, organization: Organization) -> QuerySet[RoleAssignment]:
    """Roles on ``organization`` and its subtree, for staff who read it (one query)."""
    if not scope_for(actor).reads(organization.path):
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(organization__path__startswith=organization.path)
        .select_related("user", "user__member", "organization")
        .order_by("organization__path", "role", "user__username")
    )


def roles_visible(*, actor: Actor) -> QuerySet[RoleAssignment]:
    """Every role on an organisation ``actor`` reads as staff."""
    scope = scope_for(actor)
    qs = RoleAssignment.objects.select_related("user", "user__member", "organization")
    if not scope.everything:
        qs = qs.filter(under_paths(scope.read_paths, "organization__path"))
    return qs.order_by("organization__path", "role", "user__username")


def role_access_by_id(*, actor: Actor, pk: int) -> RoleAssignment:
    assignment = roles_visible(actor=actor).filter(pk=pk).first()
    if assignment is None:
        raise Http404(_("找不到这项角色授权。"))
    return assignment


def person_for_grant(*, actor: Actor, person: str) -> User | None:
    """The login named by a member code or a username. A committee admin may name anyone;
    others only the logins of members they read. Missing and not theirs look the same."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    scope = scope_for(actor)
    person = person.strip()
    member = Member.objects.select_related("branch", "user").filter(code=person).first()
    if member is not None and scope.reads(member.branch.path):
        if member.user is None:
            raise ValidationError(
                {"person": _("党员 %(member)s 还没有账号，请先为其开通账号。") % {"member": member}}
            )
        return member.user
    user = get_user_model().objects.filter(username=person).first()
    if user is not None:
        if scope.is_scheme_admin:
            return user
        own = Member.objects.filter(user=user).select_related("branch").first()
        if own is not None and scope.reads(own.branch.path):
            return user
    raise ValidationError({"person": _("找不到账号或党员“%(person)s”。") % {"person": person}})
