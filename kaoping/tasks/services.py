"""Writes of tasks: assign, submit, excuse, mark done / not done, close (→ ledger entries),
remind members of due tasks. One transaction per use case, audited."""

import datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.codes import new_code
from kaoping.kit.evidence import evidence_file_check
from kaoping.kit.users import user_or_none
from kaoping.ledger.admission import members_exempt
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import PlannedEntry, entries_record_for
from kaoping.notifications.services import notification_send_many
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import branch_members_checked, manage_required, member_row, scope_for
from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import refuse_if_frozen, scheme_required
from kaoping.schemes.services import deduction_rule_check

from .models import Assignment, Task, TaskEntry, TaskKind, TaskRule
from .selectors import task_item, tasks_due_soon

_require_manage = partial(manage_required, refusal=gettext_lazy("您无权管理 %(branch)s 的任务。"))


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("branch").get(pk=task.pk)


def task_year(task: Task) -> int:
    """The scheme year a task counts in: that of its deadline (its deductions' date)."""
    return timezone.localtime(task.due_at).year


def task_link(task: Task) -> str:
    return f"/tasks/{task.code}/"


@transaction.atomic
def task_rule_set(*, actor: Actor, scheme: Scheme, kind: str, item_code: str) -> TaskRule:
    """Choose the item a missed task of ``kind`` deducts (a scheme setting)."""
    deduction_rule_check(actor=actor, scheme=scheme, item_code=item_code)
    rule, _created = TaskRule.objects.update_or_create(
        scheme=scheme, kind=kind, defaults={"item_code": item_code}
    )
    audit_record(
        actor=actor,
        action="task_rule.set",
        target=rule,
        after={"year": scheme.year, "kind": kind, "item": item_code},
    )
    return rule


@transaction.atomic
def task_assign(
    *,
    actor: Actor,
    branch: Organization,
    kind: str,
    title: str,
    due_at: datetime.datetime,
    description: str = "",
    members: list[Member] | None = None,
) -> Task:
    """Assign a task to members of the branch (default: every assessed member); they are
    told in the app."""
    _require_manage(actor, branch)
    if not branch.is_branch:
        raise ValidationError({"branch": _("只有党支部可以布置任务。")})
    if kind not in TaskKind.values:
        raise ValidationError({"kind": _("任务类型不正确。")})
    if timezone.is_naive(due_at):
        raise ValidationError({"due_at": _("截止时间必须带时区。")})
    refuse_if_frozen(year=timezone.localtime(due_at).year, branch=branch, field="due_at")
    members = branch_members_checked(
        branch=branch, members=members, none_message=_("至少选择一名党员。")
    )
    task = Task(
        code=new_code("TK"),
        branch=branch,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        due_at=due_at,
        created_by=user_or_none(actor),
    )
    task.full_clean()
    task.save()
    Assignment.objects.bulk_create(Assignment(task=task, member=m) for m in members)
    audit_record(
        actor=actor,
        action="task.assign",
        target=task,
        target_id=task.code,
        after={
            "branch": branch.code,
            "kind": kind,
            "due_at": due_at.isoformat(),
            "members": sorted(m.code for m in members),
        },
    )
    notification_send_many(
        users=[m.user for m in members if m.user_id],
        text=_("新任务：%(kind)s「%(title)s」，截止 %(due)s")
        % {
            "kind": task.get_kind_display(),
            "title": task.title,
            "due": f"{timezone.localtime(due_at):%Y-%m-%d %H:%M}",
        },
        link=task_link(task),
    )
    return task


def _locked_assignment(task: Task, member_id: int | None) -> Assignment:
    assignments = Assignment.objects.select_for_update(of=("self",)).select_related("member")
    a = member_row(assignments.filter(task=task), member_id)
    if a is None:
        raise PermissionDenied(_("这项任务没有分派给该党员。"))
    return a


@transaction.atomic
def task_submit(*, actor: Actor, task: Task, text: str = "", file: Any = None) -> Assignment:
    """A member hands in a study task: text and/or a file (checked before anything is
    stored). A later submission replaces an earlier one until the task is closed."""
    task = _locked(task)
    if not task.is_study:
        raise ValidationError(_("只有学习任务需要提交心得或笔记。"))
    member_id = scope_for(actor).member_id
    a = _locked_assignment(task, member_id)
    if task.is_closed:
        raise ValidationError(_("该任务已结算，不能再提交。"))
    refuse_if_frozen(year=task_year(task), branch=task.branch)
    if not text.strip() and file is None:
        raise ValidationError({"text": _("请填写内容或上传文件。")})
    evidence_file_check(file, field="file")
    a.text = text.strip()
    if file is not None:
        a.file = file
    a.status = Assignment.Status.SUBMITTED
    a.submitted_at = timezone.now()
    a.reason = ""
    a.full_clean()
    a.save()
    audit_record(
        actor=actor,
        action="task.submit",
        target=a,
        target_id=task.code,
        after={"member": a.member.code, "late": a.submitted_at > task.due_at},
    )
    return a


