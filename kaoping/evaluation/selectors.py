"""Reads of the democratic evaluation, scoped by the actor. Nothing here ever returns
which voter cast which ballot: turnout and totals are separate reads."""

import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.kit.decimals import percent_text
from kaoping.kit.steps import Step as ShownStep
from kaoping.kit.steps import steps_at
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import branch_for_staff, member_access_by_code, own_member, scope_for
from kaoping.schemes.models import Scheme

from .models import (
    CountedReceipt,
    EvaluationRound,
    PaperCode,
    PeerComment,
    SealedBallot,
    SecretaryComment,
    SelfEvaluation,
    VoteRight,
    VoteTally,
)

Step = EvaluationRound.Step
VoteState = EvaluationRound.VoteState
ASSESSED = Member.assessed_statuses()


def round_of(*, branch: Organization, year: int) -> EvaluationRound | None:
    return EvaluationRound.objects.filter(branch=branch, year=year).select_related("branch").first()


def round_for_staff(*, actor: Actor, code: str, year: int, manage: bool = False) -> EvaluationRound:
    """The year's round of a branch the actor reads through a role (``manage``: keeps);
    404 when the branch has none."""
    branch = branch_for_staff(actor=actor, code=code, manage=manage)
    round_ = round_of(branch=branch, year=year)
    if round_ is None:
        raise Http404(_("%(year)s 年度还没有开展民主评议。") % {"year": year})
    return round_


def round_years(*, branch: Organization) -> tuple[int, ...]:
    """The years in which ``branch`` has a round (they decide where counts come from)."""
    rounds = EvaluationRound.objects.filter(branch=branch).order_by("year")
    return tuple(rounds.values_list("year", flat=True))


def round_candidates(round_: EvaluationRound) -> QuerySet[Member]:
    """The members on the ballot and in the round's steps: assessed members of the branch."""
    return Member.objects.filter(branch=round_.branch, status__in=ASSESSED).order_by("code")


def own_round(*, actor: Actor, year: int) -> tuple[Member, EvaluationRound]:
    member = own_member(actor=actor)
    round_ = round_of(branch=member.branch, year=year)
    if round_ is None:
        raise Http404(_("%(year)s 年度还没有开展民主评议。") % {"year": year})
    return member, round_


def round_member_by_code(round_: EvaluationRound, code: str) -> Member:
    """A member of the round's branch by code (the subject of a peer comment); 404 else."""
    member = round_.branch.members.filter(code=code).first()
    if member is None:
        raise Http404(_("本支部没有编号为“%(c)s”的党员。") % {"c": code})
    return member


def comment_subject(*, actor: Actor, round_: EvaluationRound, code: str) -> Member:
    """The member the secretary comments on: one the actor manages, in the round's branch
    (404 otherwise, the same answer for missing and elsewhere)."""
    member = member_access_by_code(actor=actor, code=code, manage=True)
    if member.branch_id != round_.branch_id:
        raise Http404(
            _("党员 %(member)s 不在 %(branch)s。")
            % {"member": member.code, "branch": round_.branch.name}
        )
    return member


def peer_comments_by(*, round_: EvaluationRound, author: Member) -> dict[int, PeerComment]:
    """The comments ``author`` wrote in the round, by their subject's id."""
    rows = PeerComment.objects.filter(round=round_, author=author)
    return {c.subject_id: c for c in rows}


def has_voted(*, member: Member, round_: EvaluationRound) -> bool:
    """Whether the member's right in the round is used (never which ballot is theirs)."""
    return VoteRight.objects.filter(round=round_, member=member, used=True).exists()


@dataclass
class ProgressRow:
    member: Member
    self_status: str | None
    peers_given: int
    peers_received: int
    commented: bool
    voted: bool | None  # None: not on the voter list


