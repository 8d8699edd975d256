"""Issuing logins (开通账号): a Django user per member, a one-time initial password from
``secrets`` stored only hashed, and a batch of account slips whose passwords stay sealed
until each format has been downloaded once."""

import datetime
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor, ProgressFn
from kaoping.audit.services import audit_record, audit_record_many
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import DEPARTED_STATUSES, Member, Organization
from kaoping.orgs.selectors import manage_required, scope_for

from ..models import AccountPolicy, AccountState, SlipBatch, SlipLine
from ..seal import passwords_seal, passwords_unseal
from ..selectors import username_rule_for

ISSUE_MAX = 2000
# No 0/O, 1/l/I: read from paper and typed by hand.
ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
PASSWORD_LENGTH = 12


def initial_password() -> str:
    """A password of the unambiguous alphabet with a letter and a digit, that passes the
    deployment's password validators."""
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))
        if not (any(c.isdigit() for c in password) and any(c.isalpha() for c in password)):
            continue
        try:
            validate_password(password)
        except ValidationError:
            continue
        return password


def _hashes(passwords: list[str], progress: ProgressFn = None) -> list[str]:
    """Hashing is slow by design (PBKDF2, Argon2) and releases the GIL: a few threads.
    ``progress(done, total)`` hears of each hash (a background job's progress bar)."""
    total = len(passwords)
    if progress is not None:
        progress(0, total, _("正在生成初始密码"))
    if total < 8:
        return [make_password(p) for p in passwords]
    hashed: list[str] = []
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        for one in pool.map(make_password, passwords):
            hashed.append(one)
            if progress is not None:
                progress(len(hashed))
    return hashed


def _names(members: list[Member]) -> str:
    return "、".join(f"{m.name}（{m.code}）" for m in members)


_require_manage = partial(manage_required, refusal=gettext_lazy("您无权管理 %(org)s。"))


def logins_candidates(
    *, actor: Actor, organization: Organization, member_codes: list[str] | None = None
) -> list[Member]:
    """The members a login would be issued to, checked: in ``organization`` (a branch or a
    subtree the actor manages), still on the roll, without a login. Selected codes that
    fail a check are refused by name."""
    _require_manage(actor, organization)
    under = Member.objects.select_related("branch", "profile").filter(
        branch__path__startswith=organization.path
    )
    if member_codes is None:
        members = list(
            under.filter(user__isnull=True).exclude(status__in=DEPARTED_STATUSES).order_by("code")
        )
    else:
        codes = list(dict.fromkeys(member_codes))
        if len(codes) > ISSUE_MAX:
            raise ValidationError(_("一次最多为 %(max)s 名党员开通账号。") % {"max": ISSUE_MAX})
        members = list(under.filter(code__in=codes).order_by("code"))
        found = {m.code for m in members}
        strangers = [c for c in codes if c not in found]
        if strangers:
            raise ValidationError(
                _("%(codes)s 不是 %(org)s 的党员。")
                % {"codes": "、".join(strangers), "org": organization.name}
            )
        gone = [m for m in members if m.status in DEPARTED_STATUSES]
        if gone:
            raise ValidationError(
                _("%(names)s 已转出或去世，不能开通账号。") % {"names": _names(gone)}
            )
        having = [m for m in members if m.user_id is not None]
        if having:
            raise ValidationError(_("%(names)s 已有账号。") % {"names": _names(having)})
    if not members:
        raise ValidationError(_("%(org)s 没有需要开通账号的党员。") % {"org": organization.name})
    if len(members) > ISSUE_MAX:
        raise ValidationError(
            _("一次最多为 %(max)s 名党员开通账号，请按支部分批开通。") % {"max": ISSUE_MAX}
        )
    return members


def _phone(member: Member) -> str:
    profile = getattr(member, "profile", None)
    raw = profile.phone if profile is not None else ""
    return "".join(c for c in raw if c not in " -")


