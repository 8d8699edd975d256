"""Writes of a meeting itself (会议): the meeting rule of a kind, scheduling, changing, and
its record (会议记录)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.codes import new_code
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import branch_members_checked
from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import refuse_if_frozen
from kaoping.schemes.services import deduction_rule_check

from ..models import Attendance, Meeting, MeetingRule
from .common import _attendees_tell, _locked, _refuse_frozen, _require_manage

TIMING_FIELDS = ("checkin_opens_before", "checkin_closes_after", "leave_cutoff_before")


@transaction.atomic
def meeting_rule_set(
    *,
    actor: Actor,
    scheme: Scheme,
    kind: str,
    item_code: str,
    category: str = "",
    **timing: int,
) -> Any:
    """Choose the item an unexcused absence from ``kind`` deducts (a scheme setting) and,
    optionally, the timing of such meetings (``TIMING_FIELDS``, minutes)."""
    deduction_rule_check(actor=actor, scheme=scheme, item_code=item_code)
    unknown = set(timing) - set(TIMING_FIELDS)
    if unknown:
        raise ValidationError(
            _("未知的会议设置：%(names)s") % {"names": "、".join(sorted(unknown))}
        )
    rule, _created = MeetingRule.objects.update_or_create(
        scheme=scheme, kind=kind, category=category, defaults={"item_code": item_code, **timing}
    )
    rule.full_clean()
    audit_record(
        actor=actor,
        action="meeting_rule.set",
        target=rule,
        after={
            "year": scheme.year,
            "kind": kind,
            "category": category,
            "item": item_code,
            **{f: getattr(rule, f) for f in TIMING_FIELDS},
        },
    )
    return rule


@transaction.atomic
def meeting_schedule(
    *,
    actor: Actor,
    branch: Organization,
    kind: str,
    starts_at: datetime.datetime,
    place: str,
    topic: str,
    members: list[Member] | None = None,
) -> Meeting:
    """Schedule a meeting of the branch; ``members`` must attend (default: every assessed
    member of the branch). The attendees are told in the app."""
    _require_manage(actor, branch)
    if not branch.is_branch:
        raise ValidationError({"branch": _("只有党支部可以安排会议。")})
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": _("会议开始时间必须带时区。")})
    refuse_if_frozen(year=timezone.localtime(starts_at).year, branch=branch, field="starts_at")
    members = branch_members_checked(
        branch=branch, members=members, none_message=_("至少选择一名应到党员。")
    )
    meeting = Meeting(
        code=new_code("MT"),
        branch=branch,
        kind=kind,
        starts_at=starts_at,
        place=place.strip(),
        topic=topic.strip(),
        created_by=user_or_none(actor),
    )
    meeting.full_clean()
    meeting.save()
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in members)
    audit_record(
        actor=actor,
        action="meeting.schedule",
        target=meeting,
        target_id=meeting.code,
        after={
            "branch": branch.code,
            "kind": kind,
            "starts_at": starts_at.isoformat(),
            "members": sorted(m.code for m in members),
        },
    )
    notice = _("会议通知：%(when)s %(kind)s「%(topic)s」，地点 %(place)s")
    _attendees_tell(meeting, [m.user for m in members if m.user_id], notice)
    return meeting


@transaction.atomic
def meeting_minutes_record(
    *, actor: Actor, meeting: Meeting, host: str, recorder: str, minutes: str
) -> Meeting:
    """Write a meeting's record (会议记录): who chaired it, who recorded it, and what was
    said and decided. The branch's officers write it, before or after attendance is
    closed, until the meeting's year is final; each change is audited."""
    meeting = _locked(meeting)
    _require_manage(actor, meeting.branch)
    _refuse_frozen(meeting)
    before = {"host": meeting.host, "recorder": meeting.recorder, "minutes": meeting.minutes}
    meeting.host, meeting.recorder, meeting.minutes = host.strip(), recorder.strip(), minutes
    meeting.full_clean()
    after = {"host": meeting.host, "recorder": meeting.recorder, "minutes": meeting.minutes}
    if after == before:
        return meeting
    meeting.save(update_fields=["host", "recorder", "minutes"])
    audit_record(
        actor=actor,
        action="meeting.minutes",
        target=meeting,
        target_id=meeting.code,
        before=before,
        after=after,
    )
    return meeting


@transaction.atomic
def meeting_change(
    *,
    actor: Actor,
    meeting: Meeting,
    starts_at: datetime.datetime,
    place: str,
    topic: str,
) -> Meeting:
    """Change a meeting's time, place or topic (会议变更) before its attendance is closed;
    the attendees are told what changed."""
    meeting = _locked(meeting)
    _require_manage(actor, meeting.branch)
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": _("会议开始时间必须带时区。")})
    _refuse_frozen(meeting)
    refuse_if_frozen(
        year=timezone.localtime(starts_at).year, branch=meeting.branch, field="starts_at"
    )
    if meeting.is_closed:
        raise ValidationError(_("该会议考勤已关闭，不能再变更；请先重新打开考勤。"))
    before = {
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
        "topic": meeting.topic,
    }
    meeting.starts_at, meeting.place, meeting.topic = starts_at, place.strip(), topic.strip()
    meeting.full_clean()
    meeting.save(update_fields=["starts_at", "place", "topic"])
    after = {"starts_at": starts_at.isoformat(), "place": meeting.place, "topic": meeting.topic}
    if after == before:
        return meeting
    audit_record(
        actor=actor,
        action="meeting.change",
        target=meeting,
        target_id=meeting.code,
        before=before,
        after=after,
    )
    users = [a.member.user for a in meeting.attendances.select_related("member__user")]
    notice = _("会议变更：%(when)s %(kind)s「%(topic)s」，地点 %(place)s")
    _attendees_tell(meeting, [u for u in users if u is not None], notice)
    return meeting
