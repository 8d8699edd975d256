"""The round of the democratic evaluation (四评一定) and its steps before the vote: opening
it, moving it on, the member's self-evaluation, the peer comments and the secretary's."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.users import user_or_none
from kaoping.notifications.services import notification_send, notification_send_many
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import manage_required
from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import year_is_frozen

from ..models import EvaluationRound, PeerComment, SecretaryComment, SelfEvaluation, VoteRight
from ..selectors import round_candidates
from .checks import (
    BRANCH_REFUSAL,
    Step,
    VoteState,
    _locked_to_keep,
    _own_member,
    _require_step,
)


def _notify_candidates(round_: EvaluationRound, text: str) -> None:
    notification_send_many(
        users=[m.user for m in round_candidates(round_).select_related("user")],
        text=text,
        link=f"/eval/{round_.year}/mine/",
    )


def _require_candidate(round_: EvaluationRound, member: Member) -> None:
    if not round_candidates(round_).filter(pk=member.pk).exists():
        raise ValidationError(_("%(name)s 不在本支部的评议名单上。") % {"name": member.name})


def _own_member_at(actor: Actor, round_: EvaluationRound, step: str) -> Member:
    """The actor's own member record in the round's branch, the round at ``step``."""
    member = _own_member(actor, round_)
    _require_step(round_, step)
    return member


@transaction.atomic
def round_open(
    *,
    actor: Actor,
    branch: Organization,
    year: int,
    anonymous_peer: bool = False,
    vote_method: str = EvaluationRound.VoteMethod.ONLINE,
    self_deadline: datetime.date | None = None,
    peer_deadline: datetime.date | None = None,
    secretary_deadline: datetime.date | None = None,
    vote_deadline: datetime.date | None = None,
) -> EvaluationRound:
    """The secretary opens the year's democratic evaluation of a branch (民主评议)."""
    manage_required(actor, branch, BRANCH_REFUSAL)
    if not branch.is_branch:
        raise ValidationError(_("只有党支部可以开展民主评议。"))
    if not Scheme.objects.filter(year=year).exists():
        raise ValidationError(_("%(year)s 年度还没有考评方案。") % {"year": year})
    if year_is_frozen(year=year, branch=branch):
        raise ValidationError(_("%(year)s 年度结果已定格，不能再修改。") % {"year": year})
    if vote_method not in EvaluationRound.VoteMethod.values:
        raise ValidationError({"vote_method": _("未知的测评方式。")})
    if EvaluationRound.objects.filter(year=year, branch=branch).exists():
        raise ValidationError(_("本支部 %(year)s 年度的民主评议已经开始。") % {"year": year})
    deadlines = {
        "self_deadline": self_deadline,
        "peer_deadline": peer_deadline,
        "secretary_deadline": secretary_deadline,
        "vote_deadline": vote_deadline,
    }
    round_ = EvaluationRound.objects.create(
        year=year,
        branch=branch,
        anonymous_peer=anonymous_peer,
        vote_method=vote_method,
        opened_by=user_or_none(actor),
        **deadlines,
    )
    opened = {
        "year": year,
        "anonymous_peer": anonymous_peer,
        "vote_method": vote_method,
        "deadlines": [str(d) if d else None for d in deadlines.values()],
    }
    audit_record(actor=actor, action="evaluation_round.open", target=branch, after=opened)
    _notify_candidates(round_, _("%(year)s 年度民主评议已开始，请完成党员自评。") % {"year": year})
    return round_


@transaction.atomic
def round_advance(*, actor: Actor, round_: EvaluationRound) -> EvaluationRound:
    """Move to the next step. Entering the vote freezes the voter list (VoteRight rows)."""
    round_ = _locked_to_keep(actor, round_)
    if round_.step == Step.DETERMINATION:
        raise ValidationError(_("已是最后一个环节。"))
    if round_.step == Step.VOTE:
        raise ValidationError(_("民主测评须在公布票数后才进入组织认定。"))
    if round_.step == Step.SECRETARY and round_.vote_method == EvaluationRound.VoteMethod.ONLINE:
        raise ValidationError(
            _("网上投票须在开始时指定监票人：请通过“开始民主测评（指定监票人）”进入民主测评。")
        )
    return _advance(actor=actor, round_=round_)


