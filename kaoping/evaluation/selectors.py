"""Reads of the democratic evaluation, scoped by the actor. Nothing here ever returns
which voter cast which ballot: turnout and totals are separate reads."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import organization_access_by_code, scope_for

from .models import (
    Ballot,
    EvaluationRound,
    PeerComment,
    SecretaryComment,
    SelfEvaluation,
    VoteRight,
    VoteTally,
)
from .services import code_hash, round_candidates

Step = EvaluationRound.Step
VoteState = EvaluationRound.VoteState


def round_of(*, branch: Organization, year: int) -> EvaluationRound | None:
    return EvaluationRound.objects.filter(branch=branch, year=year).select_related("branch").first()


def branch_for_officer(*, actor, code: str, manage: bool = False) -> Organization:
    """A branch the actor reads through a role (not merely as one of its members)."""
    org = organization_access_by_code(actor=actor, code=code, manage=manage)
    if not org.is_branch or not scope_for(actor).reads(org.path):
        raise Http404(_("找不到这个党支部。"))
    return org


def own_member(*, actor) -> Member:
    member_id = scope_for(actor).member_id
    member = Member.objects.select_related("branch").filter(id=member_id).first()
    if member_id is None or member is None:
        raise Http404(_("您没有党员档案。"))
    return member


def own_round(*, actor, year: int) -> tuple[Member, EvaluationRound]:
    member = own_member(actor=actor)
    round_ = round_of(branch=member.branch, year=year)
    if round_ is None:
        raise Http404(_("%(year)s 年度还没有开展民主评议。") % {"year": year})
    return member, round_


@dataclass
class ProgressRow:
    member: Member
    self_status: str | None
    peers_given: int
    peers_received: int
    commented: bool
    voted: bool | None  # None: not on the voter list


def round_progress(*, actor, round_: EvaluationRound) -> list[ProgressRow]:
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


def turnout(*, round_: EvaluationRound) -> dict:
    rights = VoteRight.objects.filter(round=round_)
    return {
        "voters": rights.count(),
        "used": rights.filter(used=True).count(),
        "ballots": Ballot.objects.filter(round=round_).count(),
    }


def vote_totals(*, actor, round_: EvaluationRound) -> dict[str, dict[str, int]] | None:
    """Totals per member, only once the secretary has published them (from VoteTally)."""
    if round_.vote_state != VoteState.PUBLISHED:
        return None
    scope = scope_for(actor)
    qs = VoteTally.objects.filter(year=round_.year, member__branch=round_.branch)
    if not scope.reads(round_.branch.path):
        qs = qs.filter(member_id=scope.member_id)
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


def receipt_check(*, code: str) -> dict | None:
    """Whether a receipt code belongs to a stored ballot and whether it was counted."""
    ballot = Ballot.objects.filter(receipt_hash=code_hash(code)).select_related("round__branch")
    ballot = ballot.first()
    if ballot is None:
        return None
    return {
        "branch": ballot.round.branch.name,
        "year": ballot.round.year,
        "counted": ballot.round.vote_state == VoteState.PUBLISHED,
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


def member_tasks(*, actor, member: Member, year: int) -> MemberTasks:
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
