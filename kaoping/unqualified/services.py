"""Writes of the unqualified procedure (rules.md §10): propose, pre-review, resubmit, vote,
approve, record the handling; dismiss or propose a raised candidate. Each is one
transaction with its audit row; the case row is locked so two bodies acting at once are
serialised, and the step order is checked here and nowhere else."""

import datetime
from collections.abc import Iterable
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
from kaoping.meetings.selectors import branch_officers
from kaoping.notifications.services import notification_send, notification_send_many
from kaoping.orgs.models import Member, RoleAssignment
from kaoping.orgs.selectors import branch_voters, scope_for
from kaoping.orgs.services import member_login_close
from kaoping.schemes.models import Scheme

from .models import (
    CandidateDismissal,
    CaseEvidence,
    CaseHandling,
    CaseStep,
    CaseVote,
    Condition,
    UnqualifiedCase,
    UnqualifiedSettings,
    VoteBasis,
)
from .selectors import bodies_for, candidate_for, settings_for

State = UnqualifiedCase.State
Body = CaseStep.Body
Stage = CaseStep.Stage
Action = CaseStep.Action
Notice = UnqualifiedCase.Notice
MAX_FILES = 10


def case_link(case: UnqualifiedCase) -> str:
    return f"/unqualified/{case.code}/"


def _require(actor, case_or_branch, body: str) -> None:
    branch = getattr(case_or_branch, "branch", case_or_branch)
    if body not in bodies_for(actor, branch):
        raise PermissionDenied(
            _("您不能以“%(body)s”的身份办理 %(branch)s 的案件。")
            % {"body": Body(body).label, "branch": branch.name}
        )


def _reviewers(body: str) -> list:
    role = (
        RoleAssignment.Role.COMMITTEE_ADMIN
        if body == Body.COMMITTEE
        else RoleAssignment.Role.ORG_DEPARTMENT
    )
    return [ra.user for ra in RoleAssignment.objects.filter(role=role).select_related("user")]


def _tell_member(case: UnqualifiedCase, notice: str, text: str) -> None:
    """The member is told only at the steps the branch chose."""
    if notice in case.notify:
        notification_send(user=case.member.user, text=text)


def _step(
    case: Any, *, actor: Actor, stage: Any, body: Any, action: Any, reason: str = ""
) -> CaseStep:
    return CaseStep.objects.create(
        case=case,
        round=case.round,
        stage=stage,
        body=body,
        action=action,
        actor=user_or_none(actor),
        at=timezone.now(),
        reason=reason.strip(),
    )


def _add_files(case: Any, *, actor: Actor, files: Iterable) -> None:
    for upload in files:
        CaseEvidence.objects.create(
            case=case,
            round=case.round,
            file=upload,
            name=(upload.name or "")[:200],
            uploaded_by=user_or_none(actor),
            uploaded_at=timezone.now(),
        )


def _check_files(files: list) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("一次最多上传 %(n)s 个文件。") % {"n": MAX_FILES}})
    for upload in files:
        evidence_file_check(upload, field="files")


def _locked(case: UnqualifiedCase) -> UnqualifiedCase:
    return (
        UnqualifiedCase.objects.select_for_update(of=("self",))
        .select_related("member__user", "branch")
        .get(pk=case.pk)
    )


def _notify_reviewers(case: UnqualifiedCase, text: str) -> None:
    users = {u.pk: u for b in CaseStep.REVIEW_BODIES for u in _reviewers(b)}
    notification_send_many(users=users.values(), text=text, link=case_link(case))


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
    files = list(files)
    if condition not in Condition.values:
        raise ValidationError({"condition": _("请选择十一种情形之一。")})
    if not facts.strip():
        raise ValidationError({"facts": _("请写明事实。")})
    notify = [n for n in notify if n in Notice.values]
    _check_files(files)
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
    _add_files(case, actor=actor, files=files)
    _step(case, actor=actor, stage=Stage.PROPOSAL, body=Body.BRANCH, action=Action.PROPOSE)
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
    files = list(files)
    if not facts.strip():
        raise ValidationError({"facts": _("请写明事实。")})
    _check_files(files)
    before = {"round": case.round, "facts": case.facts}
    case.round += 1
    case.facts = facts.strip()
    case.state = State.PRE_REVIEW
    case.save(update_fields=["round", "facts", "state"])
    _add_files(case, actor=actor, files=files)
    _step(case, actor=actor, stage=Stage.PROPOSAL, body=Body.BRANCH, action=Action.RESUBMIT)
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
    case: Any, *, actor: Actor, body: Any, stage: Any, approve: bool, reason: str
) -> tuple[UnqualifiedCase, bool]:
    """Shared checks of pre-review and approval: right stage, right body, once per round."""
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
    return case, case.steps.filter(round=case.round, stage=stage, action=Action.APPROVE).exists()


@transaction.atomic
def case_pre_review(
    *, actor: Actor, case: UnqualifiedCase, body: str, approve: bool, reason: str = ""
) -> UnqualifiedCase:
    """The working committee or the organisation department approves the proposal or
    returns it to the branch; with both approvals the case goes to the general meeting."""
    case, other_approved = _review(
        case, actor=actor, body=body, stage=State.PRE_REVIEW, approve=approve, reason=reason
    )
    action = Action.APPROVE if approve else Action.RETURN
    _step(case, actor=actor, stage=Stage.PRE_REVIEW, body=body, action=action, reason=reason)
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


@transaction.atomic
def case_approve(
    *, actor: Actor, case: UnqualifiedCase, body: str, approve: bool, reason: str = ""
) -> UnqualifiedCase:
    """Approval (审批) by the working committee and the organisation department: both
    approve → determined unqualified; either refuses → refused with its reason."""
    case, other_approved = _review(
        case, actor=actor, body=body, stage=State.APPROVAL, approve=approve, reason=reason
    )
    action = Action.APPROVE if approve else Action.REFUSE
    _step(case, actor=actor, stage=Stage.APPROVAL, body=body, action=action, reason=reason)
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


@transaction.atomic
def settings_set(
    *, actor: Actor, year: int, vote_basis: str, absence_months: int, dues_months: int
) -> UnqualifiedSettings:
    """The working committee sets the year's procedure settings."""
    if actor is not None and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以设置不合格党员处置的规则。"))
    scheme = Scheme.objects.get(year=year)
    row, _created = UnqualifiedSettings.objects.get_or_create(scheme=scheme)
    before = {
        "vote_basis": row.vote_basis,
        "absence_months": row.absence_months,
        "dues_months": row.dues_months,
    }
    row.vote_basis = vote_basis
    row.absence_months = absence_months
    row.dues_months = dues_months
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="unqualified.settings",
        target=row,
        before=before,
        after={
            "vote_basis": vote_basis,
            "absence_months": absence_months,
            "dues_months": dues_months,
        },
    )
    return row
