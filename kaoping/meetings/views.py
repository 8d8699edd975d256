"""Meeting pages: a branch's meetings, one meeting (attendance, leave), leave decisions."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_page, form_page_again, form_saved, frozen_refusal
from kaoping.kit.decimals import points_text
from kaoping.kit.forms import apply_service_error, errors_on, flash_service_error
from kaoping.kit.tables import Column, Filter, TableSpec, table
from kaoping.orgs.selectors import (
    branch_assessed_members,
    branch_for_staff,
    member_access_by_code,
    scope_for,
)
from kaoping.schemes.selectors import frozen_notice

from . import selectors, services
from .forms import (
    DecisionForm,
    LeaveForm,
    MeetingChangeForm,
    MeetingForm,
    MeetingMinutesForm,
    ReasonForm,
    default_start,
)
from .models import Attendance, LeaveRequest, Meeting, MeetingKind

# A branch's meetings: the newest first, searched by topic or place, filtered by kind
# and by open or closed attendance.
MEETINGS_TABLE = TableSpec(
    columns=(
        Column("starts", _lazy("时间"), order=("starts_at",)),
        Column("kind", _lazy("类型"), order=("kind",)),
        Column("topic", _lazy("议题"), order=("topic",)),
        Column("attendees", _lazy("应到"), order=("n_attendees",), num=True),
        Column("present", _lazy("出席"), order=("n_present",), num=True),
        Column("leave", _lazy("请假"), order=("n_leave",), num=True),
        Column("absent", _lazy("缺席"), order=("n_absent",), num=True),
        Column("status", _lazy("考勤"), order=("status",)),
    ),
    default_sort="-starts",
    search=("topic", "place"),
    search_label=_lazy("议题、地点"),
    filters=(
        Filter("kind", _lazy("类型"), MeetingKind.choices, lookup="kind"),
        Filter("status", _lazy("考勤状态"), Meeting.Status.choices, lookup="status"),
    ),
)


def _default_start():
    return default_start(timezone.now())


def _meeting_form(actor, branch, data=None):
    members = branch_assessed_members(actor=actor, branch=branch)
    initial = {"members": list(members), "starts_at": _default_start()}
    return MeetingForm(data, members=members, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def branch_meetings(request, code: str):
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code, manage=request.method == "POST")
    can_manage = scope_for(actor).manages(branch.path)
    form = notice = None
    if can_manage:
        # The year a new meeting would fall in is final: no scheduling form, the notice
        # says why. A posted form is still checked (the service refuses a frozen year).
        notice = frozen_notice(year=_default_start().year, branch=branch)
        if request.method == "POST" or notice is None:
            form = _meeting_form(actor, branch, request.POST if request.method == "POST" else None)

    def schedule(d):
        d["members"] = list(d["members"])
        meeting = services.meeting_schedule(actor=actor, branch=branch, **d)
        topic = {"topic": meeting.topic}
        return reverse("meetings:detail", args=[meeting.code]), _("已安排会议“%(topic)s”。") % topic

    if form is not None and (answer := form_saved(request, form, schedule)):
        return answer
    meetings = table(
        request, selectors.meetings_of_branch(actor=actor, branch=branch), MEETINGS_TABLE
    )
    context = {
        "frozen_notice": notice,
        "branch": branch,
        "meetings": meetings,
        "form": form,
        "can_manage": can_manage,
        "pending_leaves": selectors.branch_pending_leaves(actor=actor, branch=branch),
    }
    return render(request, "meetings/branch_meetings.html", context)


def _frozen(meeting: Meeting) -> str | None:
    """The notice when the meeting's year is finalised for its branch (its attendance
    records entries of that year: no more changes)."""
    year = timezone.localtime(meeting.starts_at).year
    return frozen_notice(year=year, branch=meeting.branch)


def _refuse_if_frozen(request, meeting: Meeting):
    """A manager's form posted from a page older than the finalisation: say why, at the
    top of the page (others are refused by the services as before)."""
    if not scope_for(request.user).manages(meeting.branch.path):
        return None
    return frozen_refusal(
        request, _frozen(meeting), reverse("meetings:detail", args=[meeting.code])
    )


def _meeting_page(request, meeting: Meeting, *, leave_form=None, reopen_form=None, status=200):
    actor = request.user
    scope = scope_for(actor)
    is_staff = scope.reads(meeting.branch.path)
    can_manage = scope.manages(meeting.branch.path)
    is_attendee = (
        scope.member_id is not None
        and meeting.attendances.filter(member_id=scope.member_id).exists()
    )
    notice = _frozen(meeting) if can_manage or is_attendee else None
    can_manage = can_manage and notice is None  # a frozen year offers no write controls
    leaves = selectors.meeting_leave_requests(actor=actor, meeting=meeting)
    my_live_leave = next(
        (
            lv
            for lv in leaves
            if lv.member_id == scope.member_id and lv.status not in LeaveRequest.CLOSED_STATUSES
        ),
        None,
    )
    may_ask_leave = is_attendee and notice is None and not meeting.is_closed
    if may_ask_leave and my_live_leave is None and leave_form is None:
        leave_form = LeaveForm()
    attendances = selectors.meeting_attendance(actor=actor, meeting=meeting)
    checkins = {c.member_id: c for c in meeting.checkins.all()} if is_staff or is_attendee else {}
    proposal = selectors.attendance_proposal(meeting, attendances) if can_manage else {}
    for a in attendances:  # the form's proposal and the sign-in beside each name
        a.proposed = proposal.get(a.id, a.status)  # type: ignore[attr-defined]
        a.checkin = checkins.get(a.member_id)  # type: ignore[attr-defined]
    context = {
        "frozen_notice": notice,
        "meeting": meeting,
        "branch": meeting.branch,
        "is_staff": is_staff,
        "can_manage": can_manage,
        "my_checkin": checkins.get(scope.member_id or 0),
        "used_checkin": bool(checkins),
        "attendances": attendances,
        "statuses": [
            (Attendance.Status.PRESENT, Attendance.Status.PRESENT.label),
            (Attendance.Status.LEAVE, Attendance.Status.LEAVE.label),
            (Attendance.Status.ABSENT, Attendance.Status.ABSENT.label),
        ],
        "leaves": leaves,
        "leave_form": leave_form if may_ask_leave else None,
        "my_leave": my_live_leave if may_ask_leave else None,  # the member may withdraw it
        "reopen_form": (reopen_form or ReasonForm()) if can_manage and meeting.is_closed else None,
        # written leave after the meeting rule's cut-off is late (default: the start)
        "leave_cutoff": (cutoff := selectors.meeting_timing(meeting).leave_cutoff),
        "started": timezone.now() >= cutoff,
    }
    return render(request, "meetings/meeting.html", context, status=status)


@login_required
def meeting_detail(request, code: str):
    return _meeting_page(request, selectors.meeting_access_by_code(actor=request.user, code=code))


def _close_confirmation(request, meeting: Meeting):
    """The confirmation step of closing the attendance: the deductions it will record
    (from ``services.meeting_close_plan``, the list the closing records), nothing done yet."""
    plan = services.meeting_close_plan(meeting=meeting)
    lines = [
        _("为 %(name)s 记录扣分：%(item)s（%(code)s）%(points)s 分，日期 %(date)s。")
        % {
            "name": p.member.name,
            "item": p.item.name,
            "code": p.item.code,
            "points": points_text(-p.points),
            "date": f"{p.date:%Y-%m-%d}",
        }
        for p in plan
    ] or [_("没有无故缺席的党员，不会生成扣分记录。")]
    lines.append(_("关闭后考勤不能再修改；如需更正须重新打开考勤，已生成的扣分记录将被冲销。"))
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("确认关闭考勤：%(topic)s") % {"topic": meeting.topic},
            "intro": _("关闭考勤将生成 %(n)s 条扣分记录。") % {"n": len(plan)},
            "consequences": lines,
            "action": reverse("meetings:close", args=[meeting.code]),
            "hidden": [],
            "submit": _("确认关闭考勤"),
            "back": reverse("meetings:detail", args=[meeting.code]),
        },
    )


@login_required
@require_POST
def meeting_attendance(request, code: str):
    """Save the attendance; "save and close" then asks to confirm the closing (its
    consequences), and closes when posted again with ``confirm`` (the dialog's 确认)."""
    actor = request.user
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    statuses = {
        key[2:]: value for key, value in request.POST.items() if key.startswith("a-") and value
    }
    url = reverse("meetings:detail", args=[meeting.code])
    if scope_for(actor).manages(meeting.branch.path) and (
        refused := _refuse_if_frozen(request, meeting)
    ):
        return refused
    try:
        services.attendance_take(actor=actor, meeting=meeting, statuses=statuses)
        if "close" in request.POST and not request.POST.get("confirm"):
            return _close_confirmation(request, meeting)
        if "close" in request.POST:  # confirmed in the dialog (kaoping.js): close it now
            created = services.meeting_close(actor=actor, meeting=meeting)
            return _done(request, url, _closed_text(len(created)))
    except ValidationError as exc:
        flash_service_error(request, exc)
        return redirect(url)
    absent = sum(1 for value in statuses.values() if value == Attendance.Status.ABSENT)
    return _done(
        request,
        url,
        _("已保存会议“%(topic)s”的考勤，%(n)s 人缺席。") % {"topic": meeting.topic, "n": absent},
    )


@login_required
@require_POST
def meeting_close(request, code: str):
    """Close the attendance (creates deductions): without ``confirm`` only shows which."""
    actor = request.user
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    url = reverse("meetings:detail", args=[meeting.code])
    was_closed = meeting.is_closed
    if scope_for(actor).manages(meeting.branch.path) and (
        refused := _refuse_if_frozen(request, meeting)
    ):
        return refused
    try:
        if not was_closed and not request.POST.get("confirm"):
            if not scope_for(actor).manages(meeting.branch.path):
                raise PermissionDenied(_("您不能管理这个支部的会议。"))
            return _close_confirmation(request, meeting)
        created = services.meeting_close(actor=actor, meeting=meeting)
    except ValidationError as exc:
        flash_service_error(request, exc)
        return redirect(url)
    if was_closed:
        return _done(request, url, _("考勤早已关闭，未新增任何记录。"))
    return _done(request, url, _closed_text(len(created)))


def _closed_text(n: int) -> str:
    return _("考勤已关闭，新增 %(n)s 条扣分记录。") % {"n": n}


@login_required
@require_POST
def meeting_reopen(request, code: str):
    actor = request.user
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    if scope_for(actor).manages(meeting.branch.path) and (
        refused := _refuse_if_frozen(request, meeting)
    ):
        return refused
    form = ReasonForm(request.POST)
    if form.is_valid():
        with errors_on(form):
            reversals = services.meeting_reopen(
                actor=actor, meeting=meeting, reason=form.cleaned_data["reason"]
            )
            return _done(
                request,
                reverse("meetings:detail", args=[meeting.code]),
                _("考勤已重新打开，冲销 %(n)s 条记录。") % {"n": len(reversals)},
            )
    return _meeting_page(request, meeting, reopen_form=form, status=400)


@login_required
@require_POST
def leave_create(request, code: str):
    actor = request.user
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            leave = services.leave_request(
                actor=actor, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            message = _("已提交请假申请，等待支部审批。")
            if leave.late:
                message = _("已过书面请假截止时间，请假申请已标记为逾期提交，等待支部审批。")
            return _done(request, reverse("meetings:detail", args=[meeting.code]), message)
    return _meeting_page(request, meeting, leave_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def leave_decide(request, code: str):
    actor = request.user
    leave = selectors.leave_access_by_code(actor=actor, code=code)
    form = DecisionForm(request.POST or None)
    back = reverse("meetings:detail", args=[leave.meeting.code])
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.leave_decide(
                actor=actor,
                leave=leave,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
            return _done(
                request, back, _("已审批 %(name)s 的请假申请。") % {"name": leave.member.name}
            )
    if not scope_for(actor).manages(leave.meeting.branch.path):
        raise Http404(_("找不到这份请假申请。"))
    return form_page_again(
        request,
        "meetings/leave_decide.html",
        {"leave": leave, "form": form, "back": back, "frozen_notice": _frozen(leave.meeting)},
    )


@login_required
def member_daily(request, code: str):
    """The member page's daily-management cards, loaded by htmx after the page (so the
    member page itself does no extra query) or on their own page without JavaScript."""
    actor = request.user
    member = member_access_by_code(actor=actor, code=code)
    context = {
        "member": member,
        "is_self": scope_for(actor).member_id == member.id,
        "can_manage": scope_for(actor).manages(member.branch.path),
        "base_template": "meetings/_bare.html" if request.htmx else "web/base.html",
    }
    return render(request, "meetings/member_daily.html", context)


def _meeting_to_manage(actor, code: str) -> Meeting:
    """A meeting whose forms ``actor`` may fill: its branch's officers (403 for the
    attendees, the same 404 for everybody else)."""
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    if not scope_for(actor).manages(meeting.branch.path):
        raise PermissionDenied(
            _("您无权管理 %(branch)s 的会议。") % {"branch": meeting.branch.name}
        )
    return meeting


def _meeting_form_page(request, meeting: Meeting, form, save, url_name: str, title, submit):
    """A meeting's own form page (its change, its minutes): saved, or shown again."""
    if answer := form_saved(request, form, save):
        return answer
    return form_page(
        request,
        title=title,
        form=form,
        action=reverse(url_name, args=[meeting.code]),
        back=reverse("meetings:detail", args=[meeting.code]),
        submit=submit,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_change(request, code: str):
    """Change a meeting's time, place or topic (its branch's officers, until closed)."""
    actor = request.user
    meeting = _meeting_to_manage(actor, code)
    back = reverse("meetings:detail", args=[meeting.code])
    initial = {
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "place": meeting.place,
        "topic": meeting.topic,
    }
    form = MeetingChangeForm(request.POST or None, initial=initial)

    def save(d):
        services.meeting_change(actor=actor, meeting=meeting, **d)
        return back, _("已变更会议，并通知了应到党员。")

    title = _("变更会议：%(topic)s") % {"topic": meeting.topic}
    return _meeting_form_page(
        request, meeting, form, save, "meetings:change", title, _("保存并通知")
    )


@login_required
@require_POST
def leave_withdraw(request, code: str):
    """The member withdraws their own leave request (they will attend after all)."""
    leave = selectors.leave_access_by_code(actor=request.user, code=code)
    back = reverse("meetings:detail", args=[leave.meeting.code])
    try:
        services.leave_withdraw(actor=request.user, leave=leave)
    except ValidationError as exc:
        flash_service_error(request, exc)
        return redirect(back)
    return _done(request, back, _("已撤回请假。"))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request, code: str):
    """Write a meeting's record (会议记录): its branch's officers, until the year is final."""
    actor = request.user
    meeting = _meeting_to_manage(actor, code)
    back = reverse("meetings:detail", args=[meeting.code])
    if refusal := _refuse_if_frozen(request, meeting):
        return refusal
    initial = {"host": meeting.host, "recorder": meeting.recorder, "minutes": meeting.minutes}
    form = MeetingMinutesForm(request.POST or None, initial=initial)

    def save(d):
        services.meeting_minutes_record(actor=actor, meeting=meeting, **d)
        return back, _("已保存会议记录。")

    title = _("会议记录：%(topic)s") % {"topic": meeting.topic}
    return _meeting_form_page(
        request, meeting, form, save, "meetings:minutes", title, _("保存会议记录")
    )
