"""Writes of meetings: schedule, take attendance, close (→ ledger entries), re-open
(→ reversals), written leave and its decision. One transaction per use case, audited."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.codes import new_code
from kaoping.kit.users import user_or_none
from kaoping.ledger.admission import members_exempt
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import PlannedEntry, entries_record_for, entry_reverse
from kaoping.notifications.services import notification_send, notification_send_many
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import branch_members_checked, manage_required, member_row, scope_for
from kaoping.schemes.models import Scheme, SchemeItem
from kaoping.schemes.selectors import refuse_if_frozen, scheme_required
from kaoping.schemes.services import deduction_rule_check

from .checkin import Refusal, token_refusal
from .models import AbsenceEntry, Attendance, CheckIn, LeaveRequest, Meeting, MeetingRule
from .selectors import branch_officers, meeting_item, meeting_timing

_require_manage = partial(manage_required, refusal=gettext_lazy("您无权管理 %(branch)s 的会议。"))


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("branch").get(pk=meeting.pk)
    )


def _refuse_frozen(meeting: Meeting) -> None:
    """A meeting's attendance records entries of its year: none once that year is final."""
    refuse_if_frozen(year=timezone.localtime(meeting.starts_at).year, branch=meeting.branch)


def meeting_link(meeting: Meeting) -> str:
    return f"/meetings/{meeting.code}/"


def _attendees_tell(meeting: Meeting, users: list, notice: str) -> None:
    """Tell the attendees when, what and where (``notice``: a gettext with ``when``,
    ``kind``, ``topic`` and ``place``), linking to the meeting."""
    when = timezone.localtime(meeting.starts_at)
    facts = {
        "when": f"{when:%Y-%m-%d %H:%M}",
        "kind": meeting.get_kind_display(),
        "topic": meeting.topic,
        "place": meeting.place,
    }
    notification_send_many(users=users, text=notice % facts, link=meeting_link(meeting))


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


def _approved_leave_members(meeting: Meeting) -> set[int]:
    return set(
        meeting.leave_requests.filter(status=LeaveRequest.Status.APPROVED).values_list(
            "member_id", flat=True
        )
    )


@transaction.atomic
def attendance_take(*, actor: Actor, meeting: Meeting, statuses: dict[str, str]) -> Meeting:
    """Record attendance: ``statuses`` maps member codes to present / leave / absent.
    "leave" needs an approved written request (rules.md §4)."""
    meeting = _locked(meeting)
    _require_manage(actor, meeting.branch)
    if meeting.is_closed:
        raise ValidationError(_("考勤已关闭；如需更正，请先重新打开考勤。"))
    _refuse_frozen(meeting)
    rows = {a.member.code: a for a in meeting.attendances.select_related("member")}
    unknown = set(statuses) - set(rows)
    if unknown:
        raise ValidationError(
            _("不是本次会议的应到党员：%(codes)s") % {"codes": "、".join(sorted(unknown))}
        )
    allowed = {Attendance.Status.PRESENT, Attendance.Status.LEAVE, Attendance.Status.ABSENT}
    if set(statuses.values()) - allowed:
        raise ValidationError(_("考勤状态只能是出席、请假或缺席。"))
    excused = _approved_leave_members(meeting)
    errors = [
        rows[code].member.name
        for code, status in statuses.items()
        if status == Attendance.Status.LEAVE and rows[code].member_id not in excused
    ]
    if errors:
        raise ValidationError(
            _("以下党员没有已批准的书面请假，不能记为请假：%(names)s")
            % {"names": "、".join(errors)}
        )
    before, changed = {}, []
    for code, status in statuses.items():
        row = rows[code]
        if row.status != status:
            before[code] = row.status
            row.status = status
            changed.append(row)
    Attendance.objects.bulk_update(changed, ["status"])
    if changed:
        audit_record(
            actor=actor,
            action="meeting.attendance",
            target=meeting,
            target_id=meeting.code,
            before=before,
            after={r.member.code: r.status for r in changed},
        )
    return meeting


@dataclass(frozen=True)
class PlannedDeduction:
    """An entry the closing of a meeting's attendance will record."""

    attendance: Attendance
    member: Member
    item: SchemeItem
    date: datetime.date
    occurrences: int = 1

    @property
    def points(self) -> Decimal:
        return self.item.points * self.occurrences