def round_progress(*, actor: Actor, round_: EvaluationRound) -> list[ProgressRow]:
    """Who has done what (officers only). ``voted`` is turnout, never a ballot."""
    if not scope_for(actor).reads(round_.branch.path):
        raise PermissionDenied(_("只有支部委员和上级组织可以查看评议进度。"))
    members = list(round_candidates(round_))
    selfs = dict(SelfEvaluation.objects.filter(round=round_).values_list("member_id", "status"))
    given = dict(
        PeerComment.objects.filter(round=round_)
        .values_list("author_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    received = dict(
        PeerComment.objects.filter(round=round_)
        .values_list("subject_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    commented = set(
        SecretaryComment.objects.filter(round=round_).values_list("member_id", flat=True)
    )
    rights = dict(VoteRight.objects.filter(round=round_).values_list("member_id", "used"))
    return [
        ProgressRow(
            member=m,
            self_status=selfs.get(m.pk),
            peers_given=given.get(m.pk, 0),
            peers_received=received.get(m.pk, 0),
            commented=m.pk in commented,
            voted=rights.get(m.pk),
        )
        for m in members
    ]


def turnout_share(used: int, voters: int) -> Decimal:
    """The share of voters who voted, to the setting's precision (4 places, half up):
    two thirds is 0.6667, so 2 of 3 reaches a minimum of 0.6667."""
    if voters == 0:
        return Decimal(0)
    return (Decimal(used) / Decimal(voters)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def vote_turnout_refusal(round_: EvaluationRound) -> str | None:
    """Why the online vote cannot be closed as valid yet (None: it can): fewer voters took
    part than the scheme's minimum turnout (``Scheme.vote_min_turnout``)."""
    minimum = Scheme.objects.get(year=round_.year).vote_min_turnout
    rights = VoteRight.objects.filter(round=round_)
    voters = rights.count()
    used = rights.filter(used=True).count()
    if turnout_share(used, voters) >= minimum:
        return None
    return _(
        "投票率为 %(used)s/%(voters)s（%(share)s），低于 %(year)s 年度方案规定的最低投票率"
        " %(minimum)s，不能作为有效测评截止投票。请组织尚未投票的党员投票（可在会场发放投票码）。"
    ) % {
        "used": used,
        "voters": voters,
        "share": percent_text(turnout_share(used, voters)),
        "year": round_.year,
        "minimum": percent_text(minimum),
    }


def vote_turnout_check(round_: EvaluationRound) -> None:
    """``vote_turnout_refusal`` as the ValidationError a write raises."""
    refusal = vote_turnout_refusal(round_)
    if refusal is not None:
        raise ValidationError(refusal)


def code_hash(code: str) -> str:
    """The stored form of a one-time code (receipt or paper code): only its hash."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"kaoping-code:{normal}".encode()).hexdigest()


def paper_code_round(code: str) -> EvaluationRound | None:
    """The round of an unused paper code (so the ballot page can be shown), or None."""
    row = PaperCode.objects.filter(code_hash=code_hash(code), used=False).first()
    return row.round if row is not None else None


def turnout(*, round_: EvaluationRound) -> dict[str, int]:
    """Who may vote and how many did (published apart from the ballots), and how many
    ballots are in the box (sealed, or the receipts the count covered)."""
    rights = VoteRight.objects.filter(round=round_)
    sealed = SealedBallot.objects.filter(round=round_).count()
    return {
        "voters": rights.count(),
        "used": rights.filter(used=True).count(),
        "ballots": sealed or CountedReceipt.objects.filter(round=round_).count(),
    }


def vote_totals(*, actor: Actor, round_: EvaluationRound) -> dict[str, dict[str, int]] | None:
    """Totals per member, only once the secretary has published them (from VoteTally)."""
    if round_.vote_state != VoteState.PUBLISHED:
        return None
    scope = scope_for(actor)
    qs = VoteTally.objects.filter(year=round_.year, member__branch=round_.branch)
    if not scope.reads(round_.branch.path):
        qs = qs.filter(member_id=scope.member_id) if scope.member_id is not None else qs.none()
    totals: dict[str, dict[str, int]] = {}
    for code, option, count in qs.values_list("member__code", "option", "count"):
        totals.setdefault(code, {})[option] = count
    return totals


def paper_tally_status(round_: EvaluationRound) -> tuple[str, list[str]]:
    """'waiting' (fewer than two entries), 'match' or 'mismatch' with the differing members."""
    entries = list(round_.paper.order_by("entered_at"))
    if len(entries) < 2:
        return "waiting", []
    first = entries[0].counts
    differing = sorted(
        {
            code
            for entry in entries[1:]
            for code in set(first) | set(entry.counts)
            if first.get(code) != entry.counts.get(code)
        }
    )
    return ("mismatch", differing) if differing else ("match", [])


RECEIPT_MIN = 16


def receipt_normal(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch in "0123456789abcdef")[:64]


def receipt_check(*, code: str) -> dict[str, object] | None:
    """Whether a receipt (the ballot's hash, or its first 16 characters or more) is in a
    ballot box, and whether the count covered it. None: not found."""
    normal = receipt_normal(code)
    if len(normal) < RECEIPT_MIN:
        return None
    sealed = list(
        SealedBallot.objects.filter(receipt__startswith=normal).select_related("round__branch")[:2]
    )
    if len(sealed) == 1:
        return _receipt_found(sealed[0].round, sealed[0].receipt, counted=False)
    covered = list(
        CountedReceipt.objects.filter(receipt__startswith=normal).select_related("round__branch")[
            :2
        ]
    )
    if len(covered) == 1:
        return _receipt_found(covered[0].round, covered[0].receipt, counted=True)
    return None


def _receipt_found(round_: EvaluationRound, receipt: str, *, counted: bool) -> dict[str, object]:
    return {
        "branch": round_.branch.name,
        "year": round_.year,
        "counted": counted,
        "receipt": receipt,
    }


@dataclass
class MemberTasks:
    round: EvaluationRound | None
    self_evaluation: SelfEvaluation | None = None
    peers_to_comment: list[Member] = field(default_factory=list)
    peers_done: set[int] = field(default_factory=set)
    can_vote: bool = False
    voted: bool = False
    received: list[PeerComment] = field(default_factory=list)
    secretary_comment: SecretaryComment | None = None


def member_tasks(*, actor: Actor, member: Member, year: int) -> MemberTasks:
    """What a member must do now in the evaluation, and what they have received. Only the
    member themself sees the comments they received (peer authors hidden when anonymous)."""
    round_ = round_of(branch=member.branch, year=year)
    if round_ is None:
        return MemberTasks(round=None)
    is_self = scope_for(actor).member_id == member.pk
    officer = scope_for(actor).reads(member.branch.path)
    if not (is_self or officer):
        raise Http404(_("找不到党员 %(member)s 的评议材料。") % {"member": member.code})

    tasks = MemberTasks(round=round_)
    tasks.self_evaluation = SelfEvaluation.objects.filter(round=round_, member=member).first()
    if round_.step == Step.PEER:
        tasks.peers_to_comment = list(round_candidates(round_).exclude(pk=member.pk))
    tasks.peers_done = set(
        PeerComment.objects.filter(round=round_, author=member).values_list("subject_id", flat=True)
    )
    right = VoteRight.objects.filter(round=round_, member=member).first()
    tasks.voted = bool(right and right.used)
    tasks.can_vote = bool(
        right and not right.used and round_.vote_state == VoteState.OPEN and is_self
    )
    if is_self:
        tasks.received = list(
            PeerComment.objects.filter(round=round_, subject=member)
            .select_related("author")
            .order_by("updated_at")
        )
        tasks.secretary_comment = SecretaryComment.objects.filter(
            round=round_, member=member
        ).first()
    return tasks


@dataclass
class QuotaStanding:
    """A branch's excellent places as the scoring engine fills them (rules.md §7)."""

    places: int
    holders: list[Member]  # excellent, or decided to take a tied place
    pending: list[Member]  # tied at the last place, still undecided
    over_filled: bool  # more tied members decided to take a place than are left


def quota_standing(
    *, year: int, branch: Organization, decide: tuple[Member, bool] | None = None
) -> QuotaStanding:
    """The branch's places, who holds them and who waits, computed by the scoring engine
    (``quota_places``, ``compute_year``) on the branch's live input, with ``decide`` (a
    decision not yet recorded) added, so a decision is judged before it is written."""
    # The arithmetic of the quota is the engine's alone; imported here, not copied.
    from dataclasses import replace

    from kaoping.scoring.engine import (
        FLAG_QUOTA_DECISION_INVALID,
        FLAG_QUOTA_TIE,
        Grade,
        compute_year,
        quota_places,
    )
    from kaoping.scoring.selectors import year_input

    data = year_input(scheme=Scheme.objects.get(year=year), branches=[branch])
    decisions = dict(data.decisions)
    if decide is not None:
        decisions[decide[0].code] = decide[1]
    results = compute_year(replace(data, decisions=decisions))
    by_code = {m.code: m for m in Member.objects.filter(branch=branch)}
    holders = [
        r.member
        for r in results
        if r.grade == Grade.EXCELLENT
        or (FLAG_QUOTA_TIE in r.flags and data.decisions.get(r.member) is True)
    ]
    pending = [
        r.member for r in results if FLAG_QUOTA_TIE in r.flags and decisions.get(r.member) is None
    ]
    return QuotaStanding(
        places=quota_places(data.rules, len(results)),
        holders=[by_code[code] for code in holders if code in by_code],
        pending=[by_code[code] for code in pending if code in by_code],
        over_filled=any(FLAG_QUOTA_DECISION_INVALID in r.flags for r in results),
    )


@dataclass
class CommentBasis:
    """What the secretary reads before commenting on a member (书记根据党员自评情况和
    现实表现情况点评): the self-evaluation and the peer comments received."""

    self_evaluation: SelfEvaluation | None
    peer_comments: list[PeerComment]
    authors_shown: bool  # False when the round's peer comments are anonymous


def comment_basis(*, actor: Actor, round_: EvaluationRound, member: Member) -> CommentBasis:
    if not scope_for(actor).manages(round_.branch.path):
        raise PermissionDenied(_("只有本支部的书记和支委可以查看。"))
    return CommentBasis(
        self_evaluation=SelfEvaluation.objects.filter(round=round_, member=member).first(),
        peer_comments=list(
            PeerComment.objects.filter(round=round_, subject=member)
            .select_related("author")
            .order_by("updated_at", "id")
        ),
        authors_shown=not round_.anonymous_peer,
    )


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


def round_steps(*, round_: EvaluationRound | None, frozen: bool = False) -> list:
    """The step indicator of the round (kit.steps): the five steps, those passed done,
    the round's step current; all done once the year is finalised (定格); none started
    without a round. The vote step says where the ballot stands."""
    labels = [str(label) for label in (s.label for s in EvaluationRound.STEP_ORDER)]
    if round_ is None:
        return steps_at(labels, None)
    current = len(labels) if frozen else round_.step_index
    steps = steps_at(labels, current)
    vote = EvaluationRound.STEP_ORDER.index(Step.VOTE)
    if steps[vote].state == "current":
        steps[vote] = ShownStep(steps[vote].label, "current", note=round_.get_vote_state_display())
    return steps


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


def round_members_by_codes(
    round_: EvaluationRound, codes: list[str], *, field: str
) -> list[Member]:
    """Members of the round's branch named by ``codes`` (the scrutineers, the members given
    paper codes); codes naming none are refused together as an error on ``field``. The
    service decides whether each may take the part."""
    members = list(round_.branch.members.filter(code__in=set(codes)).order_by("code"))
    unknown = set(codes) - {m.code for m in members}
    if unknown:
        raise ValidationError(
            {field: _("找不到党员：%(codes)s") % {"codes": "、".join(sorted(unknown))}}
        )
    return members
