"""Task pages: a branch's tasks, one task (assignments, submissions, marks), my tasks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_page_again, form_saved, frozen_refusal
from kaoping.kit.forms import errors_on, flash_service_error
from kaoping.kit.tables import Column, Filter, TableSpec, table
from kaoping.ops.files import upload_answer
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import (
    branch_assessed_members,
    branch_for_staff,
    own_member,
    scope_for,
)
from kaoping.schemes.selectors import frozen_notice

from . import selectors, services
from .forms import MarkForm, SubmitForm, TaskForm
from .models import Task, TaskKind

# A branch's tasks: the latest due first, searched by title, filtered by kind and status.
TASKS_TABLE = TableSpec(
    columns=(
        Column("due", _lazy("截止时间"), order=("due_at",)),
        Column("kind", _lazy("类型"), order=("kind",)),
        Column("title", _lazy("任务"), order=("title",)),
        Column("assigned", _lazy("承担"), order=("n_assigned",), num=True),
        Column("submitted", _lazy("完成"), order=("n_submitted",), num=True),
        Column("excused", _lazy("有理由"), order=("n_excused",), num=True),
        Column("entries", _lazy("扣分"), order=("n_entries",), num=True),
        Column("status", _lazy("状态"), order=("status",)),
    ),
    default_sort="-due",
    search=("title",),
    search_label=_lazy("任务名称"),
    filters=(
        Filter("kind", _lazy("类型"), TaskKind.choices, lookup="kind"),
        Filter("status", _lazy("状态"), Task.Status.choices, lookup="status"),
    ),
)


@login_required
@require_http_methods(["GET", "POST"])
def branch_tasks(request, code: str):
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code, manage=request.method == "POST")
    can_manage = scope_for(actor).manages(branch.path)
    form = notice = None
    if can_manage:
        due_at = timezone.localtime().replace(
            hour=18, minute=0, second=0, microsecond=0
        ) + timezone.timedelta(days=7)
        # The year a new task would count in is final: no form, the notice says why. A
        # posted form is still checked (the service refuses a frozen year).
        notice = frozen_notice(year=due_at.year, branch=branch)
    if can_manage and (request.method == "POST" or notice is None):
        members = branch_assessed_members(actor=actor, branch=branch)
        initial = {"members": list(members), "due_at": due_at}
        data = request.POST if request.method == "POST" else None
        form = TaskForm(data, members=members, initial=initial)

    def assign(d):
        d["members"] = list(d["members"])
        task = services.task_assign(actor=actor, branch=branch, **d)
        title = {"title": task.title}
        return reverse("tasks:detail", args=[task.code]), _("已布置任务“%(title)s”。") % title

    if form is not None and (answer := form_saved(request, form, assign)):
        return answer
    tasks = table(request, selectors.tasks_of_branch(actor=actor, branch=branch), TASKS_TABLE)
    context = {
        "frozen_notice": notice,
        "branch": branch,
        "tasks": tasks,
        "form": form,
        "can_manage": can_manage,
    }
    return form_page_again(request, "tasks/branch_tasks.html", context)


def _frozen(task) -> str | None:
    """The notice when the year the task counts in is final for its branch."""
    return frozen_notice(year=services.task_year(task), branch=task.branch)


def _refuse_if_frozen(request, task):
    """A form posted from a page older than the finalisation: say why at the top of the
    task's page (those who may not write are refused by the services as before)."""
    if not scope_for(request.user).manages(task.branch.path):
        return None
    return frozen_refusal(request, _frozen(task), reverse("tasks:detail", args=[task.code]))


def _task_page(request, task, *, submit_form=None, status=200):
    actor = request.user
    scope = scope_for(actor)
    assignments = selectors.task_assignments(actor=actor, task=task)
    mine = next((a for a in assignments if a.member_id == scope.member_id), None)
    can_manage = scope.manages(task.branch.path)
    notice = None
    if not task.is_closed and (can_manage or mine is not None):
        notice = _frozen(task)  # a frozen year offers no write controls
    writable = not task.is_closed and notice is None
    if mine is not None and task.is_study and writable and submit_form is None:
        submit_form = SubmitForm(initial={"text": mine.text})
    context = {
        "frozen_notice": notice,
        "task": task,
        "branch": task.branch,
        "is_staff": scope.reads(task.branch.path),
        "can_manage": can_manage and notice is None,
        "assignments": assignments,
        "mine": mine,
        "submit_form": submit_form if mine is not None and writable else None,
    }
    return render(request, "tasks/task.html", context, status=status)


@login_required
@require_GET
def task_detail(request, code: str):
    return _task_page(request, selectors.task_access_by_code(actor=request.user, code=code))


@login_required
@require_POST
def task_submit(request, code: str):
    actor = request.user
    task = selectors.task_access_by_code(actor=actor, code=code)
    form = SubmitForm(request.POST, request.FILES)
    if form.is_valid():
        with errors_on(form):
            services.task_submit(
                actor=actor,
                task=task,
                text=form.cleaned_data["text"],
                file=form.cleaned_data["file"],
            )
            return _done(
                request,
                reverse("tasks:detail", args=[task.code]),
                _("已提交任务“%(title)s”的完成情况。") % {"title": task.title},
            )
    return _task_page(request, task, submit_form=form, status=400)


@login_required
@require_POST
def task_mark(request, code: str):
    actor = request.user
    task = selectors.task_access_by_code(actor=actor, code=code)
    if refused := _refuse_if_frozen(request, task):
        return refused
    url = reverse("tasks:detail", args=[task.code])
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择完成情况。"))
        return redirect(url)
    d = form.cleaned_data
    member = Member.objects.filter(code=d["member"], branch=task.branch).first()
    if member is None:
        raise Http404(_("找不到这名党员。"))
    try:
        services.task_mark(
            actor=actor, task=task, member=member, status=d["status"], reason=d["reason"]
        )
    except ValidationError as exc:
        flash_service_error(request, exc)
        return redirect(url)
    return _done(request, url, _("已登记 %(name)s 的完成情况。") % {"name": member.name})


@login_required
@require_POST
def task_close(request, code: str):
    actor = request.user
    task = selectors.task_access_by_code(actor=actor, code=code)
    url = reverse("tasks:detail", args=[task.code])
    was_closed = task.is_closed
    if not was_closed and (refused := _refuse_if_frozen(request, task)):
        return refused
    try:
        created = services.task_close(actor=actor, task=task)
    except ValidationError as exc:
        flash_service_error(request, exc)
        return redirect(url)
    if was_closed:
        return _done(request, url, _("任务早已结算，未新增任何记录。"))
    return _done(request, url, _("任务已结算，新增 %(n)s 条扣分记录。") % {"n": len(created)})


@login_required
@require_GET
def task_file(request, code: str, member: str):
    """A submitted file, only to those who may see the assignment (404 otherwise)."""
    task = selectors.task_access_by_code(actor=request.user, code=code)
    a = selectors.assignment_access(actor=request.user, task=task, member_code=member)
    return upload_answer(a.file, missing=_("找不到这份材料。"))


@login_required
@require_GET
def my_tasks(request):
    actor = request.user
    member = own_member(actor=actor)
    context = {"member": member, "open": selectors.member_open_tasks(actor=actor, member=member)}
    return render(request, "tasks/my_tasks.html", context)
