"""Writes of bonus claims: submit (the member, with proof), approve (→ ledger entry with
source claim), refuse (with a reason). One transaction each, audited."""

import datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.codes import new_code
from kaoping.kit.evidence import evidence_file_check
from kaoping.kit.users import user_or_none
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import PlannedEntry, entries_record_for
from kaoping.meetings.selectors import branch_officers
from kaoping.notifications.services import notification_send, notification_send_many
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import SchemeItem
from kaoping.schemes.selectors import refuse_if_frozen

from .models import BonusClaim


def claim_link(claim: BonusClaim) -> str:
    return f"/claims/{claim.code}/"


@transaction.atomic
def claim_submit(
    *,
    actor: Actor,
    item: SchemeItem,
    date: datetime.date,
    description: str,
    proof_text: str = "",
    proof_file: Any = None,
    member: Member | None = None,
) -> BonusClaim:
    """The member (the actor) claims a bonus item with proof (text and/or a file); the
    system (``actor=None``) may enter a paper claim for ``member``."""
    member_id = scope_for(actor).member_id if actor is not None else getattr(member, "id", None)
    if member_id is None:
        raise PermissionDenied(_("只有党员本人可以申报加分。"))
    member = Member.objects.select_related("branch").get(pk=member_id)
    if item.kind != SchemeItem.Kind.BONUS:
        raise ValidationError({"item": _("只能申报加分项目。")})
    if item.scheme.year != date.year:
        raise ValidationError(
            {"date": _("日期须在 %(year)s 年度内。") % {"year": item.scheme.year}}
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("日期不能晚于今天。")})
    refuse_if_frozen(year=date.year, branch=member.branch, field="date")
    if not description.strip():
        raise ValidationError({"description": _("请填写申报事项。")})
    if not proof_text.strip() and proof_file is None:
        raise ValidationError({"proof_text": _("请提供佐证说明或上传佐证文件。")})
    evidence_file_check(proof_file, field="proof_file")
    claim = BonusClaim(
        code=new_code("CL"),
        member=member,
        item=item,
        date=date,
        description=description.strip(),
        proof_text=proof_text.strip(),
        created_at=timezone.now(),
    )
    if proof_file is not None:
        claim.proof_file = proof_file
    claim.full_clean()
    claim.save()
    audit_record(
        actor=actor,
        action="claim.submit",
        target=claim,
        target_id=claim.code,
        after={"member": member.code, "item": item.code, "date": date.isoformat()},
    )
    notification_send_many(
        users=branch_officers(member.branch),
        text=_("%(name)s 申报加分：%(item)s") % {"name": member.name, "item": item.name},
        link=claim_link(claim),
    )
    return claim


def _locked(claim: BonusClaim, actor: Actor) -> BonusClaim:
    claim = (
        BonusClaim.objects.select_for_update(of=("self",))
        .select_related("member__branch", "member__user", "item")
        .get(pk=claim.pk)
    )
    if actor is not None and not scope_for(actor).manages(claim.member.branch.path):
        raise PermissionDenied(_("您无权审核加分申报 %(code)s。") % {"code": claim.code})
    if claim.status != BonusClaim.Status.PENDING:
        raise ValidationError(_("该申报已审核。"))
    refuse_if_frozen(year=claim.date.year, branch=claim.member.branch)
    return claim


def _approved(claim: BonusClaim, actor: Actor, note: str, entry: ScoreEntry) -> None:
    claim.status = BonusClaim.Status.APPROVED
    claim.entry = entry
    claim.decided_by = user_or_none(actor)
    claim.decided_at = timezone.now()
    claim.decision_reason = note.strip()
    claim.full_clean()
    claim.save()


@transaction.atomic
def claim_approve(*, actor: Actor, claim: BonusClaim, note: str = "") -> BonusClaim:
    """Approve: the bonus is recorded in the ledger (source claim), once."""
    claim = _locked(claim, actor)
    evidence = _("加分申报 %(code)s %(link)s") % {"code": claim.code, "link": claim_link(claim)}
    if claim.proof_text:
        evidence = f"{evidence}；{claim.proof_text}"
    entries_record_for(
        actor=actor,
        source=ScoreEntry.Source.CLAIM,
        planned=[
            PlannedEntry(
                member=claim.member,
                item=claim.item,
                date=claim.date,
                note=claim.description,
                evidence=evidence,
                link=partial(_approved, claim, actor, note),
            )
        ],
        action="claim.approve",
        target=claim,
        target_id=claim.code,
        after=lambda entries: {"entry": entries[0].code},
    )
    return claim


@transaction.atomic
def claim_refuse(*, actor: Actor, claim: BonusClaim, reason: str) -> BonusClaim:
    claim = _locked(claim, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("不通过须说明理由。")})
    claim.status = BonusClaim.Status.REFUSED
    claim.decided_by = user_or_none(actor)
    claim.decided_at = timezone.now()
    claim.decision_reason = reason.strip()
    claim.full_clean()
    claim.save()
    audit_record(
        actor=actor, action="claim.refuse", target=claim, target_id=claim.code, note=reason
    )
    notification_send(
        user=claim.member.user,
        text=_("您申报的“%(item)s”未通过：%(reason)s")
        % {"item": claim.item.name, "reason": claim.decision_reason},
        link=claim_link(claim),
    )
    return claim
