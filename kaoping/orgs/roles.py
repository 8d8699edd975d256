"""Granting and revoking roles (角色授权, rules.md §1).

Who may grant (and revoke) what:

- a committee admin: every role, on every organisation under their own; the committee
  admin and the organisation department reviewer only on the committee (the root);
- a branch secretary: only 支委 (branch committee member), within their own branch or
  subtree (the secretary personally: a 支委 cannot make further 支委);
- nobody else (``PermissionDenied``, nothing changed).

The last committee admin cannot be removed, and a user cannot revoke their own last
committee admin role. Each grant and revocation is one audit row (the person's roles
before and after) and a notification to the person, in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.audit.services import audit_record
from kaoping.notifications.services import notification_send

from .models import Organization, RoleAssignment
from .selectors import scope_for

Role = RoleAssignment.Role
# Roles that cover the whole deployment: held on the committee (the root) only.
ROOT_ROLES = (Role.COMMITTEE_ADMIN, Role.ORG_DEPARTMENT)
# Roles held on a party committee, general branch or branch (and its subtree).
BRANCH_ROLES = (Role.SECRETARY, Role.BRANCH_COMMITTEE)
# Granted and revoked with a supervision group's membership (the group's page), not alone.
GROUP_ROLES = (Role.SUPERVISOR,)
ROLE_LINK = "/account/"


def _covers(paths, path: str) -> bool:
    return any(path.startswith(p) for p in paths)


def secretary_paths(actor) -> tuple[str, ...]:
    """The organisations ``actor`` is secretary of (not 支委), cached on the user object."""
    cached = getattr(actor, "_kaopingsecretary_paths", None)
    if cached is None:
        cached = tuple(
            RoleAssignment.objects.filter(user=actor, role=Role.SECRETARY).values_list(
                "organization__path", flat=True
            )
        )
        actor._kaopingsecretary_paths = cached
    return cached


def may_grant(actor, organization: Organization, role: str) -> bool:
    """Whether ``actor`` may grant or revoke ``role`` on ``organization``."""
    if actor is None:
        return True
    scope = scope_for(actor)
    if scope.everything or _covers(scope.admin_paths, organization.path):
        return True
    return role == Role.BRANCH_COMMITTEE and _covers(secretary_paths(actor), organization.path)


def roles_offered(*, actor, organization: Organization) -> list[str]:
    """The roles ``actor`` may grant on ``organization`` from its roles page (in the order
    of ``Role``): those that belong there and that the actor may grant, supervisors aside."""
    fit = ROOT_ROLES if organization.parent_id is None else BRANCH_ROLES
    return [r for r in fit if may_grant(actor, organization, r)]


def role_grant_check(actor, organization: Organization, role: str) -> None:
    """``PermissionDenied`` unless ``actor`` may grant or revoke ``role`` there."""
    if not may_grant(actor, organization, role):
        raise PermissionDenied(
            _("您无权在 %(org)s 授予或撤销“%(role)s”角色。")
            % {"org": organization.name, "role": Role(role).label}
        )


def _require_fits(organization: Organization, role: str) -> None:
    if role in ROOT_ROLES and organization.parent_id is not None:
        raise ValidationError(
            {"role": _("“%(role)s”只能在机关工委授予。") % {"role": Role(role).label}}
        )
    if role in BRANCH_ROLES and organization.parent_id is None:
        raise ValidationError(
            {
                "role": _("“%(role)s”须授予在党委、党总支或党支部，不能授予在机关工委。")
                % {"role": Role(role).label}
            }
        )


def _roles_of(user) -> list[str]:
    """The user's roles as ``role@ORG`` (what the audit row keeps before and after)."""
    return sorted(
        f"{role}@{code}"
        for role, code in RoleAssignment.objects.filter(user=user).values_list(
            "role", "organization__code"
        )
    )


def _forget_scope(user) -> None:
    for attr in ("_kaoping_scope", "_kaopingsecretary_paths"):
        user.__dict__.pop(attr, None)


def _roles_changed(user, text: str) -> None:
    """After a grant or a revocation: the person is told, and the scope cached on their
    user object is dropped, so the change applies at once."""
    notification_send(user=user, text=text, link=ROLE_LINK)
    _forget_scope(user)