def _usernames(members: list[Member], rule: str) -> list[str]:
    if rule == AccountPolicy.UsernameRule.MOBILE:
        missing = [m for m in members if not _phone(m)]
        if missing:
            raise ValidationError(
                _("%(names)s 没有登记手机号码，不能用手机号码作用户名。")
                % {"names": _names(missing)}
            )
        usernames = [_phone(m) for m in members]
    else:
        usernames = [m.code for m in members]
    seen: dict[str, Member] = {}
    twice = []
    for member, username in zip(members, usernames, strict=True):
        if username in seen:
            twice += [seen[username], member]
        seen[username] = member
    if twice:
        raise ValidationError(
            _("%(names)s 的用户名（手机号码）相同。")
            % {"names": _names(list(dict.fromkeys(twice)))}
        )
    taken = set(
        get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    if taken:
        clash = [m for m, u in zip(members, usernames, strict=True) if u in taken]
        raise ValidationError(_("%(names)s 的用户名已被其他账号使用。") % {"names": _names(clash)})
    return usernames


@dataclass(frozen=True)
class IssuedLogin:
    member: Member
    username: str
    password: str


def slip_batches_expired_erase() -> int:
    """Erase the seal of every batch past its expiry (the slips then show no password)."""
    return SlipBatch.objects.filter(sealed__isnull=False, expires_at__lte=timezone.now()).update(
        sealed=None
    )


def logins_issue(
    *,
    actor: Actor,
    organization: Organization,
    member_codes: list[str] | None = None,
    handed_over: bool = False,
    progress: ProgressFn = None,
) -> SlipBatch:
    """Create the logins of ``organization``'s members without one (or of ``member_codes``),
    all or none. The passwords are sealed into the batch for the slips' downloads, or, with
    ``handed_over`` (the API's answer, the command's file), given to the caller only (the
    batch then keeps no seal). The returned batch carries them as ``issued``, once.

    The slow part, hashing, runs before the transaction (no lock held for minutes, and a
    job's ``progress`` is seen while it runs); the transaction then checks that the list of
    members is still the one the passwords were made for."""
    planned = logins_candidates(actor=actor, organization=organization, member_codes=member_codes)
    _usernames(planned, username_rule_for(organization))  # refuse early, before hashing
    passwords = [initial_password() for _ in planned]
    hashes = _hashes(passwords, progress)
    return _logins_write(
        actor=actor,
        organization=organization,
        member_codes=member_codes,
        handed_over=handed_over,
        planned=planned,
        passwords=passwords,
        hashes=hashes,
    )


@transaction.atomic
def _logins_write(
    *,
    actor: Actor,
    organization: Organization,
    member_codes: list[str] | None,
    handed_over: Any,
    planned: Any,
    passwords: list[str],
    hashes: list[str],
) -> SlipBatch:
    # Two officers issuing for one branch at once: the second waits here, then finds the
    # logins made (and refuses: its list changed).
    list(
        Member.objects.select_for_update(of=("self",))
        .filter(branch__path__startswith=organization.path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    members = logins_candidates(actor=actor, organization=organization, member_codes=member_codes)
    if [m.pk for m in members] != [m.pk for m in planned]:
        raise ValidationError(
            _("开通账号期间 %(org)s 的党员名单有变化（可能有人同时开通了账号），请刷新后重试。")
            % {"org": organization.name}
        )
    usernames = _usernames(members, username_rule_for(organization))
    User = get_user_model()  # noqa: N806
    try:
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(username=username, first_name=member.name[:150], password=hashed)
                    for member, username, hashed in zip(members, usernames, hashes, strict=True)
                ]
            )
    except IntegrityError as exc:  # a username taken meanwhile by another action
        raise ValidationError(_("有用户名刚被其他账号占用，请重试。")) from exc
    AccountState.objects.bulk_create(
        [AccountState(user=user, must_change_password=True) for user in users]
    )
    for member, user in zip(members, users, strict=True):
        member.user = user
    Member.objects.bulk_update(members, ["user"])
    slip_batches_expired_erase()
    now = timezone.now()
    batch = SlipBatch.objects.create(
        organization=organization,
        issued_by=user_or_none(actor),
        sealed=None
        if handed_over
        else passwords_seal({m.code: p for m, p in zip(members, passwords, strict=True)}),
        expires_at=now + datetime.timedelta(minutes=settings.KAOPING_SLIP_TTL_MINUTES),
    )
    SlipLine.objects.bulk_create(
        [
            SlipLine(batch=batch, member=member, username=username)
            for member, username in zip(members, usernames, strict=True)
        ]
    )
    audit_record_many(
        actor=actor,
        action="member.link_user",
        rows=[
            (member, {"user": None}, {"user": username})
            for member, username in zip(members, usernames, strict=True)
        ],
    )
    audit_record(
        actor=actor,
        action="accounts.logins_issue",
        target=batch,
        after={
            "organization": organization.code,
            "count": len(members),
            "members": [m.code for m in members],
            "handed_over": handed_over,
        },
    )
    batch.issued = [
        IssuedLogin(member=m, username=u, password=p)
        for m, u, p in zip(members, usernames, passwords, strict=True)
    ]
    return batch


@transaction.atomic
def account_policy_set(
    *, actor: Actor, committee: Organization, username_rule: str
) -> AccountPolicy:
    """Choose how usernames are made (member code or mobile number); committee admins."""
    if actor is not None and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以设置账号规则。"))
    if username_rule not in AccountPolicy.UsernameRule.values:
        raise ValidationError({"username_rule": _("请选择用户名规则。")})
    policy, _created = AccountPolicy.objects.select_for_update().get_or_create(committee=committee)
    before = {"username_rule": policy.username_rule}
    policy.username_rule = username_rule
    policy.save(update_fields=["username_rule"])
    audit_record(
        actor=actor,
        action="accounts.policy_set",
        target=policy,
        before=before,
        after={"username_rule": username_rule},
    )
    return policy


@dataclass(frozen=True)
class Slip:
    name: str
    code: str
    branch: str
    username: str
    password: str | None  # None: already handed out, not shown again


@transaction.atomic
def slips_open(*, actor: Actor, batch: SlipBatch, kind: str) -> list[Slip]:
    """The slips of ``batch`` for one download (``kind``: "pdf" or "xlsx"). The first
    download of each kind, before the expiry, shows the passwords; once both kinds are
    downloaded or the batch expired, the seal is erased and the slips show none."""
    if kind not in {"pdf", "xlsx"}:
        raise ValueError(kind)
    batch = SlipBatch.objects.select_for_update().select_related("organization").get(pk=batch.pk)
    _require_manage(actor, batch.organization)
    now = timezone.now()
    stamp = f"{kind}_downloaded_at"
    first = getattr(batch, stamp) is None
    passwords = passwords_unseal(batch.sealed) if first and batch.expires_at > now else {}
    if first:
        setattr(batch, stamp, now)
    if batch.sealed is not None and (
        batch.expires_at <= now or (batch.pdf_downloaded_at and batch.xlsx_downloaded_at)
    ):
        batch.sealed = None
    batch.save(update_fields=[stamp, "sealed"])
    lines = list(batch.lines.select_related("member__branch").order_by("member__code"))
    audit_record(
        actor=actor,
        action="accounts.slips_download",
        target=batch,
        after={"kind": kind, "passwords_shown": bool(passwords), "count": len(lines)},
    )
    return [
        Slip(
            name=line.member.name,
            code=line.member.code,
            branch=line.member.branch.name,
            username=line.username,
            password=passwords.get(line.member.code),
        )
        for line in lines
    ]
