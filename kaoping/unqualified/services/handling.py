"""What follows a determination (限期改正, 劝退, 除名), and the raised candidates the
branch dismisses or proposes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import Member
from kaoping.orgs.services import member_login_close

from ..models import (
    CandidateDismissal,
    CaseHandling,
    UnqualifiedCase,
)
from ..selectors import candidate_for
from .base import (
    Action,
    Body,
    Stage,
    State,
    _locked,
    _require,
    _step,
)
from .cases import case_propose


@transaction.atomic
def case_handling_record(
    *,
    actor: Actor,
    case: UnqualifiedCase,
    kind: str,
    decided_on: datetime.date,
    due_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    note: str = "",
) -> CaseHandling:
    """The branch records what follows a determination (限期改正, 劝退, 除名)."""
    case = _locked(case)
    _require(actor, case, Body.BRANCH)
    if case.state != State.DETERMINED:
        raise ValidationError(_("只有已认定的案卷才能记录后续处理。"))
    if kind not in CaseHandling.Kind.values:
        raise ValidationError({"kind": _("请选择处理方式。")})
    if kind == CaseHandling.Kind.CORRECTION and due_on is None:
        raise ValidationError({"due_on": _("限期改正须写明改正期限。")})
    if due_on is not None and due_on < decided_on:
        raise ValidationError({"due_on": _("改正期限不能早于决定日期。")})
    if completed_on is not None and completed_on < decided_on:
        raise ValidationError({"completed_on": _("办结日期不能早于决定日期。")})
    handling = CaseHandling.objects.create(
        case=case,
        kind=kind,
        decided_on=decided_on,
        due_on=due_on,
        completed_on=completed_on,
        note=note.strip(),
        recorded_by=user_or_none(actor),
        recorded_at=timezone.now(),
    )
    if kind == CaseHandling.Kind.REMOVAL:  # 除名 of a determined case: the member has left
        member_login_close(actor=actor, member=case.member, reason=handling.get_kind_display())
    _step(
        case,
        actor=actor,
        stage=Stage.HANDLING,
        body=Body.BRANCH,
        action=Action.HANDLING,
        reason=f"{handling.get_kind_display()} {note.strip()}".strip(),
    )
    audit_record(
        actor=actor,
        action="unqualified.handling",
        target=case,
        target_id=case.code,
        after={
            "kind": kind,
            "decided_on": decided_on.isoformat(),
            "due_on": due_on.isoformat() if due_on else None,
            "completed_on": completed_on.isoformat() if completed_on else None,
        },
    )
    return handling


@transaction.atomic
def candidate_dismiss(
    *, actor: Actor, member: Member, year: int, condition: str, reason: str
) -> CandidateDismissal:
    """The branch dismisses a raised candidate with a reason; it stays dismissed for the
    year and condition."""
    member = Member.objects.select_related("branch").get(pk=member.pk)
    _require(actor, member.branch, Body.BRANCH)
    if not reason.strip():
        raise ValidationError({"reason": _("排除候选提示须说明理由。")})
    if CandidateDismissal.objects.filter(member=member, year=year, condition=condition).exists():
        raise ValidationError(_("该候选提示已排除。"))
    dismissal = CandidateDismissal.objects.create(
        member=member,
        year=year,
        condition=condition,
        reason=reason.strip(),
        dismissed_by=user_or_none(actor),
        dismissed_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="unqualified.candidate_dismiss",
        target=dismissal,
        after={"member": member.code, "year": year, "condition": condition},
        note=reason.strip(),
    )
    return dismissal


@transaction.atomic
def candidate_propose(
    *, actor: Actor, member: Member, year: int, condition: str
) -> UnqualifiedCase:
    """One click: the candidate becomes a proposal whose facts are the facts found."""
    candidate = candidate_for(member=member, year=year, condition=condition)
    if candidate is None:
        raise ValidationError(_("该候选提示已不存在（已处理、已排除或数据已变化）。"))
    facts = _("系统根据数据提示（第%(c)s种情形）：") % {"c": condition}
    return case_propose(
        actor=actor,
        member=member,
        condition=condition,
        facts=facts + "\n" + candidate.facts_text,
        year=year,
    )
