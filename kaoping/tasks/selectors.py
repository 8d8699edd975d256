"""Reads of tasks and assignments, scoped to what the actor may see."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import branch_record_for, branch_rows_for, scope_for
from kaoping.schemes.models import Scheme, SchemeItem

from .models import DEFAULT_ITEM_CODES, Assignment, Task, TaskKind, TaskRule


def task_item(*, scheme: Scheme, kind: str) -> SchemeItem | None:
    """The deduction item a missed task of ``kind`` deducts in ``scheme``."""
    rule = TaskRule.objects.filter(scheme=scheme, kind=kind).values_list("item_code", flat=True)
    code = rule.first() or DEFAULT_ITEM_CODES[TaskKind(kind)]
    return SchemeItem.objects.filter(scheme=scheme, code=code).first()


def tasks_of_branch(*, actor: Actor, branch: Organization) -> QuerySet[Task]:
    """A branch's tasks with their counts (one query, however many rows)."""
    if not scope_for(actor).reads(branch.path):
        raise Http404(_("找不到这个党支部。"))
    return Task.objects.filter(branch=branch).annotate(
        n_assigned=Count("assignments", distinct=True),
        n_submitted=Count(
            "assignments",
            filter=Q(assignments__status__in=["submitted", "done"]),
            distinct=True,
        ),
        n_excused=Count(
            "assignments",
            filter=Q(assignments__status="excused")
            | Q(assignments__status="not_done") & ~Q(assignments__reason=""),
            distinct=True,
        ),
        n_entries=Count("assignments__task_entry", distinct=True),
    )


def task_access_by_code(*, actor: Actor, code: str) -> Task:
    """The task for its branch's officers or a member it is assigned to; the same 404 for
    missing and not yours."""
    task = branch_record_for(actor=actor, records=Task.objects, code=code, concerned="assignments")
    if task is None:
        raise Http404(_("找不到任务 %(code)s。") % {"code": code})
    return task


def task_assignments(*, actor: Actor, task: Task) -> list[Assignment]:
    """Every assignment for staff; only the actor's own for a member."""
    qs = task.assignments.select_related("member", "task_entry__entry")
    return list(branch_rows_for(actor=actor, branch=task.branch, rows=qs))


def assignment_access(*, actor: Actor, task: Task, member_code: str) -> Assignment:
    a = task.assignments.select_related("member").filter(member__code=member_code).first()
    scope = scope_for(actor)
    if a is None or not (scope.reads(task.branch.path) or a.member_id == scope.member_id):
        raise Http404(_("找不到这项任务分派。"))
    return a


def member_open_tasks(*, actor: Actor, member: Member) -> list[Assignment]:
    """The member's tasks still open, soonest due first (one query)."""
    scope = scope_for(actor)
    if not (scope.reads(member.branch.path) or scope.member_id == member.id):
        return []
    return list(
        Assignment.objects.filter(member=member, task__status=Task.Status.OPEN)
        .select_related("task")
        .order_by("task__due_at")
    )


def tasks_due_soon(*, within: datetime.timedelta) -> QuerySet[Task]:
    return Task.objects.filter(
        status=Task.Status.OPEN, due_notified=False, due_at__lte=timezone.now() + within
    )
