"""Reads of dues: a branch's settings and its month (who paid, late, short, unpaid)."""

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor
from kaoping.orgs.models import ON_ROLL_STATUSES, Member, Organization
from kaoping.orgs.selectors import branch_for_staff, manage_required, members_visible, scope_for

from .models import DuesClosing, DuesDeduction, DuesPayment, DuesRate, DuesSettings, DuesStatus

# The one refusal of a dues write, for the pages and the services alike.
MANAGE_REFUSAL = gettext_lazy("您无权管理 %(branch)s 的党费。")


def dues_settings_for(branch: Organization) -> DuesSettings:
    return DuesSettings.objects.filter(branch=branch).first() or DuesSettings(branch=branch)


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def deadline_of(period: datetime.date, settings: DuesSettings) -> datetime.date:
    last = calendar.monthrange(period.year, period.month)[1]
    return period.replace(day=min(settings.deadline_day, last))


@dataclass
class DuesRow:
    member: Member
    due: Decimal | None
    paid_on_time: Decimal
    paid: Decimal
    last_paid_on: datetime.date | None
    status: str
    entry_code: str | None = None

    @property
    def status_label(self) -> str:
        return str(DuesStatus(self.status).label)


def status_of(due: Any, paid_on_time: Any, paid: Any) -> str:
    if due is None:
        return DuesStatus.NONE
    if paid_on_time >= due:
        return DuesStatus.PAID
    if paid >= due:
        return DuesStatus.LATE
    if paid > 0:
        return DuesStatus.SHORT
    return DuesStatus.UNPAID


def dues_month(*, branch: Organization, period: datetime.date) -> list[DuesRow]:
    """Every assessed member of the branch for the month (five queries, any size)."""
    settings = dues_settings_for(branch)
    deadline = deadline_of(period, settings)
    members = list(branch.members.filter(status__in=ON_ROLL_STATUSES).order_by("code"))
    rates = dict(
        DuesRate.objects.filter(member__branch=branch, year=period.year).values_list(
            "member_id", "amount"
        )
    )
    paid = {
        r["member_id"]: r
        for r in DuesPayment.objects.filter(member__branch=branch, period=period)
        .values("member_id")
        .annotate(
            total=Sum("amount"),
            on_time=Sum("amount", filter=Q(paid_on__lte=deadline)),
            last=Max("paid_on"),
        )
    }
    entries = dict(
        DuesDeduction.objects.filter(closing__branch=branch, closing__period=period).values_list(
            "member_id", "entry__code"
        )
    )
    rows = []
    for m in members:
        p: Mapping[str, Any] = paid.get(m.id, {})
        total, on_time = p.get("total") or Decimal(0), p.get("on_time") or Decimal(0)
        due = rates.get(m.id)
        rows.append(
            DuesRow(
                member=m,
                due=due,
                paid_on_time=on_time,
                paid=total,
                last_paid_on=p.get("last"),
                status=status_of(due, on_time, total),
                entry_code=entries.get(m.id),
            )
        )
    return rows


def dues_closing(*, branch: Organization, period: datetime.date) -> DuesClosing | None:
    return DuesClosing.objects.filter(branch=branch, period=period).first()


def branch_for_dues(*, actor: Actor, code: str, manage: bool = False) -> Organization:
    """The branch for its officers (404 for everybody else); ``manage``: 403 unless the
    actor keeps it."""
    branch = branch_for_staff(actor=actor, code=code)
    if manage:
        manage_required(actor, branch, MANAGE_REFUSAL, system=False)
    return branch


def dues_members(*, actor: Actor, branch: Organization) -> QuerySet[Member]:
    """The branch's members a payment or an amount may be recorded for (the forms'
    choices, the API's ``member`` codes)."""
    return members_visible(actor=actor).filter(branch=branch).order_by("code")


def dues_rates(*, branch: Organization, year: int | None = None) -> QuerySet[DuesRate]:
    """The monthly amounts set for the branch's members, by member and year."""
    rates = DuesRate.objects.filter(member__branch=branch).select_related("member")
    if year is not None:
        rates = rates.filter(year=year)
    return rates.order_by("member__code", "year")


def dues_payments(
    *, branch: Organization, period: datetime.date | None = None
) -> QuerySet[DuesPayment]:
    """The payments of the branch's members (of one month), by month and date paid."""
    payments = DuesPayment.objects.filter(member__branch=branch).select_related(
        "member", "recorded_by"
    )
    if period is not None:
        payments = payments.filter(period=period)
    return payments.order_by("period", "paid_on", "id")


def member_dues(*, actor: Actor, member: Member, year: int) -> list[DuesPayment]:
    scope = scope_for(actor)
    if not (scope.reads(member.branch.path) or scope.member_id == member.id):
        return []
    return list(DuesPayment.objects.filter(member=member, period__year=year).order_by("-period"))
