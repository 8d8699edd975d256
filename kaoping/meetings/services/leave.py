"""Writes of written leave (书面请假): the request, its withdrawal and the secretary's decision."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.codes import new_code
from kaoping.kit.users import user_or_none
from kaoping.notifications.services import notification_send, notification_send_many
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import member_row, scope_for

from ..models import Attendance, LeaveRequest, Meeting
from ..selectors import branch_officers, meeting_timing
from .common import _locked, _refuse_frozen, _require_manage, meeting_link


@transaction.atomic
def leave_request(
    *,
    actor: Actor,
    meeting: Meeting,
    reason: str,
    member: Member | None = None,
    at: datetime.datetime | None = None,
) -> LeaveRequest:
    """A member asks in writing for leave from a meeting they must attend. A request after
    the meeting started is accepted but marked late. The system (``actor=None``) may enter
    a paper request for ``member`` made ``at`` a given time."""
    meeting = _locked(meeting)
    member_id = scope_for(actor).member_id if actor is not None else getattr(member, "id", None)
    attendance = member_row(meeting.attendances.select_related("member"), member_id)
    if attendance is None or member_id is None:
        raise PermissionDenied(_("只有应参会的党员才能请假。"))
    _refuse_frozen(meeting)
    if meeting.is_closed:
        raise ValidationError(_("该会议考勤已关闭，不能再请假；如有特殊情况请联系支部书记。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写请假事由。")})
    if (
        meeting.leave_requests.filter(member_id=member_id)
        .exclude(status__in=LeaveRequest.CLOSED_STATUSES)
        .exists()
    ):
        raise ValidationError(_("您已提交过该会议的请假申请。"))
    now = at if actor is None and at is not None else timezone.now()
    leave = LeaveRequest(
        code=new_code("LV"),
        meeting=meeting,
        member=attendance.member,
        reason=reason.strip(),
        created_at=now,
        late=now >= meeting_timing(meeting).leave_cutoff,
    )
    leave.full_clean()
    leave.save()
    audit_record(
        actor=actor,
        action="leave.request",
        target=leave,
        target_id=leave.code,
        after={"meeting": meeting.code, "member": attendance.member.code, "late": leave.late},
    )
    notification_send_many(
        users=branch_officers(meeting.branch),
        text=_("%(name)s 申请请假：%(topic)s%(late)s")
        % {
            "name": attendance.member.name,
            "topic": meeting.topic,
            "late": _("（会议开始后提交）") if leave.late else "",
        },
        link=meeting_link(meeting),
    )
    return leave


@transaction.atomic
def leave_withdraw(*, actor: Actor, leave: LeaveRequest) -> LeaveRequest:
    """The member withdraws their own written leave request (撤回请假), pending or approved,
    while the meeting's attendance is open: an approved leave no longer excuses them. The
    branch's officers are told."""
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("meeting__branch", "member")
        .get(pk=leave.pk)
    )
    if scope_for(actor).member_id != leave.member_id:
        raise PermissionDenied(_("只有请假的党员本人可以撤回请假。"))
    _refuse_frozen(leave.meeting)
    if leave.status in LeaveRequest.CLOSED_STATUSES:
        raise ValidationError(_("该请假申请已撤回或未获批准，无需撤回。"))
    if leave.meeting.is_closed:
        raise ValidationError(_("该会议考勤已关闭，不能再撤回请假。"))
    was = leave.status
    leave.status = LeaveRequest.Status.WITHDRAWN
    leave.decided_at = timezone.now()
    leave.full_clean()
    leave.save()
    Attendance.objects.filter(
        meeting=leave.meeting, member=leave.member, status=Attendance.Status.LEAVE
    ).update(status=Attendance.Status.UNMARKED)
    audit_record(
        actor=actor,
        action="leave.withdraw",
        target=leave,
        target_id=leave.code,
        before={"status": was},
        after={"status": leave.status},
    )
    notification_send_many(
        users=branch_officers(leave.meeting.branch),
        text=_("%(name)s 撤回了请假：%(topic)s")
        % {"name": leave.member.name, "topic": leave.meeting.topic},
        link=meeting_link(leave.meeting),
    )
    return leave


@transaction.atomic
def leave_decide(
    *, actor: Actor, leave: LeaveRequest, approve: bool, reason: str = ""
) -> LeaveRequest:
    """The secretary approves or refuses (with a reason) a written leave request. A late
    request may still be approved; the decision on it is recorded as such."""
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("meeting__branch", "member__user")
        .get(pk=leave.pk)
    )
    _require_manage(actor, leave.meeting.branch)
    _refuse_frozen(leave.meeting)
    if leave.status != LeaveRequest.Status.PENDING:
        raise ValidationError(_("该请假申请已审批。"))
    if leave.meeting.is_closed:
        raise ValidationError(_("该会议考勤已关闭，请先重新打开考勤再审批。"))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("不批准请假须说明理由。")})
    leave.status = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.REFUSED
    leave.decided_by = user_or_none(actor)
    leave.decided_at = timezone.now()
    leave.decision_reason = reason.strip()
    leave.full_clean()
    leave.save()
    if approve:
        Attendance.objects.filter(meeting=leave.meeting, member=leave.member).update(
            status=Attendance.Status.LEAVE
        )
    elif Attendance.objects.filter(
        meeting=leave.meeting, member=leave.member, status=Attendance.Status.LEAVE
    ).exists():
        Attendance.objects.filter(meeting=leave.meeting, member=leave.member).update(
            status=Attendance.Status.UNMARKED
        )
    audit_record(
        actor=actor,
        action="leave.approve" if approve else "leave.refuse",
        target=leave,
        target_id=leave.code,
        note=leave.decision_reason,
        after={"late": leave.late, "status": leave.status},
    )
    text = (
        _("您对「%(topic)s」的请假已批准。")
        if approve
        else _("您对「%(topic)s」的请假未获批准：%(reason)s")
    ) % {"topic": leave.meeting.topic, "reason": leave.decision_reason}
    notification_send(user=leave.member.user, text=text, link=meeting_link(leave.meeting))
    return leave
