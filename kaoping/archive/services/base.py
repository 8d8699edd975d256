"""What the archive's writes share: the member row locked, the manager's check, and the
history (a ``MemberChange`` per changed field) of a status change."""

import datetime
import re
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import DEPARTED_STATUSES, Member
from kaoping.orgs.selectors import manage_required
from kaoping.orgs.services import member_login_close

from ..models import (
    MemberChange,
)

Status = Member.Status
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
PHONE = re.compile(r"^\+?[\d\- ]{5,20}$")
DATE_FIELDS = frozenset({"birth_date", "joined_on", "full_member_on"})


_require_manage = partial(manage_required, refusal=gettext_lazy("您无权管理党员 %(member)s。"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _not_future(field: str, label: str, value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("%(f)s不能晚于今天。") % {"f": label}})


def _log(
    member: Member,
    changes: list[tuple[str, str, str]],
    source: str,
    actor: Actor,
    at: datetime.datetime,
) -> None:
    MemberChange.objects.bulk_create(
        MemberChange(
            member=member,
            field=field,
            old=old,
            new=new,
            source=source,
            actor=user_or_none(actor),
            at=at,
        )
        for field, old, new in changes
        if old != new
    )


def _set_status(
    member: Member, status: str, source: str, actor: Actor, at: datetime.datetime
) -> None:
    leaves = status in DEPARTED_STATUSES and member.status not in DEPARTED_STATUSES
    _log(member, [("status", member.status, status)], source, actor, at)
    member.status = status
    member.save(update_fields=["status"])
    if leaves:
        member_login_close(actor=actor, member=member, reason=member.get_status_display())


def _locked(member: Member) -> Member:
    return Member.objects.select_for_update().select_related("branch").get(pk=member.pk)
