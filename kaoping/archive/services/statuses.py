"""A member's status and branch over the year: transfers (组织关系转接), lost contact
(失联), investigation (接受调查), and exemptions from an item (免考)."""

import datetime
from collections.abc import Collection
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import ON_ROLL_STATUSES, Member, Organization
from kaoping.schemes.models import ItemExemption
from kaoping.schemes.services import exemption_set

from ..models import (
    Investigation,
    LostContact,
    MemberChange,
    Transfer,
)
from .base import (
    Status,
    _locked,
    _log,
    _not_future,
    _require_manage,
    _set_status,
)

_Record = TypeVar("_Record", LostContact, Investigation)


def _managed(
    actor: Actor, member: Member, allowed: Collection[str] | None = None, refusal: str = ""
) -> Member:
    """The member's row locked, once the actor may manage them and (``allowed``) their
    status allows the change; ``refusal`` names the member and the status otherwise."""
    member = _locked(member)
    _require_manage(actor, member)
    if allowed is not None and member.status not in allowed:
        raise ValidationError(refusal % {"name": member.name, "s": member.get_status_display()})
    return member


def _required(field: str, text: str, message: str) -> None:
    if not text.strip():
        raise ValidationError({field: message})


def _open(
    actor: Actor, member: Member, model: type[_Record], closed_by: str, refusal: str
) -> tuple[Member, _Record]:
    """The member (``_managed``) and their record still open (``closed_by`` not set), both
    locked; ``refusal`` names the member when there is none."""
    member = _managed(actor, member)
    record = model._default_manager.select_for_update().filter(member=member, **{closed_by: None})
    found = record.first()
    if found is None:
        raise ValidationError(refusal % {"name": member.name})
    return member, found


def _dated(
    field: str, label: str, day: datetime.date, earliest: datetime.date, refusal: str
) -> None:
    """``day`` closes a record that began on ``earliest``: not before it, not in the future."""
    _not_future(field, label, day)
    if day < earliest:
        raise ValidationError({field: refusal})


# --------------------------------------------------------------------------- transfers


@transaction.atomic
def member_transfer(
    *,
    actor: Actor,
    member: Member,
    to_branch: Organization | None,
    date: datetime.date,
    reason: str,
    destination: str = "",
) -> Transfer:
    """Move the member's Party relationship (组织关系转接). The ledger points at the member,
    so it follows them; they are ranked in the branch they belong to on the assessment date.
    With no ``to_branch`` the member leaves the deployment (``destination`` names where)."""
    member = _managed(actor, member, ON_ROLL_STATUSES, _("%(name)s 的状态为“%(s)s”，不能转接。"))
    _required("reason", reason, _("请填写转接原因。"))
    _not_future("date", _("转接日期"), date)
    if to_branch is not None:
        if not to_branch.is_branch:
            raise ValidationError({"to_branch": _("只能转入党支部。")})
        if to_branch.pk == member.branch_id:
            raise ValidationError({"to_branch": _("转入支部与当前支部相同。")})
    elif not destination.strip():
        raise ValidationError({"destination": _("转出本系统时请填写转往单位。")})
    now = timezone.now()
    transfer = Transfer.objects.create(
        member=member,
        from_branch=member.branch,
        to_branch=to_branch,
        destination=destination.strip(),
        date=date,
        reason=reason.strip(),
        actor=user_or_none(actor),
        recorded_at=now,
    )
    source = MemberChange.Source.TRANSFER
    if to_branch is not None:
        old = f"{member.branch.code} {member.branch.name}"
        _log(member, [("branch", old, f"{to_branch.code} {to_branch.name}")], source, actor, now)
        member.branch = to_branch
        member.save(update_fields=["branch"])
    else:
        _set_status(member, Status.TRANSFERRED_OUT, source, actor, now)
    audit_record(
        actor=actor,
        action="archive.transfer",
        target=member,
        before={"branch": transfer.from_branch.code},
        after={
            "branch": to_branch.code if to_branch else None,
            "destination": transfer.destination,
            "date": date.isoformat(),
        },
        note=transfer.reason,
    )
    return transfer


# --------------------------------------------------------------------------- lost contact


