"""Party dues (党费) in the API: every action of a branch's dues page (``views.py``) as an
operation, through the same selectors, services and permission checks. The month's status
(who paid, late, short, unpaid), the branch's settings, each member's monthly amount
(rate), payments one by one or imported from a spreadsheet, and closing a month into
deductions. Reads for the branch's officers and readers (404 for everyone else); writes
for those who keep the branch (403 for readers).

The import is the page's: the upload (multipart ``file``, the page's limits) is stored and
every row checked without writing (``jobs.imports.import_upload_check``); with no error
the answer carries the ``token`` that ``import/confirm`` takes to start the background job
that checks every row again and imports them all or none (``import_start``). A large file
is checked by a job instead: the answer (202) names it (``job``), and the job's result
holds the token when the check passed."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.pagination import Cursor
from kaoping.api.schemas import Code, Year
from kaoping.jobs.api import branch_import_operations
from kaoping.kit.decimals import decimal_text
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import scope_for

from . import selectors, services
from .background import DUES_IMPORT
from .models import DuesPayment, DuesRate

router = Router(tags=["dues"])

# A month as the page's form takes it: YYYY-MM.
Month = Annotated[str, StringConstraints(pattern=r"^(19|[2-9]\d)\d\d-(0[1-9]|1[0-2])$")]
Amount = Annotated[Decimal, Field(max_digits=9, decimal_places=2)]


def _period(month: str | None) -> datetime.date:
    if not month:
        return timezone.localdate().replace(day=1)
    return datetime.date.fromisoformat(f"{month}-01")


def _member(actor, branch: Organization, code: str) -> Member:
    """A member of the branch the forms offer (``selectors.dues_members``), or 422."""
    member = selectors.dues_members(actor=actor, branch=branch).filter(code=code).first()
    if member is None:
        raise ValidationError({"member": _("本支部没有编号为“%(c)s”的党员。") % {"c": code}})
    return member


# --------------------------------------------------------------------------- schemas


class SettingsOut(Schema):
    deadline_day: int  # the day of the month the month's dues are due by
    item_code: str  # the scheme item a missed month deducts


class SettingsIn(Schema):
    deadline_day: int = Field(..., ge=1, le=28)
    item_code: Code


class DuesRowOut(Schema):
    member: str
    name: str
    due: str | None  # the month's amount (null: none set)
    paid_on_time: str
    paid: str
    last_paid_on: datetime.date | None
    status: str  # paid / late / short / unpaid / none
    entry: str | None  # the deduction recorded when the month was closed


class ClosingOut(Schema):
    closed_at: datetime.datetime
    closed_by: str | None


class MonthOut(Schema):
    branch: str
    month: str
    deadline: datetime.date
    settings: SettingsOut
    closing: ClosingOut | None
    close_blocker: str | None  # why the month cannot be closed now (null: it can)
    can_manage: bool
    counts: dict[str, int]
    rows: list[DuesRowOut]


class PaymentIn(Schema):
    member: Code
    month: Month
    amount: Amount = Field(..., gt=0)
    paid_on: datetime.date


class PaymentOut(Schema):
    id: int
    member: str
    month: str
    amount: str
    paid_on: datetime.date
    source: str  # manual / import
    recorded_by: str | None
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_member(obj: DuesPayment) -> str:
        return obj.member.code

    @staticmethod
    def resolve_month(obj: DuesPayment) -> str:
        return f"{obj.period:%Y-%m}"

    @staticmethod
    def resolve_amount(obj: DuesPayment) -> str:
        return decimal_text(obj.amount)

    @staticmethod
    def resolve_recorded_by(obj: DuesPayment) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by else None


class RateIn(Schema):
    member: Code
    year: int = Field(..., ge=2000, le=2100)  # as the page's form
    amount: Amount = Field(..., ge=0)


class RateOut(Schema):
    member: str
    year: int
    amount: str

    @staticmethod
    def resolve_member(obj: DuesRate) -> str:
        return obj.member.code

    @staticmethod
    def resolve_amount(obj: DuesRate) -> str:
        return decimal_text(obj.amount)


class CloseIn(Schema):
    month: Month
    confirm: bool = False  # closing cannot be undone: without it, nothing happens


class CloseOut(Schema):
    branch: str
    month: str
    closed: bool
    already_closed: bool  # closed before: nothing new recorded
    close_blocker: str | None
    entries: list[str]  # the deductions recorded now


def settings_out(settings) -> dict:
    return {"deadline_day": settings.deadline_day, "item_code": settings.item_code}


# --------------------------------------------------------------------------- the month


@router.get("/branches/{code}/dues", response={200: MonthOut, **READ_ERRORS})
def branch_dues(request: AuthedRequest, code: Code, month: Month | None = None):
    """A branch's month (``month``: YYYY-MM, the current month by default), as on its dues
    page: every member's amount due, paid by the deadline, paid in all, and status; the
    settings, the deadline, the closing, and why it cannot be closed yet."""
    actor = request.auth
    branch = selectors.branch_for_dues(actor=actor, code=code)
    period = _period(month)
    settings = selectors.dues_settings_for(branch)
    rows = selectors.dues_month(branch=branch, period=period)
    closing = selectors.dues_closing(branch=branch, period=period)
    can_manage = scope_for(actor).manages(branch.path)
    blocker = None
    if closing is None:
        blocker = services.dues_close_blocker(branch=branch, period=period, settings=settings)
    return {
        "branch": branch.code,
        "month": f"{period:%Y-%m}",
        "deadline": selectors.deadline_of(period, settings),
        "settings": settings_out(settings),
        "closing": closing
        and {
            "closed_at": closing.closed_at,
            "closed_by": closing.closed_by.get_username() if closing.closed_by else None,
        },
        "close_blocker": blocker,
        "can_manage": can_manage,
        "counts": {
            s: sum(1 for r in rows if r.status == s) for s in ("paid", "late", "short", "unpaid")
        },
        "rows": [
            {
                "member": r.member.code,
                "name": r.member.name,
                "due": decimal_text(r.due),
                "paid_on_time": decimal_text(r.paid_on_time),
                "paid": decimal_text(r.paid),
                "last_paid_on": r.last_paid_on,
                "status": r.status,
                "entry": r.entry_code,
            }
            for r in rows
        ],
    }


@router.get("/branches/{code}/dues/settings", response={200: SettingsOut, **READ_ERRORS})
def dues_settings(request: AuthedRequest, code: Code):
    """The branch's dues settings (the defaults until they are set)."""
    branch = selectors.branch_for_dues(actor=request.auth, code=code)
    return settings_out(selectors.dues_settings_for(branch))


