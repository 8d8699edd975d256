"""Passwords: the user's own change (the first login's included), one-time reset codes
issued by the admin or the member's secretary, and closing or reopening a login."""

import hashlib
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.orgs.models import DEPARTED_STATUSES, Member
from kaoping.orgs.selectors import manage_required
from kaoping.orgs.services import member_login_close

from ..models import AccountState, ResetCode

# No 0/O, 1/I/L: a code is read from a screen or a phone call and typed in.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_GROUP = 4


def code_normalise(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())[: CODE_LENGTH * 2]


def code_hash(code: str) -> str:
    return hashlib.sha256(code_normalise(code).encode()).hexdigest()


def _code_new() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


_require_manage = partial(
    manage_required, refusal=gettext_lazy("您无权管理党员 %(member)s 的账号。"), system=False
)


def _login_of(member: Member) -> User:
    user = member.user
    if user is None:
        raise ValidationError(_("%(name)s 还没有登录账号。") % {"name": member.name})
    return user


def _state(user: User) -> AccountState:
    state, _created = AccountState.objects.select_for_update().get_or_create(user=user)
    return state


# --------------------------------------------------------------------------- own password


@transaction.atomic
def password_change_own(*, actor: User, password: str) -> None:
    """The user sets their own password (the form checked the old one and the validators);
    a password given by someone else no longer has to be changed."""
    state = _state(actor)
    first = state.must_change_password
    actor.set_password(password)
    actor.save(update_fields=["password"])
    state.must_change_password = False
    state.password_changed_at = timezone.now()
    state.save(update_fields=["must_change_password", "password_changed_at"])
    audit_record(
        actor=actor,
        action="account.password_change",
        target=actor,
        after={"first_login": first},
    )


# --------------------------------------------------------------------------- reset codes


@transaction.atomic
def reset_code_issue(*, actor: Actor, member: Member) -> str:
    """A one-time code with which the member sets a new password (重置码). Only its hash is
    kept; earlier unused codes of the same login stop working. Returns the code, once."""
    member = Member.objects.select_related("branch", "user").get(pk=member.pk)
    _require_manage(actor, member)
    user = _login_of(member)
    if not user.is_active:
        raise ValidationError(_("%(name)s 的账号已停用，请先恢复。") % {"name": member.name})
    now = timezone.now()
    voided = ResetCode.objects.filter(user=user, used_at=None, expires_at__gt=now).update(
        used_at=now
    )
    code = _code_new()
    expires_at = now + timedelta(hours=settings.KAOPING_RESET_CODE_HOURS)
    ResetCode.objects.create(
        user=user, code_hash=code_hash(code), issued_by=actor, expires_at=expires_at
    )
    audit_record(
        actor=actor,
        action="account.reset_code_issue",
        target=member,
        after={"user": user.get_username(), "expires_at": expires_at.isoformat()},
        note=_("作废此前未用的重置码 %(count)s 个") % {"count": voided} if voided else "",
    )
    return code


class ResetCodeRefused(ValidationError):
    """The code is wrong, used or expired: counted as a failed login (axes)."""


@transaction.atomic
def reset_code_redeem(*, username: str, code: str, password: str) -> User:
    """Set a new password with a reset code. It works once and before it expires; any
    refusal changes nothing. Returns the user, who then logs in as usual."""
    wrong = ResetCodeRefused(_("用户名或重置码不正确。"))
    user = get_user_model()._default_manager.filter(username=username).first()
    if user is None or not code_normalise(code):
        raise wrong
    reset = (
        ResetCode.objects.select_for_update().filter(user=user, code_hash=code_hash(code)).first()
    )
    if reset is None:
        raise wrong
    if reset.used_at is not None:
        raise ResetCodeRefused(_("这个重置码已经用过或已作废，请向管理员或支部书记重新申请。"))
    if reset.expires_at <= timezone.now():
        raise ResetCodeRefused(_("这个重置码已过期，请向管理员或支部书记重新申请。"))
    if not user.is_active:
        raise ResetCodeRefused(_("这个账号已停用，请与管理员联系。"))
    validate_password(password, user)
    now = timezone.now()
    reset.used_at = now
    reset.save(update_fields=["used_at"])
    user.set_password(password)
    user.save(update_fields=["password"])
    state = _state(user)
    state.must_change_password = False
    state.password_changed_at = now
    state.save(update_fields=["must_change_password", "password_changed_at"])
    audit_record(actor=user, action="account.reset_code_redeem", target=user)
    return user


# --------------------------------------------------------------------------- closing a login


@transaction.atomic
def account_deactivate(*, actor: Actor, member: Member, reason: str) -> Member:
    """Close the member's login (停用): they cannot sign in; everything is kept."""
    member = Member.objects.select_related("branch", "user").get(pk=member.pk)
    _require_manage(actor, member)
    user = _login_of(member)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写停用原因。")})
    if not user.is_active:
        raise ValidationError(_("%(name)s 的账号已经停用。") % {"name": member.name})
    member_login_close(actor=actor, member=member, reason=reason)
    return member


@transaction.atomic
def account_reactivate(*, actor: Actor, member: Member) -> Member:
    """Open a closed login again (恢复), unless the member has left."""
    member = Member.objects.select_related("branch", "user").get(pk=member.pk)
    _require_manage(actor, member)
    user = _login_of(member)
    if member.status in DEPARTED_STATUSES:
        raise ValidationError(
            _("%(name)s 的状态为“%(status)s”，不能恢复账号。")
            % {"name": member.name, "status": member.get_status_display()}
        )
    if user.is_active:
        raise ValidationError(_("%(name)s 的账号没有停用。") % {"name": member.name})
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="account.reactivate",
        target=member,
        before={"login_active": False},
        after={"login_active": True},
    )
    return member


@transaction.atomic
def password_reset_by_email_done(*, user: User) -> None:
    """After Django's email reset set the password: the user chose it themselves."""
    state = _state(user)
    state.must_change_password = False
    state.password_changed_at = timezone.now()
    state.save(update_fields=["must_change_password", "password_changed_at"])
    audit_record(actor=user, action="account.password_reset_email", target=user)
