"""Tasks in the API (issue 20): every action of the task pages (a branch's tasks and
assigning one, one task, handing in a study task with its file, recording how an
assignment ended, closing) as an operation, through the same selectors, services and
permission checks as ``views.py``."""

import datetime
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, Moment, Text
from kaoping.kit.querysets import filter_given
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import branch_for_staff, members_of_branch_by_codes

from . import selectors, services
from .models import Assignment, Task, TaskKind

router = Router(tags=["tasks"])


class TaskOut(Schema):
    code: str
    branch: str
    kind: str  # study / assigned / duty
    title: str
    description: str
    due_at: datetime.datetime
    status: str  # open / closed


class TaskRowOut(TaskOut):
    """A line of a branch's tasks, with its counts (as on the page)."""

    assigned: int = Field(..., alias="n_assigned")
    submitted: int = Field(..., alias="n_submitted")
    excused: int = Field(..., alias="n_excused")
    entries: int = Field(..., alias="n_entries")

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code


class AssignmentOut(Schema):
    member: str
    name: str
    status: str  # pending / submitted / excused / done / not_done
    text: str
    file: str | None  # the page that serves the file, to who may see it
    submitted_at: datetime.datetime | None
    reason: str
    entry: str | None  # the deduction the closing recorded


class TaskDetailOut(TaskOut):
    """One task: every assignment for its branch's officers, only their own for a member."""

    assignments: list[AssignmentOut]


class AssignIn(Schema):
    kind: TaskKind
    title: Text = Field(..., min_length=1, max_length=300)
    description: Text = ""
    due_at: Moment
    # member codes; default: every assessed member of the branch
    members: list[Code] | None = None


class SubmitIn(Schema):
    text: Text = ""


class MarkIn(Schema):
    member: Code
    # a study task: excused (with a reason); an assigned or duty task: done / not_done
    status: Literal["excused", "done", "not_done"]
    reason: Text = ""


class CloseOut(Schema):
    task: str
    closed: bool
    already_closed: bool
    entries: list[str]


def _assignment_out(task: Task, a: Assignment) -> dict:
    task_entry = getattr(a, "task_entry", None)
    return {
        "member": a.member.code,
        "name": a.member.name,
        "status": a.status,
        "text": a.text,
        "file": f"/tasks/{task.code}/file/{a.member.code}/" if a.file else None,
        "submitted_at": a.submitted_at,
        "reason": a.reason,
        "entry": task_entry.entry.code if task_entry is not None else None,
    }


def _detail(actor, task: Task) -> dict:
    return {
        "code": task.code,
        "branch": task.branch.code,
        "kind": task.kind,
        "title": task.title,
        "description": task.description,
        "due_at": task.due_at,
        "status": task.status,
        "assignments": [
            _assignment_out(task, a) for a in selectors.task_assignments(actor=actor, task=task)
        ],
    }


@router.get("/branches/{code}/tasks", response={200: list[TaskRowOut], **READ_ERRORS})
@paginate(Page)
def branch_task_list(
    request: AuthedRequest,
    code: Code,
    kind: TaskKind | None = None,
    status: Task.Status | None = None,
):
    """The branch's tasks for its officers, the latest due first, with their counts;
    filtered by kind (study / assigned / duty) and status (open / closed)."""
    branch = branch_for_staff(actor=request.auth, code=code)
    tasks = selectors.tasks_of_branch(actor=request.auth, branch=branch)
    tasks = filter_given(tasks, kind=kind, status=status)
    return tasks.select_related("branch").order_by("-due_at", "-id")


@router.post("/branches/{code}/tasks", response={201: TaskDetailOut, **WRITE_ERRORS})
def branch_task_assign(request: AuthedRequest, code: Code, payload: AssignIn):
    """Assign a task to members of the branch (its officers); ``members`` must do it
    (default: every assessed member). They are told in the app. 422 when the year of the
    deadline is final."""
    actor = request.auth
    branch = branch_for_staff(actor=actor, code=code, manage=True)
    members = members_of_branch_by_codes(actor=actor, branch=branch, codes=payload.members)
    task = services.task_assign(
        actor=actor,
        branch=branch,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        due_at=payload.due_at,
        members=members,
    )
    return 201, _detail(actor, task)


@router.get("/tasks/{code}", response={200: TaskDetailOut, **READ_ERRORS})
def task_detail(request: AuthedRequest, code: Code):
    """One task, for its branch's officers and the members it is assigned to (the same 404
    otherwise)."""
    task = selectors.task_access_by_code(actor=request.auth, code=code)
    return _detail(request.auth, task)


@router.post("/tasks/{code}/submission", response={200: TaskDetailOut, **WRITE_ERRORS})
def task_submit(
    request: AuthedRequest,
    code: Code,
    payload: Form[SubmitIn],
    file: File[UploadedFile | None] = None,
):
    """The user's member hands in a study task (multipart form): ``text`` and/or ``file``
    (PDF, JPG, PNG, DOCX or XLSX, at most 10 MB, its content what its name says). A later
    submission replaces an earlier one until the task is closed. 403 unless it is assigned
    to them; 422 for another kind of task, nothing handed in, a refused file, or once closed."""
    actor = request.auth
    task = selectors.task_access_by_code(actor=actor, code=code)
    services.task_submit(actor=actor, task=task, text=payload.text, file=file)
    return _detail(actor, task)


@router.post("/tasks/{code}/marks", response={200: TaskDetailOut, **WRITE_ERRORS})
def task_mark(request: AuthedRequest, code: Code, payload: MarkIn):
    """Record how a member's assignment ended (the branch's officers): a study task
    ``excused`` (with a reason), an assigned or duty task ``done`` or ``not_done`` (with
    the reason if there is one). 422 for a status the kind does not take, or once closed."""
    actor = request.auth
    task = selectors.task_access_by_code(actor=actor, code=code)
    member = Member.objects.filter(code=payload.member, branch=task.branch).first()
    if member is None:
        raise Http404(_("找不到这名党员。"))
    services.task_mark(
        actor=actor, task=task, member=member, status=payload.status, reason=payload.reason
    )
    return _detail(actor, task)


@router.post("/tasks/{code}/close", response={200: CloseOut, **WRITE_ERRORS})
def task_close(request: AuthedRequest, code: Code):
    """Close the task (the branch's officers): each missed assignment becomes one
    deduction (``entries``). Closing a closed task records nothing (``already_closed``).
    422 for a study task before its deadline, or an assigned or duty task with a member
    still unmarked."""
    actor = request.auth
    task = selectors.task_access_by_code(actor=actor, code=code)
    was_closed = task.is_closed
    created = services.task_close(actor=actor, task=task)
    return {
        "task": task.code,
        "closed": True,
        "already_closed": was_closed,
        "entries": [e.code for e in created],
    }