def _advance(*, actor: Actor, round_: EvaluationRound) -> EvaluationRound:
    """The step change itself (the caller holds the lock and has checked the actor)."""
    before = round_.step
    round_.step = round_.STEP_ORDER[round_.step_index + 1]
    if round_.step == Step.VOTE:
        round_.vote_state = VoteState.OPEN
    round_.save(update_fields=["step", "vote_state"])
    voters = 0
    if round_.step == Step.VOTE and round_.vote_method == EvaluationRound.VoteMethod.ONLINE:
        members = list(Member.objects.filter(branch=round_.branch, status=Member.Status.ACTIVE))
        VoteRight.objects.bulk_create([VoteRight(round=round_, member=m) for m in members])
        voters = len(members)
    audit_record(
        actor=actor,
        action="evaluation_round.advance",
        target=round_,
        before={"step": before},
        after={"step": round_.step, "voters": voters},
    )
    _notify_candidates(
        round_,
        _("%(year)s 年度民主评议进入“%(step)s”环节。")
        % {"year": round_.year, "step": round_.get_step_display()},
    )
    return round_


@transaction.atomic
def self_evaluation_save(
    *,
    actor: Actor,
    round_: EvaluationRound,
    problems: str,
    causes: str,
    measures: str,
    submit: bool,
) -> SelfEvaluation:
    """党员自评: saved as a draft, then submitted (after which it no longer changes)."""
    member = _own_member_at(actor, round_, Step.SELF)
    current = SelfEvaluation.objects.select_for_update().filter(round=round_, member=member).first()
    if current is not None and current.status == SelfEvaluation.Status.SUBMITTED:
        raise ValidationError(_("自评已提交，不能再修改。"))
    if submit and not (problems.strip() and causes.strip() and measures.strip()):
        raise ValidationError(_("提交前请填写查找的问题、原因分析和整改措施。"))
    now = timezone.now()
    evaluation, _created = SelfEvaluation.objects.update_or_create(
        round=round_,
        member=member,
        defaults={
            "problems": problems,
            "causes": causes,
            "measures": measures,
            "status": SelfEvaluation.Status.SUBMITTED if submit else SelfEvaluation.Status.DRAFT,
            "updated_at": now,
            "submitted_at": now if submit else None,
        },
    )
    audit_record(
        actor=actor,
        action="self_evaluation.submit" if submit else "self_evaluation.save",
        target=evaluation,
        after={"member": member.code, "year": round_.year, "status": evaluation.status},
    )
    return evaluation


@transaction.atomic
def peer_comment_save(
    *,
    actor: Actor,
    round_: EvaluationRound,
    subject: Member,
    strengths: str,
    shortcomings: str,
    suggestions: str,
) -> PeerComment:
    """党员互评: one member comments on another member of the branch, never on oneself."""
    author = _own_member_at(actor, round_, Step.PEER)
    if subject.pk == author.pk:
        raise ValidationError(_("不能评价自己。"))
    _require_candidate(round_, subject)
    if not (strengths.strip() or shortcomings.strip() or suggestions.strip()):
        raise ValidationError(_("请至少填写一项评价。"))
    comment, created = PeerComment.objects.update_or_create(
        round=round_,
        author=author,
        subject=subject,
        defaults={
            "strengths": strengths,
            "shortcomings": shortcomings,
            "suggestions": suggestions,
            "updated_at": timezone.now(),
        },
    )
    names = {"author": author.code, "subject": subject.code, "year": round_.year}
    audit_record(actor=actor, action="peer_comment.save", target=comment, after=names)
    if created:
        notification_send(
            user=subject.user,
            text=_("您收到一条党员互评意见。"),
            link=f"/eval/{round_.year}/mine/",
        )
    return comment


@transaction.atomic
def secretary_comment_save(
    *, actor: Actor, round_: EvaluationRound, member: Member, comment: str, requirements: str
) -> SecretaryComment:
    """书记点评: the secretary's comment on one member, with requirements for correction."""
    manage_required(actor, round_.branch, BRANCH_REFUSAL)
    _require_step(round_, Step.SECRETARY)
    _require_candidate(round_, member)
    if not comment.strip():
        raise ValidationError({"comment": _("请填写点评意见。")})
    row, _created = SecretaryComment.objects.update_or_create(
        round=round_,
        member=member,
        defaults={
            "written_by": user_or_none(actor),
            "comment": comment,
            "requirements": requirements,
            "updated_at": timezone.now(),
        },
    )
    names = {"member": member.code, "year": round_.year}
    audit_record(actor=actor, action="secretary_comment.save", target=row, after=names)
    notification_send(
        user=member.user,
        text=_("书记对您的点评已发布，请查看整改要求。"),
        link=f"/eval/{round_.year}/mine/",
    )
    return row
