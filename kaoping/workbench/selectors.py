"""What waits for a person's action now (待办), for the workbench (工作台).

Set-based: one counting query per kind of work for all the branches the actor keeps,
never a query per branch or per member. Each count links to the page where it is done.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kaoping.claims.models import BonusClaim
from kaoping.evaluation.models import EvaluationRound, PeerComment, SelfEvaluation, VoteRight
from kaoping.meetings.models import LeaveRequest, Meeting
from kaoping.monitoring.selectors import warnings_of_branches
from kaoping.notifications.models import Notification
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import Actor, branches_kept, scope_for
from kaoping.publication.models import Appeal
from kaoping.schemes.selectors import scheme_chosen
from kaoping.scoring.engine import MemberResult
from kaoping.scoring.selectors import live_result_of_member
from kaoping.tasks.models import Assignment, Task
from kaoping.unqualified.selectors import cases_awaiting

BRANCHES_MAX = 30  # a person keeping more branches works from 总览 and the warnings


@dataclass(frozen=True)
class WorkItem:
    """One kind of work waiting (待办事项): what, how many, where it is done."""

    label: str
    count: int
    url: str


@dataclass
class WorkGroup:
    """The work of one place (我的 / a branch / 工委)."""

    title: str
    items: list[WorkItem] = field(default_factory=list)
    url: str = ""  # the place's own page, if it has one

    @property
    def total(self) -> int:
        return sum(i.count for i in self.items)


def _per_branch(qs: QuerySet, branch_field: str, ids: list[int]) -> Counter:
    """How many rows of ``qs`` each of the branches ``ids`` has: one grouped query."""
    rows = (
        qs.filter(**{f"{branch_field}__in": ids})
        .order_by()
        .values_list(branch_field)
        .annotate(n=Count("pk"))
        .values_list(branch_field, "n")
    )
    return Counter(dict(rows))


def _branch_groups(branches: list[Organization]) -> list[WorkGroup]:
    if not branches:
        return []
    now = timezone.now()
    ids = [b.pk for b in branches]
    leave = _per_branch(
        LeaveRequest.objects.filter(status=LeaveRequest.Status.PENDING), "meeting__branch_id", ids
    )
    meetings = _per_branch(
        Meeting.objects.filter(status=Meeting.Status.OPEN, starts_at__lte=now), "branch_id", ids
    )
    claims = _per_branch(
        BonusClaim.objects.filter(status=BonusClaim.Status.PENDING), "member__branch_id", ids
    )
    tasks = _per_branch(
        Task.objects.filter(status=Task.Status.OPEN, due_at__lte=now), "branch_id", ids
    )
    appeals = _per_branch(
        Appeal.objects.filter(status=Appeal.Status.OPEN), "member__branch_id", ids
    )
    year = timezone.localdate().year
    rounds = dict(
        EvaluationRound.objects.filter(year=year, branch_id__in=ids)
        .order_by()
        .values_list("branch_id", "step")
    )
    steps = dict(EvaluationRound.Step.choices)
    warned = Counter(w.branch.pk for w in warnings_of_branches(branches=branches, year=year))
    monitoring = reverse("monitoring:index")
    groups = []
    for b in branches:
        code = b.code
        items = [
            WorkItem(_("请假待审批"), leave[b.pk], reverse("meetings:branch", args=[code])),
            WorkItem(_("会议考勤待关闭"), meetings[b.pk], reverse("meetings:branch", args=[code])),
            WorkItem(_("加分申报待审核"), claims[b.pk], reverse("claims:branch", args=[code])),
            WorkItem(_("到期任务待结算"), tasks[b.pk], reverse("tasks:branch", args=[code])),
            WorkItem(
                _("申诉待答复"), appeals[b.pk], reverse("publication:branch", args=[code, year])
            ),
        ]
        step = rounds.get(b.pk)
        if step is not None and step != EvaluationRound.Step.DETERMINATION:
            label = _("民主评议进行中：%(step)s") % {"step": steps[step]}
            items.append(WorkItem(label, 1, reverse("evaluation:round", args=[code, year])))
        url = monitoring + "?" + urlencode({"branch": code})
        items.append(WorkItem(_("预警"), warned[b.pk], url))
        groups.append(
            WorkGroup(b.name, [i for i in items if i.count], reverse("web:branch", args=[code]))
        )
    return groups


def _member_group(actor: Actor, member_id: int) -> WorkGroup:
    member = Member.objects.select_related("branch").get(pk=member_id)
    year = timezone.localdate().year
    items: list[WorkItem] = []
    round_ = EvaluationRound.objects.filter(year=year, branch_id=member.branch_id).first()
    if round_ is not None:
        mine = reverse("evaluation:mine", args=[year])
        if (
            round_.step == EvaluationRound.Step.SELF
            and not SelfEvaluation.objects.filter(
                round=round_, member_id=member_id, status=SelfEvaluation.Status.SUBMITTED
            ).exists()
        ):
            items.append(WorkItem(_("党员自评待提交"), 1, mine))
        if round_.step == EvaluationRound.Step.PEER:
            others = round_.rights.exclude(member_id=member_id).count()
            written = PeerComment.objects.filter(round=round_, author_id=member_id).count()
            if others > written:
                items.append(WorkItem(_("党员互评待填写"), others - written, mine))
        if (
            round_.vote_state == EvaluationRound.VoteState.OPEN
            and VoteRight.objects.filter(round=round_, member_id=member_id, used=False).exists()
        ):
            items.append(WorkItem(_("民主测评待投票"), 1, reverse("evaluation:vote", args=[year])))
    tasks = Assignment.objects.filter(
        member_id=member_id,
        status=Assignment.Status.PENDING,
        task__status=Task.Status.OPEN,
    ).count()
    items.append(WorkItem(_("任务待完成"), tasks, reverse("tasks:mine")))
    unread = Notification.objects.filter(user=actor, read_at__isnull=True).count()
    items.append(WorkItem(_("未读通知"), unread, reverse("notifications:inbox")))
    return WorkGroup(_("我的"), [i for i in items if i.count])


def work_groups(*, actor: Actor) -> list[WorkGroup]:
    """The workbench of ``actor``: their own work as a member, then each branch they keep,
    then the reviewing bodies' cases; groups with nothing waiting are kept (the page says
    so) so the person sees the workbench covers them."""
    scope = scope_for(actor)
    groups: list[WorkGroup] = []
    if scope.member_id is not None:
        groups.append(_member_group(actor, scope.member_id))
    groups += _branch_groups(branches_kept(actor=actor, limit=BRANCHES_MAX))
    waiting = cases_awaiting(actor=actor) if scope.roles else []
    if waiting:
        groups.append(
            WorkGroup(
                _("不合格党员处置"),
                [WorkItem(_("案件待审议"), len(waiting), reverse("unqualified:index"))],
            )
        )
    return groups


def own_standing(*, actor: Actor) -> MemberResult | None:
    """The member's live result of this year (the same computation as their own page,
    through the live-results cache), for the workbench's summary; None for a non-member
    or a year without a scheme."""
    scope = scope_for(actor)
    if scope.member_id is None:
        return None
    scheme = scheme_chosen(None)
    if scheme is None:
        return None
    member = Member.objects.select_related("branch").get(pk=scope.member_id)
    return live_result_of_member(scheme=scheme, member=member)
