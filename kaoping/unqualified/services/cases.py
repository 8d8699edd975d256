"""The case from proposal to approval (rules.md §10): the branch proposes (or resubmits a
returned case), the working committee and the organisation department pre-review it, and
after the general meeting's vote approve it or refuse."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.codes import new_code
from kaoping.kit.users import user_or_none
from kaoping.meetings.selectors import branch_officers
from kaoping.notifications.services import notification_send_many
from kaoping.orgs.models import Member

from ..models import (
    CaseStep,
    Condition,
    UnqualifiedCase,
)
from .base import (
    Action,
    Body,
    Notice,
    Stage,
    State,
    _add_files,
    _check_files,
    _locked,
    _notify_reviewers,
    _require,
    _step,
    _tell_member,
    case_link,
)


def _facts_checked(facts: str, files: Iterable[Any]) -> list[Any]:
    """The facts written and the evidence files within the limits; the files as a list."""
    files = list(files)
    if not facts.strip():
        raise ValidationError({"facts": _("请写明事实。")})
    _check_files(files)
    return files


def _submitted(case: UnqualifiedCase, actor: Actor, files: list[Any], action: str) -> None:
    """The branch's proposal recorded (``action``: propose or resubmit): its evidence
    files and its step."""
    _add_files(case, actor=actor, files=files)
    _step(case, actor=actor, stage=Stage.PROPOSAL, body=Body.BRANCH, action=action)


@transaction.atomic
def case_propose(
    *,
    actor: Actor,
    member: Member,
    condition: str,
    facts: str,
    year: int,
    files: Iterable = (),
    notify: Iterable[str] = (),
) -> UnqualifiedCase:
    """The branch proposes (提出拟处置意见) that ``member`` be determined unqualified."""
    member = Member.objects.select_related("branch", "user").get(pk=member.pk)
    _require(actor, member.branch, Body.BRANCH)
    if condition not in Condition.values:
        raise ValidationError({"condition": _("请选择十一种情形之一。")})
    files = _facts_checked(facts, files)
    notify = [n for n in notify if n in Notice.values]
    if UnqualifiedCase.objects.filter(
        member=member, state__in=UnqualifiedCase.OPEN_STATES
    ).exists():
        raise ValidationError(
            {"member": _("%(name)s 已有一件未办结的处置案卷。") % {"name": member.name}}
        )
    case = UnqualifiedCase.objects.create(
        code=new_code("UQ"),
        member=member,
        branch=member.branch,
        year=year,
        condition=condition,
        facts=facts.strip(),
        notify=notify,
        created_at=timezone.now(),
        created_by=user_or_none(actor),
    )
    _submitted(case, actor, files, Action.PROPOSE)
    audit_record(
        actor=actor,
        action="unqualified.propose",
        target=case,
        target_id=case.code,
        after={"member": member.code, "condition": condition, "files": len(files)},
    )
    _notify_reviewers(
        case,
        _("%(branch)s 提出不合格党员处置意见，待预审。") % {"branch": case.branch.name},
    )
    _tell_member(
        case,
        Notice.PROPOSED,
        _("党支部已提出对您按第%(c)s种情形进行处置的意见。") % {"c": condition},
    )
    return case


@transaction.atomic
def case_resubmit(
    *, actor: Actor, case: UnqualifiedCase, facts: str, files: Iterable = ()
) -> UnqualifiedCase:
    """A returned case goes back to pre-review as a new round; earlier rounds are kept."""
    case = _locked(case)
    _require(actor, case, Body.BRANCH)
    if case.state != State.RETURNED:
        raise ValidationError(_("只有被退回的案卷才能重新提交。"))
    files = _facts_checked(facts, files)
    before = {"round": case.round, "facts": case.facts}
    case.round += 1
    case.facts = facts.strip()
    case.state = State.PRE_REVIEW
    case.save(update_fields=["round", "facts", "state"])
    _submitted(case, actor, files, Action.RESUBMIT)
    audit_record(
        actor=actor,
        action="unqualified.resubmit",
        target=case,
        target_id=case.code,
        before=before,
        after={"round": case.round, "files": len(files)},
    )
    _notify_reviewers(
        case, _("%(branch)s 重新提交了处置意见，待预审。") % {"branch": case.branch.name}
    )
    return case


def _review(
    case: UnqualifiedCase,
    *,
    actor: Actor,
    body: str,
    stage: str,
    approve: bool,
    reason: str,
    refusal: str,
) -> tuple[UnqualifiedCase, str, bool]:
    """Shared checks of pre-review and approval (right stage, right body, once per round),
    then the body's step: its action (approve, or ``refusal``) and whether the other body
    approved already this round."""
    case = _locked(case)
    if body not in CaseStep.REVIEW_BODIES:
        raise ValidationError(_("只有区直机关党工委和区委组织部参与预审和审批。"))
    _require(actor, case, body)
    if case.state != stage:
        raise ValidationError(
            _("案卷当前处于“%(state)s”，不能进行%(stage)s。")
            % {"state": case.get_state_display(), "stage": Stage(stage).label}
        )
    if case.steps.filter(round=case.round, stage=stage, body=body).exists():
        raise ValidationError(
            _("%(body)s 本轮已作出%(stage)s意见。")
            % {"body": Body(body).label, "stage": Stage(stage).label}
        )
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("退回或不予批准须说明理由。")})
    other_approved = case.steps.filter(
        round=case.round, stage=stage, action=Action.APPROVE
    ).exists()
    action = Action.APPROVE if approve else refusal
    _step(case, actor=actor, stage=stage, body=body, action=action, reason=reason)
    return case, action, other_approved


@transaction.atomic
def case_pre_review(
    *, actor: Actor, case: UnqualifiedCase, body: str, approve: bool, reason: str = ""
) -> UnqualifiedCase:
    """The working committee or the organisation department approves the proposal or
    returns it to the branch; with both approvals the case goes to the general meeting."""
    case, action, other_approved = _review(
        case, actor=actor, body=body, stage=Stage.PRE_REVIEW, approve=approve, reason=reason,
        refusal=Action.RETURN,
    )  # fmt: skip
    if not approve:
        case.state = State.RETURNED
        notification_send_many(
            users=branch_officers(case.branch),
            text=_("%(body)s 退回了对 %(name)s 的处置意见：%(reason)s")
            % {"body": Body(body).label, "name": case.member.name, "reason": reason.strip()},
            link=case_link(case),
        )
    elif other_approved:
        case.state = State.VOTE
        notification_send_many(
            users=branch_officers(case.branch),
            text=_("对 %(name)s 的处置意见已通过预审，请召开党员大会表决。")
            % {"name": case.member.name},
            link=case_link(case),
        )
        _tell_member(case, Notice.PRE_REVIEWED, _("对您的处置意见已通过预审。"))
    case.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="unqualified.pre_review",
        target=case,
        target_id=case.code,
        after={"body": body, "action": action, "round": case.round, "state": case.state},
        note=reason.strip(),
    )
    return case


@transaction.atomic
def case_approve(
    *, actor: Actor, case: UnqualifiedCase, body: str, approve: bool, reason: str = ""
) -> UnqualifiedCase:
    """Approval (审批) by the working committee and the organisation department: both
    approve → determined unqualified; either refuses → refused with its reason."""
    case, action, other_approved = _review(
        case, actor=actor, body=body, stage=Stage.APPROVAL, approve=approve, reason=reason,
        refusal=Action.REFUSE,
    )  # fmt: skip
    if not approve:
        case.state = State.REFUSED
        case.outcome_reason = reason.strip()
        case.closed_at = timezone.now()
    elif other_approved:
        case.state = State.DETERMINED
        case.closed_at = timezone.now()
    case.save(update_fields=["state", "outcome_reason", "closed_at"])
    if case.state in (State.REFUSED, State.DETERMINED):
        text = (
            _("%(name)s 已被认定为不合格党员。")
            if case.state == State.DETERMINED
            else _("对 %(name)s 的处置意见未获批准：%(reason)s")
        ) % {"name": case.member.name, "reason": case.outcome_reason}
        notification_send_many(users=branch_officers(case.branch), text=text, link=case_link(case))
        _tell_member(
            case,
            Notice.DECIDED,
            _("经审批，您被认定为不合格党员。")
            if case.state == State.DETERMINED
            else _("对您的处置意见未获批准。"),
        )
    audit_record(
        actor=actor,
        action="unqualified.approve",
        target=case,
        target_id=case.code,
        after={"body": body, "action": action, "state": case.state},
        note=reason.strip(),
    )
    return case