def meeting_close_plan(*, meeting: Meeting) -> list[PlannedDeduction]:
    """The deductions closing the attendance would record now: every unexcused absence
    not exempt and not already linked to an entry. ``meeting_close`` records exactly
    these, so the confirmation page shows what will happen."""
    attendances = list(meeting.attendances.select_related("member__branch", "member__user"))
    unmarked = [a.member.name for a in attendances if a.status == Attendance.Status.UNMARKED]
    if unmarked:
        raise ValidationError(_("还有党员未登记考勤：%(names)s") % {"names": "、".join(unmarked)})
    day = timezone.localtime(meeting.starts_at).date()
    excused = _approved_leave_members(meeting)
    absent = [
        a
        for a in attendances
        if a.status == Attendance.Status.ABSENT and a.member_id not in excused
    ]
    if not absent:
        return []
    item = meeting_item(
        scheme=scheme_required(day.year), kind=meeting.kind, category=meeting.branch.category
    )
    if item is None:
        raise ValidationError(
            _("%(year)s 年度方案中没有该类会议对应的扣分指标。") % {"year": day.year}
        )
    exempt = members_exempt(members=[a.member_id for a in absent], item_code=item.code, day=day)
    linked = set(
        AbsenceEntry.objects.filter(attendance__in=absent, active=True).values_list(
            "attendance_id", flat=True
        )
    )
    return [
        PlannedDeduction(attendance=a, member=a.member, item=item, date=day)
        for a in absent
        if a.member_id not in exempt and a.id not in linked
    ]


def _absence_link(attendance: Attendance, entry: ScoreEntry) -> AbsenceEntry:
    return AbsenceEntry.objects.create(attendance=attendance, entry=entry)


@transaction.atomic
def meeting_close(*, actor: Actor, meeting: Meeting) -> list[ScoreEntry]:
    """Close the attendance: every unexcused absence becomes a deduction entry (source
    meeting, the scheme's item for this kind of meeting), as ``meeting_close_plan`` lists
    them. Closing a closed meeting creates nothing."""
    meeting = _locked(meeting)
    _require_manage(actor, meeting.branch)
    if meeting.is_closed:
        return []
    _refuse_frozen(meeting)
    note = _("%(kind)s「%(topic)s」无故缺席") % {
        "kind": meeting.get_kind_display(),
        "topic": meeting.topic,
    }
    evidence = _("会议 %(code)s 考勤记录 %(link)s") % {
        "code": meeting.code,
        "link": meeting_link(meeting),
    }
    created = entries_record_for(
        actor=actor,
        source=ScoreEntry.Source.MEETING,
        planned=[
            PlannedEntry(
                p.member,
                p.item,
                p.date,
                note,
                evidence,
                partial(_absence_link, p.attendance),
                p.occurrences,
            )
            for p in meeting_close_plan(meeting=meeting)
        ],
        action="meeting.close",
        target=meeting,
        target_id=meeting.code,
        after=lambda entries: {"entries": [e.code for e in entries]},
    )
    meeting.closing_set(closed=True)
    return created


@transaction.atomic
def meeting_reopen(*, actor: Actor, meeting: Meeting, reason: str) -> list[ScoreEntry]:
    """Re-open the attendance to correct it: the entries of the closing are reversed (never
    edited); closing again records the corrected absences."""
    meeting = _locked(meeting)
    _require_manage(actor, meeting.branch)
    if not meeting.is_closed:
        raise ValidationError(_("考勤尚未关闭。"))
    _refuse_frozen(meeting)
    if not reason.strip():
        raise ValidationError({"reason": _("重新打开考勤须说明理由。")})
    links = list(
        AbsenceEntry.objects.filter(attendance__meeting=meeting, active=True).select_related(
            "entry"
        )
    )
    reversals = []
    for link in links:
        if not ScoreEntry.objects.filter(reverses=link.entry).exists():
            reversals.append(
                entry_reverse(
                    actor=actor,
                    entry=link.entry,
                    reason=_("更正会议考勤：%(reason)s") % {"reason": reason.strip()},
                )
            )
        link.active = False
        link.save(update_fields=["active"])
    meeting.closing_set(closed=False)
    audit_record(
        actor=actor,
        action="meeting.reopen",
        target=meeting,
        target_id=meeting.code,
        note=reason.strip(),
        after={"reversals": [r.code for r in reversals]},
    )
    return reversals


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
