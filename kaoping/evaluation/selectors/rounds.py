"""The round of a branch and year, its members, who has done what in its steps, the
step indicator, and what a member must do now."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.kit.steps import Step as ShownStep
from kaoping.kit.steps import steps_at
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import branch_for_staff, member_access_by_code, own_member, scope_for

from ..models import EvaluationRound, PeerComment, SecretaryComment, SelfEvaluation, VoteRight

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
