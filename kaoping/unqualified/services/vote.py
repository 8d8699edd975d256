"""The branch's general meeting (党员大会) on a case: its counts checked, the outcome
computed with the year's rule (rules.md §10), or the meeting recorded as not held."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.users import user_or_none
from kaoping.orgs.selectors import branch_voters

from ..models import (
    CaseVote,
    UnqualifiedCase,
    VoteBasis,
)
from ..selectors import settings_for
from .base import (
    Action,
    Body,
    Notice,
    Stage,
    State,
    _locked,
    _notify_reviewers,
    _require,
    _step,
    _tell_member,
)


def vote_outcome(
    *, entitled: int, present: int, in_favour: int, against: int, abstaining: int, basis: str
) -> tuple[bool, str]:
    """Whether the vote passes under rules.md §10, and the reason when it does not."""
    vote = CaseVote(
        entitled=entitled,
        present=present,
        in_favour=in_favour,
        against=against,
        abstaining=abstaining,
        basis=basis,
    )
    if not vote.quorate:
        return False, _("到会有表决权党员 %(p)s 人，未超过应到会 %(e)s 人的半数。") % {
            "p": present,
            "e": entitled,
        }
    if not vote.passed:
        whose = _("应到会有表决权党员") if basis == VoteBasis.ENTITLED else _("到会有表决权党员")
        return False, _("赞成 %(f)s 票，未超过%(whose)s %(n)s 人的半数。") % {
            "f": in_favour,
            "whose": whose,
            "n": vote.majority_base,
        }
    return True, ""


@transaction.atomic
def case_vote_record(
    *,
    actor: Actor,
    case: UnqualifiedCase,
    held_on: datetime.date,
    entitled: int,
    present: int,
    in_favour: int,
    against: int,
    abstaining: int,
) -> UnqualifiedCase:
    """The branch records the general meeting's counts; the outcome is computed from them
    with the year's rule: passed → approval, not passed → refused with the reason."""
    case = _locked(case)
    _require(actor, case, Body.BRANCH)
    if case.state != State.VOTE:
        raise ValidationError(
            _("案卷当前处于“%(state)s”，不能记录表决。") % {"state": case.get_state_display()}
        )
    counts = {
        "entitled": entitled,
        "present": present,
        "in_favour": in_favour,
        "against": against,
        "abstaining": abstaining,
    }
    for name, value in counts.items():
        if value is None or value < 0:
            raise ValidationError({name: _("人数须为不小于 0 的整数。")})
    if entitled < 1:
        raise ValidationError({"entitled": _("应到会有表决权党员至少 1 人。")})
    full = branch_voters(branch=case.branch).count()
    if entitled > full:
        raise ValidationError(
            {
                "entitled": _("应到会有表决权党员 %(e)s 人，多于本支部在册正式党员 %(n)s 人。")
                % {"e": entitled, "n": full}
            }
        )
    if present > entitled:
        raise ValidationError(
            {
                "present": _("到会 %(p)s 人，多于应到会有表决权党员 %(e)s 人。")
                % {"p": present, "e": entitled}
            }
        )
    if in_favour + against + abstaining > present:
        raise ValidationError(
            {
                "in_favour": _(
                    "赞成 %(f)s、反对 %(a)s、弃权 %(b)s 合计 %(t)s，多于到会人数 %(p)s。"
                )
                % {
                    "f": in_favour,
                    "a": against,
                    "b": abstaining,
                    "t": in_favour + against + abstaining,
                    "p": present,
                }
            }
        )
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("会议日期不能晚于今天。")})
    basis = settings_for(case.year).vote_basis
    passed, why = vote_outcome(basis=basis, **counts)
    if not CaseVote(basis=basis, **counts).quorate:
        return _vote_not_held(case, actor=actor, held_on=held_on, counts=counts, why=why)
    CaseVote.objects.create(
        case=case,
        held_on=held_on,
        basis=basis,
        recorded_by=user_or_none(actor),
        recorded_at=timezone.now(),
        **counts,
    )
    _step(
        case,
        actor=actor,
        stage=Stage.VOTE,
        body=Body.BRANCH,
        action=Action.VOTE_PASSED if passed else Action.VOTE_FAILED,
        reason=why,
    )
    if passed:
        case.state = State.APPROVAL
        _notify_reviewers(
            case,
            _("%(branch)s 党员大会表决通过对 %(name)s 的处置意见，待审批。")
            % {"branch": case.branch.name, "name": case.member.name},
        )
        _tell_member(case, Notice.VOTED, _("党员大会已表决通过对您的处置意见。"))
    else:
        case.state = State.REFUSED
        case.outcome_reason = why
        case.closed_at = timezone.now()
        _tell_member(case, Notice.VOTED, _("党员大会表决未通过对您的处置意见。"))
    case.save(update_fields=["state", "outcome_reason", "closed_at"])
    audit_record(
        actor=actor,
        action="unqualified.vote",
        target=case,
        target_id=case.code,
        after={**counts, "basis": basis, "passed": passed, "held_on": held_on.isoformat()},
        note=why,
    )
    return case


def _vote_not_held(
    case: Any, *, actor: Actor, held_on: Any, counts: dict, why: str
) -> UnqualifiedCase:
    """Without a quorum the general meeting cannot vote: it is recorded as not held (in
    the history, with the counts) and the case stays at the vote, to be voted on at a
    rescheduled meeting; it is not refused."""
    reason = _("%(day)s 的党员大会%(why)s会议未举行，须另行召开。") % {
        "day": f"{held_on:%Y-%m-%d}",
        "why": why,
    }
    _step(
        case, actor=actor, stage=Stage.VOTE, body=Body.BRANCH, action=Action.NOT_HELD, reason=reason
    )
    audit_record(
        actor=actor,
        action="unqualified.vote_not_held",
        target=case,
        target_id=case.code,
        after={**counts, "held_on": held_on.isoformat()},
        note=reason,
    )
    return case
