"""What the dashboards share: the months and grades they chart, percentages, the
entries that count, and the set-based sums over branches (attendance, dues) that the
branch and committee dashboards both show."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from kaoping.dues.models import DuesPayment, DuesRate, DuesSettings
from kaoping.dues.selectors import deadline_of, status_of
from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.models import Attendance, Meeting
from kaoping.orgs.models import ON_ROLL_STATUSES, Organization
from kaoping.scoring.engine import GRADE_REPORT_ORDER

MONTHS = range(1, 13)
GRADES = GRADE_REPORT_ORDER
TOP_ITEMS = 6  # deduction items charted one by one; the rest go together as "other"
_HUNDRED = Decimal(100)


def _percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * _HUNDRED / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _months_so_far(year: int) -> list[int]:
    """The months of ``year`` that have begun (all twelve for a past year)."""
    today = timezone.localdate()
    if year < today.year:
        return list(MONTHS)
    if year > today.year:
        return []
    return list(range(1, today.month + 1))


def _live_entries(year: int) -> QuerySet[ScoreEntry]:
    """Entries that count: neither reversed nor reversals (the engine drops both)."""
    return ScoreEntry.objects.filter(year=year, reverses__isnull=True, reversed_by__isnull=True)


def _attendance(*, year: int, branches: list[Organization], by: str) -> dict:
    """Attendance at closed meetings of the year: (present, leave, absent, total) grouped
    by month or by branch. One query."""
    group = ExtractMonth("meeting__starts_at") if by == "month" else F("meeting__branch_id")
    rows = (
        Attendance.objects.filter(
            meeting__branch__in=branches,
            meeting__status=Meeting.Status.CLOSED,
            meeting__starts_at__year=year,
        )
        .annotate(k=group)
        .values("k")
        .annotate(
            total=Count("id"),
            present=Count("id", filter=Q(status=Attendance.Status.PRESENT)),
            leave=Count("id", filter=Q(status=Attendance.Status.LEAVE)),
            absent=Count("id", filter=Q(status=Attendance.Status.ABSENT)),
        )
        .order_by("k")
    )
    return {
        row["k"]: {
            "total": row["total"],
            "present": row["present"],
            "leave": row["leave"],
            "absent": row["absent"],
            "rate": _percent(row["present"], row["total"]),
        }
        for row in rows
    }


@dataclass
class DuesTally:
    due: int = 0
    paid: int = 0
    late: int = 0
    short: int = 0
    unpaid: int = 0

    @property
    def rate(self) -> Decimal | None:
        return _percent(self.paid, self.due)


def _dues(*, year: int, branches: list[Organization]) -> tuple[dict, dict]:
    """Dues compliance for the months begun so far: per month and per branch, counting
    member-months with a rate (paid on time, late, short, unpaid). Three queries."""
    months = _months_so_far(year)
    deadline_day = dict(
        DuesSettings.objects.filter(branch__in=branches).values_list("branch_id", "deadline_day")
    )
    default_day = DuesSettings._meta.get_field("deadline_day").default
    rates = {
        member_id: (branch_id, amount)
        for member_id, branch_id, amount in DuesRate.objects.filter(
            year=year, member__branch__in=branches, member__status__in=ON_ROLL_STATUSES
        ).values_list("member_id", "member__branch_id", "amount")
    }
    paid: dict[tuple[int, int], list[tuple[Decimal, datetime.date]]] = defaultdict(list)
    for member_id, period, amount, paid_on in DuesPayment.objects.filter(
        member_id__in=list(rates), period__year=year
    ).values_list("member_id", "period", "amount", "paid_on"):
        paid[(member_id, period.month)].append((amount, paid_on))
    by_month: dict[int, DuesTally] = {m: DuesTally() for m in months}
    by_branch: dict[int, DuesTally] = {b.id: DuesTally() for b in branches}
    for member_id, (branch_id, due) in rates.items():
        settings = DuesSettings(deadline_day=deadline_day.get(branch_id, default_day))
        for m in months:
            deadline = deadline_of(datetime.date(year, m, 1), settings)
            payments = paid.get((member_id, m), [])
            total = sum((a for a, _ in payments), Decimal(0))
            on_time = sum((a for a, d in payments if d <= deadline), Decimal(0))
            status = str(status_of(due, on_time, total))
            for tally in (by_month[m], by_branch[branch_id]):
                tally.due += 1
                if hasattr(tally, status):
                    setattr(tally, status, getattr(tally, status) + 1)
    return by_month, by_branch