@router.put("/branches/{code}/dues/settings", response={200: SettingsOut, **WRITE_ERRORS})
def dues_settings_set(request: AuthedRequest, code: Code, payload: SettingsIn):
    """Set the branch's deadline day (1-28) and the item a missed month deducts."""
    actor = request.auth
    branch = selectors.branch_for_dues(actor=actor, code=code, manage=True)
    row = services.dues_settings_set(
        actor=actor, branch=branch, deadline_day=payload.deadline_day, item_code=payload.item_code
    )
    return settings_out(row)


# --------------------------------------------------------------------------- amounts, payments


@router.get("/branches/{code}/dues/rates", response={200: list[RateOut], **READ_ERRORS})
@paginate(Cursor)
def dues_rates(request: AuthedRequest, code: Code, year: Year | None = None):
    """The monthly amounts set for the branch's members (``year``: of one year), by
    member and year."""
    branch = selectors.branch_for_dues(actor=request.auth, code=code)
    rates = selectors.dues_rates(branch=branch, year=year)
    return rates


@router.post("/branches/{code}/dues/rates", response={200: RateOut, **WRITE_ERRORS})
def dues_rate_set(request: AuthedRequest, code: Code, payload: RateIn):
    """Set a member's monthly amount for a year (replacing the one set before)."""
    actor = request.auth
    branch = selectors.branch_for_dues(actor=actor, code=code, manage=True)
    member = _member(actor, branch, payload.member)
    rate = services.dues_rate_set(
        actor=actor, member=member, year=payload.year, amount=payload.amount
    )
    return rate


@router.get("/branches/{code}/dues/payments", response={200: list[PaymentOut], **READ_ERRORS})
@paginate(Cursor)
def dues_payments(request: AuthedRequest, code: Code, month: Month | None = None):
    """The payments recorded for the branch's members (``month``: YYYY-MM, of one month),
    by month and date of payment."""
    branch = selectors.branch_for_dues(actor=request.auth, code=code)
    return selectors.dues_payments(branch=branch, period=_period(month) if month else None)


@router.post("/branches/{code}/dues/payments", response={201: PaymentOut, **WRITE_ERRORS})
def dues_payment_record(request: AuthedRequest, code: Code, payload: PaymentIn):
    """Record a member's payment for a month. 422 for a closed month, a payment dated in
    the future, an amount not above 0, or a member not of the branch."""
    actor = request.auth
    branch = selectors.branch_for_dues(actor=actor, code=code, manage=True)
    member = _member(actor, branch, payload.member)
    payment = services.dues_payment_record(
        actor=actor,
        member=member,
        period=_period(payload.month),
        amount=payload.amount,
        paid_on=payload.paid_on,
    )
    return 201, payment


# --------------------------------------------------------------------------- closing


@router.post("/branches/{code}/dues/close", response={200: CloseOut, **WRITE_ERRORS})
def dues_month_close(request: AuthedRequest, code: Code, payload: CloseIn):
    """Close a month after the branch's deadline, as the page does in two steps: without
    ``confirm`` nothing happens (``close_blocker`` says why it could not be closed now);
    with ``confirm`` a late, short or unpaid month becomes a deduction of each member
    (``entries``). Closing a closed month records nothing (``already_closed``). 422 before
    the deadline, without the item in the year's scheme, or in a frozen year."""
    actor = request.auth
    branch = selectors.branch_for_dues(actor=actor, code=code, manage=True)
    period = _period(payload.month)
    was_closed = selectors.dues_closing(branch=branch, period=period) is not None
    answer = {"branch": branch.code, "month": f"{period:%Y-%m}", "close_blocker": None}
    if not was_closed and not payload.confirm:
        blocker = services.dues_close_blocker(branch=branch, period=period)
        return answer | {
            "closed": False,
            "already_closed": False,
            "close_blocker": blocker,
            "entries": [],
        }
    created = services.dues_month_close(actor=actor, branch=branch, period=period)
    return answer | {
        "closed": True,
        "already_closed": was_closed,
        "entries": [e.code for e in created],
    }


# --------------------------------------------------------------------------- import


branch_import_operations(
    router,
    path="/branches/{code}/dues/import",
    spec=DUES_IMPORT,
    operation_ids=("kaoping_dues_api_dues_import", "kaoping_dues_api_dues_import_confirm"),
    tags=["dues"],
    check_doc="Upload payments as an xlsx file (multipart ``file``; the template is the page's "
    "/dues/template.xlsx): the page's limits (size, .xlsx, the workbook's declared sizes), "
    "then every row checked, nothing written. ``token`` (no ``errors``): confirm it with "
    "``import/confirm``; ``errors``: every row and column wrong, nothing can be imported. A "
    "large file is checked by a background job instead (202, ``job``).",
)
