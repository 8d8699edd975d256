"""Writes of attendance (考勤): taking it, closing it into ledger entries (its plan first),
re-opening it into reversals."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.ledger.admission import members_exempt
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import PlannedEntry, entries_record_for, entry_reverse
from kaoping.orgs.models import Member
from kaoping.schemes.models import SchemeItem
from kaoping.schemes.selectors import scheme_required

from ..models import AbsenceEntry, Attendance, LeaveRequest, Meeting
from ..selectors import meeting_item
from .common import _locked, _refuse_frozen, _require_manage, meeting_link


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
