"""Single sign-on: which Kaoping login a directory user signs in as (docs/accounts.md).

The directory has already accepted the password. The user is mapped by the configured
attribute (``KAOPING_LDAP_MATCH``): employee number to ``Member.code``, mobile to the
member's phone in the archive, or username to an existing login. A member without a login
gets one (the password stays in the directory: unusable here); nobody matched gets a
login of their own without member or role (``<name>@ldap``), which shows them whom to
ask. Roles are never created or changed; a deactivated login, a departed member and a
superuser are refused.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace

from kaoping.archive.models import MemberProfile
from kaoping.audit.services import audit_record
from kaoping.orgs.models import DEPARTED_STATUSES, Member
from kaoping.orgs.services import member_link_user

from ..models import AccountPolicy, AccountState

logger = logging.getLogger(__name__)

UNMATCHED_SUFFIX = "@ldap"


@dataclass(frozen=True)
class DirectoryEntry:
    login: str  # the name the user typed, which the directory accepted
    match_value: str  # the value of KAOPING_LDAP_MATCH_ATTRIBUTE
    display_name: str


def _phones(value: str) -> set[str]:
    digits = re.sub(r"\D", "", value)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return {digits, f"+86{digits}", f"86{digits}"} if digits else set()


def _member_for(match: str, value: str) -> Member | None:
    if not value:
        return None
    if match == "employee_number":
        return Member.objects.filter(code=value).first()
    # The archive keeps phones as typed (138-0000-0002, +86 138 0000 0002): compared
    # without spaces and dashes.
    bare = Replace(Replace("phone", Value("-"), Value("")), Value(" "), Value(""))
    profiles = list(
        MemberProfile.objects.annotate(bare=bare)
        .filter(bare__in=_phones(value))
        .values_list("member_id", flat=True)
    )
    if len(set(profiles)) != 1:
        if profiles:
            logger.warning("directory mobile %s matches %d members", value, len(profiles))
        return None
    return Member.objects.get(pk=profiles[0])


def _new_username(member: Member) -> str:
    """The username the deployment's rule gives the member (AccountPolicy)."""
    committee_code = member.branch.path.strip("/").split("/")[0]
    policy = AccountPolicy.objects.filter(committee__code=committee_code).first()
    if policy is not None and policy.username_rule == AccountPolicy.UsernameRule.MOBILE:
        phone = MemberProfile.objects.filter(member=member).values_list("phone", flat=True).first()
        digits = re.sub(r"\D", "", phone or "")
        if digits:
            return digits
    return member.code


def _create_user(username: str, entry: DirectoryEntry) -> User:
    user = User(username=username, first_name=entry.display_name)
    user.set_unusable_password()  # the password lives in the directory
    user.save()
    AccountState.objects.get_or_create(user=user, defaults={"must_change_password": False})
    return user


def _login_for_member(member: Member, entry: DirectoryEntry) -> tuple[User | None, bool]:
    member = Member.objects.select_for_update().select_related("branch").get(pk=member.pk)
    if member.user_id is not None:  # given meanwhile by a concurrent sign-in
        return member.user, False
    username = _new_username(member)
    if User.objects.filter(username=username).exists():
        username = f"{entry.login}{UNMATCHED_SUFFIX}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = _create_user(username, entry)
    elif not user.is_active or Member.objects.filter(user=user).exists():
        return None, False
    member_link_user(actor=None, member=member, user=user)
    return user, True


def _unmatched_login(entry: DirectoryEntry) -> tuple[User, bool]:
    username = f"{entry.login}{UNMATCHED_SUFFIX}"
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    return _create_user(username, entry), True


@transaction.atomic
def directory_sign_in(*, entry: DirectoryEntry) -> AbstractBaseUser | None:
    """The login the directory user ``entry`` signs in as, or None when refused."""
    # Set by config/settings/directory.py, only when a directory is configured.
    match = settings.KAOPING_LDAP_MATCH  # type: ignore[misc]
    member = None
    created = False
    if match == "username":
        user = User.objects.filter(username=entry.match_value).first()
    else:
        user = None
        member = _member_for(match, entry.match_value)
        if member is not None and member.status in DEPARTED_STATUSES:
            audit_record(
                actor=None,
                action="account.directory_refused",
                target=member,
                after={"login": entry.login, "reason": member.status},
            )
            return None
        if member is not None and member.user_id is not None:
            user = member.user
        elif member is not None:
            user, created = _login_for_member(member, entry)
            if user is None:
                return None
    if user is None:
        user, created = _unmatched_login(entry)
    # A deactivated login stays closed; a superuser signs in only with the local password,
    # so no directory account can become one.
    refused = "inactive" if not user.is_active else "superuser" if user.is_superuser else ""
    if refused:
        audit_record(
            actor=None,
            action="account.directory_refused",
            target=user,
            after={"login": entry.login, "reason": refused},
        )
        return None
    audit_record(
        actor=user,
        action="account.directory_create" if created else "account.directory_sign_in",
        target=user,
        after={
            "login": entry.login,
            "match": match,
            "member": member.code if member is not None else None,
        },
    )
    return user