@transaction.atomic
def task_mark(
    *, actor: Actor, task: Task, member: Member, status: str, reason: str = ""
) -> Assignment:
    """The secretary records how an assignment ended. Study task: ``excused`` (an accepted
    excuse, reason required). Assigned / duty task: ``done`` or ``not_done`` (with a reason
    when there is one; "not done without reason" is deducted at closing)."""
    task = _locked(task)
    _require_manage(actor, task.branch)
    if task.is_closed:
        raise ValidationError(_("该任务已结算，不能再更改。"))
    refuse_if_frozen(year=task_year(task), branch=task.branch)
    a = _locked_assignment(task, member.id)
    allowed = (
        {Assignment.Status.EXCUSED}
        if task.is_study
        else {Assignment.Status.DONE, Assignment.Status.NOT_DONE}
    )
    if status not in allowed:
        raise ValidationError({"status": _("该类任务不能登记为这种完成情况。")})
    if status == Assignment.Status.EXCUSED and not reason.strip():
        raise ValidationError({"reason": _("准予免交须说明理由。")})
    before = a.status
    a.status = status
    a.reason = reason.strip() if status != Assignment.Status.DONE else ""
    a.marked_by = user_or_none(actor)
    a.full_clean()
    a.save()
    audit_record(
        actor=actor,
        action="task.mark",
        target=a,
        target_id=task.code,
        note=a.reason,
        before={"status": before},
        after={"member": a.member.code, "status": status},
    )
    return a


def _missed(task: Task, a: Assignment) -> bool:
    if task.is_study:
        return a.status == Assignment.Status.PENDING
    return a.status == Assignment.Status.NOT_DONE and not a.reason.strip()


def _task_link(assignment: Assignment, entry: ScoreEntry) -> TaskEntry:
    return TaskEntry.objects.create(assignment=assignment, entry=entry)


@transaction.atomic
def task_close(
    *, actor: Actor, task: Task, now: datetime.datetime | None = None
) -> list[ScoreEntry]:
    """Settle the task: each missed assignment (a study task not handed in without an
    accepted excuse; an assigned or duty task not done without reason) becomes one
    deduction entry (source study / task, the scheme's item for the kind). A study task can
    be closed only at or after its deadline. Closing twice creates nothing."""
    task = _locked(task)
    _require_manage(actor, task.branch)
    if task.is_closed:
        return []
    refuse_if_frozen(year=task_year(task), branch=task.branch)
    now = now if actor is None and now is not None else timezone.now()
    if task.is_study and now < task.due_at:
        raise ValidationError(_("学习任务未到截止时间，不能结算。"))
    assignments = list(task.assignments.select_related("member__branch", "member__user"))
    if not task.is_study:
        unmarked = [a.member.name for a in assignments if a.status == Assignment.Status.PENDING]
        if unmarked:
            raise ValidationError(
                _("还有党员未登记完成情况：%(names)s") % {"names": "、".join(unmarked)}
            )
    missed = [a for a in assignments if _missed(task, a)]
    planned: list[PlannedEntry] = []
    if missed:
        day = timezone.localtime(task.due_at).date()
        item = task_item(scheme=scheme_required(day.year), kind=task.kind)
        if item is None:
            raise ValidationError(
                _("%(year)s 年度方案中没有该类任务对应的扣分指标。") % {"year": day.year}
            )
        exempt = members_exempt(members=[a.member_id for a in missed], item_code=item.code, day=day)
        linked = set(
            TaskEntry.objects.filter(assignment__in=missed).values_list("assignment_id", flat=True)
        )
        note = (
            _("学习任务「%(title)s」无故未提交")
            if task.is_study
            else _("%(kind)s「%(title)s」无故未完成")
        ) % {"title": task.title, "kind": task.get_kind_display()}
        evidence = _("任务 %(code)s 完成情况 %(link)s") % {
            "code": task.code,
            "link": task_link(task),
        }
        planned = [
            PlannedEntry(a.member, item, day, note, evidence, partial(_task_link, a))
            for a in missed
            if a.member_id not in exempt and a.id not in linked
        ]
    created = entries_record_for(
        actor=actor,
        source=ScoreEntry.Source.STUDY if task.is_study else ScoreEntry.Source.TASK,
        planned=planned,
        action="task.close",
        target=task,
        target_id=task.code,
        after=lambda entries: {"entries": [e.code for e in entries]},
    )
    task.closing_set(closed=True)
    return created


@transaction.atomic
def tasks_remind_due(*, actor: Actor = None, within: datetime.timedelta | None = None) -> int:
    """Tell each member with an unfinished assignment that the task is due (within a day by
    default); each task is reminded once. Returns the number of messages."""
    within = within or datetime.timedelta(days=1)
    sent = 0
    for task in tasks_due_soon(within=within).select_for_update(of=("self",)):
        open_statuses = [Assignment.Status.PENDING]
        users = [
            a.member.user
            for a in task.assignments.filter(status__in=open_statuses).select_related(
                "member__user"
            )
            if a.member.user_id
        ]
        sent += notification_send_many(
            users=users,
            text=_("任务即将截止：「%(title)s」，截止 %(due)s")
            % {"title": task.title, "due": f"{timezone.localtime(task.due_at):%Y-%m-%d %H:%M}"},
            link=task_link(task),
        )
        task.due_notified = True
        task.save(update_fields=["due_notified"])
        audit_record(
            actor=actor,
            action="task.remind",
            target=task,
            target_id=task.code,
            after={"notified": len(users)},
        )
    return sent
