"""The checks every write of the evaluation makes before it writes: who keeps the branch,
whether the year is still open, which step the round is at, the round locked."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import manage_required, scope_for
from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import year_is_frozen

from ..models import EvaluationRound

Step = EvaluationRound.Step
VoteState = EvaluationRound.VoteState
# ``orgs.selectors.manage_required`` with the evaluation's words.
MEMBER_REFUSAL = gettext_lazy("您无权管理党员 %(member)s 的民主评议。")
BRANCH_REFUSAL = gettext_lazy("您无权管理 %(branch)s 的民主评议。")


def _require_open(year: int, member: Member) -> None:
    if not Scheme.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s 年度还没有考评方案。") % {"year": year}})
    if year_is_frozen(year=year, branch=member.branch):
        raise ValidationError({"year": _("%(year)s 年度结果已定格，不能再修改。") % {"year": year}})


def _members_of(codes: list[str]) -> dict[str, Member]:
    return {m.code: m for m in Member.objects.filter(code__in=codes).select_related("branch")}


def _require_open_many(actor: Actor, year: int, members: Iterable[Member]) -> None:
    """``manage_required`` and ``_require_open`` for a batch of members, in two queries."""
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is None:
        raise ValidationError({"year": _("%(year)s 年度还没有考评方案。") % {"year": year}})
    closed = set(scheme.closings.values_list("branch_id", flat=True))
    for member in members:
        manage_required(actor, member, MEMBER_REFUSAL)
        if scheme.finalised_at is not None or member.branch_id in closed:
            raise ValidationError(
                {
                    "year": _("党员 %(member)s 的 %(year)s 年度结果已定格。")
                    % {"member": member.code, "year": year}
                }
            )


def _require_not_frozen(round_: EvaluationRound) -> None:
    if year_is_frozen(year=round_.year, branch=round_.branch):
        raise ValidationError(_("%(year)s 年度结果已定格，不能再修改。") % {"year": round_.year})


def _require_step(round_: EvaluationRound, step: str) -> None:
    _require_not_frozen(round_)
    if round_.step != step:
        raise ValidationError(
            _("现在是“%(now)s”环节，不能进行“%(step)s”。")
            % {"now": round_.get_step_display(), "step": Step(step).label}
        )
    deadline = round_.deadline_of(step)
    if deadline is not None and timezone.localdate() > deadline:
        raise ValidationError(
            _("“%(step)s”已于 %(date)s 截止。") % {"step": Step(step).label, "date": deadline}
        )


def _require_vote_open(round_: EvaluationRound) -> None:
    _require_not_frozen(round_)
    if round_.vote_method != EvaluationRound.VoteMethod.ONLINE:
        raise ValidationError(_("本支部采用纸质选票，不进行网上投票。"))
    if round_.vote_state == VoteState.NOT_OPEN:
        raise ValidationError(_("投票尚未开始。"))
    if round_.vote_state != VoteState.OPEN:
        raise ValidationError(_("投票已经截止，不再接受选票。"))
    if round_.vote_deadline is not None and timezone.localdate() > round_.vote_deadline:
        raise ValidationError(_("投票已于 %(date)s 截止。") % {"date": round_.vote_deadline})


def _own_member(actor: Actor, round_: EvaluationRound) -> Member:
    member_id = scope_for(actor).member_id
    member = (
        Member.objects.filter(id=member_id, branch=round_.branch).first() if member_id else None
    )
    if member is None:
        raise PermissionDenied(_("您不是 %(branch)s 的党员。") % {"branch": round_.branch.name})

    return member


def _locked(round_: EvaluationRound) -> EvaluationRound:
    return EvaluationRound.objects.select_for_update().select_related("branch").get(pk=round_.pk)


def _locked_to_keep(actor: Actor, round_: EvaluationRound) -> EvaluationRound:
    """The round locked for a write by one who keeps the branch, its year still open."""
    round_ = _locked(round_)
    manage_required(actor, round_.branch, BRANCH_REFUSAL)
    _require_not_frozen(round_)
    return round_