@transaction.atomic
def member_lost_contact_mark(
    *, actor: Actor, member: Member, since: datetime.date, efforts: str
) -> LostContact:
    """Mark a member out of contact (失联) from ``since``, with the efforts made to find them."""
    member = _managed(
        actor,
        member,
        {Status.ACTIVE},
        _("只能将状态为“正常”的党员标记为失联（%(name)s 现为“%(s)s”）。"),
    )
    _required("efforts", efforts, _("请填写已采取的查找措施。"))
    _not_future("since", _("失联日期"), since)
    now = timezone.now()
    lost = LostContact.objects.create(
        member=member, since=since, efforts=efforts.strip(), marked_by=user_or_none(actor)
    )
    _set_status(member, Status.LOST_CONTACT, MemberChange.Source.LOST_CONTACT, actor, now)
    audit_record(
        actor=actor,
        action="archive.lost_contact",
        target=member,
        after={"since": since.isoformat()},
        note=lost.efforts,
    )
    return lost


@transaction.atomic
def member_found(
    *, actor: Actor, member: Member, found_on: datetime.date, note: str = ""
) -> LostContact:
    """Record that a lost-contact member was found; they are active again."""
    refusal = _("%(name)s 没有未结束的失联记录。")
    member, lost = _open(actor, member, LostContact, "found_on", refusal)
    _dated("found_on", _("恢复联系日期"), found_on, lost.since, _("恢复联系日期不能早于失联日期。"))
    lost.found_on, lost.found_note, lost.found_by = found_on, note.strip(), user_or_none(actor)
    lost.save()
    now = timezone.now()
    if member.status == Status.LOST_CONTACT:
        _set_status(member, Status.ACTIVE, MemberChange.Source.LOST_CONTACT, actor, now)
    else:  # under investigation meanwhile: the decision will bring them back as active
        Investigation.objects.filter(member=member, decided_on=None).update(
            status_before=Status.ACTIVE
        )
    audit_record(
        actor=actor,
        action="archive.found",
        target=member,
        after={"found_on": found_on.isoformat()},
        note=lost.found_note,
    )
    return lost


# --------------------------------------------------------------------------- investigation


@transaction.atomic
def member_investigation_start(
    *, actor: Actor, member: Member, body: str, started_on: datetime.date
) -> Investigation:
    """A member under investigation is deferred (暂不纳入): not scored, not ranked."""
    member = _managed(
        actor,
        member,
        Member.assessed_statuses(),
        _("%(name)s 的状态为“%(s)s”，不能标记为接受调查。"),
    )
    _required("body", body, _("请填写调查机关。"))
    _not_future("started_on", _("开始调查日期"), started_on)
    investigation = Investigation.objects.create(
        member=member,
        body=body.strip(),
        started_on=started_on,
        status_before=member.status,
        started_by=user_or_none(actor),
    )
    now = timezone.now()
    _set_status(member, Status.UNDER_INVESTIGATION, MemberChange.Source.INVESTIGATION, actor, now)
    audit_record(
        actor=actor,
        action="archive.investigation_start",
        target=member,
        after={"body": investigation.body, "started_on": started_on.isoformat()},
    )
    return investigation


@transaction.atomic
def member_investigation_decide(
    *, actor: Actor, member: Member, decided_on: datetime.date, decision: str
) -> Investigation:
    """Record the decision: the member returns and their year is assessed with the same rules."""
    member, investigation = _open(
        actor, member, Investigation, "decided_on", _("%(name)s 没有未作结论的调查。")
    )
    _required("decision", decision, _("请填写调查结论。"))
    _dated(
        "decided_on",
        _("结论日期"),
        decided_on,
        investigation.started_on,
        _("结论日期不能早于开始调查日期。"),
    )
    investigation.decided_on, investigation.decision = decided_on, decision.strip()
    investigation.decided_by = user_or_none(actor)
    investigation.save()
    now = timezone.now()
    _set_status(member, investigation.status_before, MemberChange.Source.INVESTIGATION, actor, now)
    audit_record(
        actor=actor,
        action="archive.investigation_decide",
        target=member,
        after={"decided_on": decided_on.isoformat()},
        note=investigation.decision,
    )
    return investigation


# --------------------------------------------------------------------------- exemptions


def exemption_add(
    *,
    actor: Actor,
    member: Member,
    item_code: str,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> ItemExemption:
    """Exempt a member from an item (e.g. health, 身体原因) for a period: entries dated
    inside it are refused and do not count. The reason (``exemption_set``) and the first
    day are required."""
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("免考截止日期不能早于起始日期。")})
    return exemption_set(
        actor=actor,
        member=member,
        item_code=item_code,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def exemption_remove(*, actor: Actor, exemption: ItemExemption) -> None:
    """End an exemption: entries for the item count again."""
    _require_manage(actor, exemption.member)
    audit_record(
        actor=actor,
        action="exemption.remove",
        target=exemption.member,
        before={"item": exemption.item_code, "reason": exemption.reason},
    )
    exemption.delete()
