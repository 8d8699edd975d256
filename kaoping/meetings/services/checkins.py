"""Writes of check-in (扫码签到): the code checked, the sign-in recorded once."""

import datetime
from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.orgs.selectors import member_row, scope_for

from ..checkin import Refusal, token_refusal
from ..models import Attendance, CheckIn, Meeting
from ..selectors import meeting_timing
from .common import _locked, _refuse_frozen


def checkin_check(
    *, actor: Actor, code: str, token: str, at: datetime.datetime
) -> tuple[Meeting, Attendance]:
    """Whether ``actor``'s member may sign in to meeting ``code`` with ``token`` read at
    ``at``: the meeting and their attendance row, else the reason in words a member at the
    door understands (the meeting named only once the code and the attendee are good).
    Writes nothing; ``checkin_record`` runs it again."""
    refusal = token_refusal(token, code=code, at=at)
    meeting = (
        Meeting.objects.select_related("branch").filter(code=code).first()
        if refusal is not Refusal.INVALID
        else None
    )
    if meeting is None or refusal is Refusal.INVALID:
        raise ValidationError(_("签到码无效，请重新扫描会场屏幕上的二维码。"))
    if refusal is Refusal.FOREIGN:
        raise ValidationError(_("该签到码不属于这次会议，请扫描本次会议会场屏幕上的二维码。"))
    if refusal is Refusal.EXPIRED:
        raise ValidationError(_("签到码已过期（每 30 秒更换一次），请扫描会场屏幕上的最新二维码。"))
    member_id = scope_for(actor).member_id
    attendance = member_row(meeting.attendances.select_related("member"), member_id)
    if attendance is None:
        raise PermissionDenied(_("您不在本次会议的应到党员名单中，不能签到。"))
    if meeting.is_closed:
        raise ValidationError(_("该会议考勤已关闭，不能再签到。"))
    _refuse_frozen(meeting)
    timing = meeting_timing(meeting)
    window = {
        "opens": f"{timezone.localtime(timing.checkin_opens):%H:%M}",
        "closes": f"{timezone.localtime(timing.checkin_closes):%H:%M}",
    }
    if at < timing.checkin_opens:
        raise ValidationError(
            _("签到尚未开始：本次会议 %(opens)s 至 %(closes)s 可以签到。") % window
        )
    if at > timing.checkin_closes:
        raise ValidationError(
            _("签到已结束（%(opens)s 至 %(closes)s）。如已到会，请告知支部书记。") % window
        )
    earlier = CheckIn.objects.filter(meeting=meeting, member=attendance.member).first()
    if earlier is not None:
        _refuse_twice(earlier)
    return meeting, attendance


def _refuse_twice(earlier: CheckIn) -> NoReturn:
    raise ValidationError(
        _("您已于 %(time)s 签到，无需重复签到。")
        % {"time": f"{timezone.localtime(earlier.at):%H:%M:%S}"}
    )


@transaction.atomic
def checkin_record(
    *, actor: Actor, code: str, token: str, at: datetime.datetime | None = None
) -> CheckIn:
    """Sign ``actor``'s member in to meeting ``code`` with the token read from its screen
    at ``at`` (now; a view passes the moment of a scan that was followed by a login).
    Once, inside the rule's window; after the start it is late. Every refusal changes
    nothing."""
    now = at or timezone.now()
    meeting, attendance = checkin_check(actor=actor, code=code, token=token, at=now)
    meeting = _locked(meeting)  # a closing waits for the sign-ins under way, and the reverse
    if meeting.is_closed:
        raise ValidationError(_("该会议考勤已关闭，不能再签到。"))
    try:
        with transaction.atomic():  # a savepoint: a simultaneous scan of the same member
            checkin = CheckIn.objects.create(
                meeting=meeting, member=attendance.member, at=now, late=now > meeting.starts_at
            )
    except IntegrityError:
        _refuse_twice(CheckIn.objects.get(meeting=meeting, member=attendance.member))
    Attendance.objects.filter(pk=attendance.pk).update(status=Attendance.Status.PRESENT)
    audit_record(
        actor=actor,
        action="meeting.check_in",
        target=meeting,
        target_id=meeting.code,
        after={"member": attendance.member.code, "at": now.isoformat(), "late": checkin.late},
    )
    return checkin
