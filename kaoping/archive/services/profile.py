"""The member's basic information (基本信息): checked, changed field by field with the old
value kept."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.orgs.models import Member

from ..masking import is_masked_copy
from ..models import (
    PROFILE_FIELDS,
    MemberChange,
    MemberProfile,
)
from .base import (
    DATE_FIELDS,
    ID_NUMBER,
    PHONE,
    _locked,
    _log,
    _require_manage,
    _text,
)


def profile_clean(values: dict) -> dict:
    """Normalise and check the profile fields; errors name the field in Chinese."""
    cleaned: dict[str, Any] = {}
    for field in PROFILE_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if isinstance(value, str):
            value = value.strip()
        if field in DATE_FIELDS:
            value = value or None
        cleaned[field] = value if value is not None else (None if field in DATE_FIELDS else "")
    if cleaned.get("id_number"):
        cleaned["id_number"] = cleaned["id_number"].upper()
        if not ID_NUMBER.match(cleaned["id_number"]):
            raise ValidationError({"id_number": _("公民身份号码应为18位（最后一位可为X）。")})
    if cleaned.get("phone") and not PHONE.match(cleaned["phone"]):
        raise ValidationError({"phone": _("联系电话只能包含数字、空格、“-”和“+”。")})
    if cleaned.get("gender") not in (None, "", *MemberProfile.Gender.values):
        raise ValidationError({"gender": _("性别应为“男”或“女”。")})
    return cleaned


def _profile_apply(
    *, actor: Actor, member: Member, values: dict, source: str, at: datetime.datetime
) -> list[tuple[str, str, str]]:
    """Set the given fields (and ``name``/``membership``), log each change; no audit row."""
    profile, _created = MemberProfile.objects.select_for_update().get_or_create(member=member)
    values = {
        f: v
        for f, v in values.items()
        if not (isinstance(v, str) and is_masked_copy(f, v.strip(), getattr(profile, f, "")))
    }
    changes = []
    for field, value in profile_clean(values).items():
        old = getattr(profile, field)
        if _text(old) != _text(value):
            changes.append((field, _text(old), _text(value)))
            setattr(profile, field, value)
    if profile.joined_on and profile.full_member_on and profile.full_member_on < profile.joined_on:
        raise ValidationError({"full_member_on": _("转正日期不能早于入党日期。")})
    profile.full_clean()
    profile.save()
    member_changes = []
    for field in ("name", "membership"):
        if field in values and values[field] and values[field] != getattr(member, field):
            member_changes.append((field, getattr(member, field), values[field]))
            setattr(member, field, values[field])
    if member_changes:
        member.full_clean(validate_unique=False)
        member.save(update_fields=["name", "membership"])
    changes = member_changes + changes
    _log(member, changes, source, actor, at)
    return changes


@transaction.atomic
def member_profile_update(
    *, actor: Actor, member: Member, values: dict
) -> list[tuple[str, str, str]]:
    """Change a member's basic information; every changed field is kept with its old value."""
    member = _locked(member)
    _require_manage(actor, member)
    source, now = MemberChange.Source.EDIT, timezone.now()
    changes = _profile_apply(actor=actor, member=member, values=values, source=source, at=now)
    if changes:
        audit_record(
            actor=actor,
            action="archive.profile_update",
            target=member,
            after={"fields": [f for f, _o, _n in changes]},
        )
    return changes
