"""Writes of dues: settings, monthly amounts, payments (one by one or imported from a
spreadsheet, all or nothing), and the monthly closing into deduction entries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor, ProgressFn
from kaoping.audit.services import audit_record
from kaoping.kit.users import user_or_none
from kaoping.ledger.admission import members_exempt
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import PlannedEntry, entries_record_for
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import manage_required
from kaoping.schemes.models import SchemeItem
from kaoping.schemes.selectors import frozen_notice
from kaoping.sheets.xlsx import Column, RowError, SheetErrors, SheetRow, template_workbook

from .models import DuesClosing, DuesDeduction, DuesPayment, DuesRate, DuesSettings, DuesStatus
from .selectors import MANAGE_REFUSAL, DuesRow, deadline_of, dues_month, dues_settings_for

_require_manage = partial(manage_required, refusal=MANAGE_REFUSAL)


@transaction.atomic
def dues_settings_set(
    *, actor: Actor, branch: Organization, deadline_day: int, item_code: str
) -> Any:
    _require_manage(actor, branch)
    row, _created = DuesSettings.objects.get_or_create(branch=branch)
    before = {"deadline_day": row.deadline_day, "item_code": row.item_code}
    row.deadline_day, row.item_code = deadline_day, item_code.strip()
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="dues.settings",
        target=row,
        before=before,
        after={"deadline_day": deadline_day, "item_code": row.item_code},
    )
    return row


@transaction.atomic
def dues_rate_set(*, actor: Actor, member: Member, year: int, amount: Decimal) -> DuesRate:
    _require_manage(actor, member.branch)
    if amount < 0:
        raise ValidationError({"amount": _("金额不能为负数。")})
    rate, _created = DuesRate.objects.update_or_create(
        member=member, year=year, defaults={"amount": amount}
    )
    audit_record(
        actor=actor,
        action="dues.rate",
        target=rate,
        after={"member": member.code, "year": year, "amount": str(amount)},
    )
    return rate


def _check_payment(
    member: Member, period: Any, amount: Any, paid_on: Any, closed: set
) -> dict[str, str] | None:
    """What is wrong with a payment, by the field of the payment form (and of the API)."""
    if amount is None or amount <= 0:
        return {"amount": _("金额必须大于 0。")}
    if paid_on > timezone.localdate():
        return {"paid_on": _("缴纳日期不能晚于今天。")}
    if (member.branch_id, period) in closed:
        return {"month": _("%(month)s 已结算，不能再补录。") % {"month": f"{period:%Y-%m}"}}
    return None


@transaction.atomic
def dues_payment_record(
    *, actor: Actor, member: Member, period: datetime.date, amount: Decimal, paid_on: datetime.date
) -> DuesPayment:
    _require_manage(actor, member.branch)
    period = period.replace(day=1)
    closed = set(
        DuesClosing.objects.filter(branch=member.branch, period=period).values_list(
            "branch_id", "period"
        )
    )
    problem = _check_payment(member, period, amount, paid_on, closed)
    if problem:
        raise ValidationError(problem)
    payment = DuesPayment(
        member=member,
        period=period,
        amount=amount,
        paid_on=paid_on,
        recorded_by=user_or_none(actor),
    )
    payment.full_clean()
    payment.save()
    audit_record(
        actor=actor,
        action="dues.payment",
        target=payment,
        after={"member": member.code, "month": f"{period:%Y-%m}", "amount": str(amount)},
    )
    return payment


IMPORT_COLUMNS = (
    Column("member", "党员编号", comment="本支部党员的编号", example="M0001"),
    Column("period", "月份", kind="month", example="2026-01"),
    Column("amount", "金额", kind="decimal", decimal_places=2, example="50.00"),
    Column("paid_on", "缴纳日期", kind="date", example="2026-01-15"),
)


@dataclass(frozen=True)
class CheckedRow:
    line: int
    member: Member
    period: datetime.date
    amount: Decimal
    paid_on: datetime.date


def dues_import_check(
    *, actor: Actor, branch: Organization, rows: list[SheetRow], progress: ProgressFn = None
) -> tuple[list[CheckedRow], list[RowError]]:
    """Every row checked without writing; each error names the row and the column."""
    _require_manage(actor, branch)
    members = {m.code: m for m in branch.members.all()}
    closed = set(DuesClosing.objects.filter(branch=branch).values_list("period", flat=True))
    today = timezone.localdate()
    good, errors = [], []
    for index, r in enumerate(rows, start=1):
        if progress is not None and index % 200 == 0:
            progress(index, len(rows) + 1, _("检查第 %(n)s 行") % {"n": r.line})
        v = r.values
        if None in (v["member"], v["period"], v["amount"], v["paid_on"]):
            continue  # read_rows has reported the empty or malformed cell
        problems = []
        member = members.get(v["member"])
        if member is None:
            problems.append(("党员编号", _("本支部没有编号为“%(c)s”的党员。") % {"c": v["member"]}))
        if v["amount"] <= 0:
            problems.append(("金额", _("金额必须大于 0。")))
        if v["paid_on"] > today:
            problems.append(("缴纳日期", _("缴纳日期不能晚于今天。")))
        if v["period"] in closed:
            problems.append(
                ("月份", _("%(month)s 已结算，不能再补录。") % {"month": f"{v['period']:%Y-%m}"})
            )
        errors += [RowError(r.line, column, message) for column, message in problems]
        if not problems and member is not None:
            good.append(CheckedRow(r.line, member, v["period"], v["amount"], v["paid_on"]))
    return good, errors


@transaction.atomic
def dues_import(*, actor: Actor, branch: Organization, rows: list[SheetRow]) -> int:
    """Import payments: every row is checked again here and all are stored, or none
    (``SheetErrors`` carries the row errors)."""
    good, errors = dues_import_check(actor=actor, branch=branch, rows=rows)
    if errors:
        raise SheetErrors(errors)
    if not good:
        raise SheetErrors([RowError(2, "", _("表格中没有数据行。"))])
    DuesPayment.objects.bulk_create(
        DuesPayment(
            member=r.member,
            period=r.period,
            amount=r.amount,
            paid_on=r.paid_on,
            source=DuesPayment.Source.IMPORT,
            recorded_by=user_or_none(actor),
        )
        for r in good
    )
    audit_record(
        actor=actor,
        action="dues.import",
        target=branch,
        target_id=branch.code,
        after={"rows": len(good)},
    )
    return len(good)


def dues_close_blocker(
    *, branch: Organization, period: datetime.date, settings: DuesSettings | None = None
) -> str | None:
    """Why the month cannot be closed now (None: it can): the rule ``dues_month_close``
    applies, also used by the page to offer the closing only when it is allowed."""
    period = period.replace(day=1)
    settings = settings or dues_settings_for(branch)
    deadline = deadline_of(period, settings)
    if timezone.localdate() <= deadline:
        return _("%(month)s 的交纳截止日为 %(day)s，截止日过后才能结算。") % {
            "month": f"{period:%Y-%m}",
            "day": deadline.isoformat(),
        }
    code = settings.item_code
    if not SchemeItem.objects.filter(scheme__year=period.year, code=code).exists():
        return _("%(year)s 年度方案中没有指标 %(code)s。") % {"year": period.year, "code": code}
    return frozen_notice(year=period.year, branch=branch)


def _deduction_link(closing: DuesClosing, row: DuesRow, entry: ScoreEntry) -> DuesDeduction:
    return DuesDeduction.objects.create(
        closing=closing, member=row.member, status=row.status, entry=entry
    )


@transaction.atomic
def dues_month_close(
    *, actor: Actor, branch: Organization, period: datetime.date
) -> list[ScoreEntry]:
    """Close a month after the branch's deadline: a late, short or unpaid month becomes a
    deduction (the branch's item, source dues). Closing a closed month creates nothing."""
    _require_manage(actor, branch)
    period = period.replace(day=1)
    branch = Organization.objects.select_for_update().get(pk=branch.pk)
    if DuesClosing.objects.filter(branch=branch, period=period).exists():
        return []
    settings = dues_settings_for(branch)
    blocker = dues_close_blocker(branch=branch, period=period, settings=settings)
    if blocker is not None:
        raise ValidationError(blocker)
    deadline = deadline_of(period, settings)
    item = SchemeItem.objects.get(scheme__year=period.year, code=settings.item_code)
    closing = DuesClosing.objects.create(
        branch=branch, period=period, closed_at=timezone.now(), closed_by=user_or_none(actor)
    )
    missed = [
        r
        for r in dues_month(branch=branch, period=period)
        if r.status in (DuesStatus.LATE, DuesStatus.SHORT, DuesStatus.UNPAID)
        and r.member.status != Member.Status.UNDER_INVESTIGATION
    ]
    exempt = members_exempt(members=[r.member for r in missed], item_code=item.code, day=deadline)
    month = f"{period:%Y-%m}"
    return entries_record_for(
        actor=actor,
        source=ScoreEntry.Source.DUES,
        planned=[
            PlannedEntry(
                r.member,
                item,
                deadline,
                _("%(month)s 党费%(status)s（应交 %(due)s，截止日前已交 %(paid)s）")
                % {"month": month, "status": r.status_label, "due": r.due, "paid": r.paid_on_time},
                _("党费 %(month)s 结算 /branches/%(code)s/dues/?month=%(month)s")
                % {"month": month, "code": branch.code},
                partial(_deduction_link, closing, r),
            )
            for r in missed
            if r.member.id not in exempt and item.applies_to(branch.category)
        ],
        action="dues.close",
        target=closing,
        after=lambda entries: {"branch": branch.code, "month": month, "entries": len(entries)},
    )


def dues_template() -> bytes:
    """The import template: the header (with a comment per column) and one example row."""
    return template_workbook(IMPORT_COLUMNS, "党费")
