"""What each irreversible step of the round will do, shown before it is confirmed."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.kit.decimals import percent_text
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import Scheme

from ..models import EvaluationRound
from .ballot import turnout, turnout_share, vote_turnout_refusal
from .rounds import Step, round_progress


@dataclass
class Consequences:
    """What an irreversible step of the round will do, shown before it is confirmed."""

    lines: list[str]
    names: list[str] = field(default_factory=list)  # who is missing (never who voted)
    names_label: str = ""
    refusal: str | None = None


def advance_consequences(*, actor: Actor, round_: EvaluationRound) -> Consequences:
    """Moving on closes the current step for good: who has not done it yet, by name."""
    rows = round_progress(actor=actor, round_=round_)
    voters = 0
    if round_.step == Step.SELF:
        missing = [r.member.name for r in rows if r.self_status != "submitted"]
        done = _("自评已提交 %(done)s / %(total)s 人，未提交 %(missing)s 人。")
        closed = _("进入党员互评后，自评不能再提交或修改。")
        label = _("尚未提交自评的党员：")
    elif round_.step == Step.PEER:
        missing = [r.member.name for r in rows if r.peers_given == 0]
        done = _("已评价他人的党员 %(done)s / %(total)s 人，未评价任何人 %(missing)s 人。")
        closed = _("进入书记点评后，互评不能再填写或修改。")
        label = _("尚未评价他人的党员：")
    elif round_.step == Step.SECRETARY:
        missing = [r.member.name for r in rows if not r.commented]
        done = _("书记已点评 %(done)s / %(total)s 人，未点评 %(missing)s 人。")
        closed = _("开始民主测评后，书记点评不能再填写或修改。")
        label = _("尚未点评的党员：")
        if round_.vote_method == EvaluationRound.VoteMethod.ONLINE:
            voters = Member.objects.filter(
                branch=round_.branch, status=Member.Status.ACTIVE
            ).count()
    else:
        return Consequences(lines=[])
    total = len(rows)
    counts = {"done": total - len(missing), "total": total, "missing": len(missing)}
    lines = [done % counts, closed]
    if voters:
        lines.append(_("投票人名单将冻结为本支部 %(n)s 名正式党员。") % {"n": voters})
    return Consequences(lines=lines, names=missing, names_label=label if missing else "")


def close_consequences(*, actor: Actor, round_: EvaluationRound) -> Consequences:
    """Closing the vote ends it for good: turnout as counts only (never who has not voted,
    the ballot is secret), the deadline, and the scheme's minimum turnout."""
    if not scope_for(actor).manages(round_.branch.path):
        raise PermissionDenied(_("只有本支部的书记和支委可以查看。"))
    counts = turnout(round_=round_)
    minimum = Scheme.objects.get(year=round_.year).vote_min_turnout
    lines = [
        _(
            "投票人 %(voters)s 名，已投票 %(used)s 名，投票率 %(share)s；"
            "方案规定的最低投票率 %(minimum)s。"
        )
        % {
            "voters": counts["voters"],
            "used": counts["used"],
            "share": percent_text(turnout_share(counts["used"], counts["voters"])),
            "minimum": percent_text(minimum),
        }
    ]
    deadline = round_.vote_deadline
    if deadline is None:
        lines.append(_("本轮投票未设截止日期。"))
    elif timezone.localdate() <= deadline:
        lines.append(
            _("投票截止日期为 %(date)s，尚未到期；现在截止，尚未投票的党员将不能再投票。")
            % {"date": deadline}
        )
    else:
        lines.append(_("投票截止日期 %(date)s 已过。") % {"date": deadline})
    lines.append(_("截止后选票即封存，不能再投票或重新开放。"))
    return Consequences(lines=lines, refusal=vote_turnout_refusal(round_))


def publish_consequences(*, actor: Actor, round_: EvaluationRound) -> Consequences:
    """Publishing the totals ends the vote for good and starts the determination."""
    if not scope_for(actor).manages(round_.branch.path):
        raise PermissionDenied(_("只有本支部的书记和支委可以查看。"))
    return Consequences(
        lines=[
            _("测评票数计入每名党员的民主测评得分，本轮进入组织认定。"),
            _("公布后不能再投票、计票或改为纸质选票。"),
        ]
    )


# What each of the round's irreversible steps (``services.ROUND_ACTIONS``) will do, shown
# before it is confirmed, by the same names.
ROUND_ACTION_CONSEQUENCES = {
    "advance": advance_consequences,
    "close": close_consequences,
    "publish": publish_consequences,
}