@transaction.atomic
def role_grant(*, actor, user, organization: Organization, role: str) -> RoleAssignment:
    """Give ``user`` the ``role`` over ``organization`` and its subtree."""
    if role not in Role.values:
        raise ValidationError({"role": _("没有这个角色。")})
    role_grant_check(actor, organization, role)
    _require_fits(organization, role)
    if not user.is_active:
        raise ValidationError({"user": _("账号 %(user)s 已停用。") % {"user": user.username}})
    if RoleAssignment.objects.filter(user=user, organization=organization, role=role).exists():
        raise ValidationError(
            {
                "role": _("%(user)s 已经是 %(org)s 的%(role)s。")
                % {"user": user.username, "org": organization.name, "role": Role(role).label}
            }
        )
    before = _roles_of(user)
    assignment = RoleAssignment.objects.create(user=user, organization=organization, role=role)
    audit_record(
        actor=actor,
        action="role.grant",
        target=assignment,
        before={"user": user.username, "roles": before},
        after={"user": user.username, "roles": _roles_of(user)},
    )
    _roles_changed(
        user,
        _("您已被授予 %(org)s 的“%(role)s”角色。")
        % {"org": organization.name, "role": Role(role).label},
    )
    return assignment


def _require_not_last_admin(actor, assignment: RoleAssignment, lock: bool = True) -> None:
    admins = RoleAssignment.objects.filter(role=Role.COMMITTEE_ADMIN, user__is_active=True)
    if lock:  # two admins revoking each other at once: the second waits and is refused
        admins = admins.select_for_update(of=("self",))
    admins = list(admins.values_list("pk", "user_id"))
    others = [(pk, uid) for pk, uid in admins if pk != assignment.pk]
    if not others:
        raise ValidationError(
            _("%(user)s 是最后一位机关工委管理员，不能撤销；请先授予另一人该角色。")
            % {"user": assignment.user.username}
        )
    own = actor is not None and actor.pk == assignment.user_id
    if own and not any(uid == actor.pk for _pk, uid in others):
        raise ValidationError(_("您不能撤销自己唯一的机关工委管理员角色；请由另一位管理员办理。"))


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    """Take a role away (the person keeps their other roles and their records)."""
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "organization")
        .get(pk=assignment.pk)
    )
    org, role, user = assignment.organization, assignment.role, assignment.user
    role_grant_check(actor, org, role)
    if role == Role.COMMITTEE_ADMIN:
        _require_not_last_admin(actor, assignment)
    before = _roles_of(user)
    audit_record(
        actor=actor,
        action="role.revoke",
        target=assignment,
        before={"user": user.username, "roles": before},
        after={
            "user": user.username,
            "roles": [r for r in before if r != f"{role}@{org.code}"],
        },
    )
    assignment.delete()
    _roles_changed(
        user,
        _("您在 %(org)s 的“%(role)s”角色已被撤销。") % {"org": org.name, "role": Role(role).label},
    )


def role_revoke_refusal(*, actor, assignment: RoleAssignment) -> str:
    """Why revoking ``assignment`` would be refused now (shown before asking), or ""."""
    if assignment.role != Role.COMMITTEE_ADMIN:
        return ""
    try:
        _require_not_last_admin(actor, assignment, lock=False)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def role_revoke_consequences(*, assignment: RoleAssignment) -> list[str]:
    """What revoking ``assignment`` does, for its confirmation page."""
    org, user = assignment.organization, assignment.user
    label = Role(assignment.role).label
    lines = [
        _("%(user)s 将不再是 %(org)s 的%(role)s。")
        % {"user": user.username, "org": org.name, "role": label}
    ]
    if assignment.role in (Role.SECRETARY, Role.BRANCH_COMMITTEE, Role.COMMITTEE_ADMIN):
        lines.append(
            _("除其他角色外，%(user)s 不能再管理 %(org)s 及其下级组织的名册、台账和评议。")
            % {"user": user.username, "org": org.name}
        )
    lines.append(_("%(user)s 会收到一条通知；这次撤销记入审计日志。") % {"user": user.username})
    return lines
