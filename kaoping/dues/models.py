"""Party dues (党费): each member's monthly amount, payments, the branch's deadline and
item (settings), and the monthly closing that turns unpaid / short / late months into
deduction entries, once."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField
from kaoping.kit.users import author_field
from kaoping.ledger.models import entry_link
from kaoping.orgs.models import Member, Organization

DEFAULT_DEADLINE_DAY = 25
DEFAULT_ITEM_CODE = "D04"


class DuesSettings(models.Model):
    """A branch's dues rules: the day of the month by which that month's dues are due and
    the scheme item a missed month deducts. Without a row the defaults apply."""

    branch = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="dues_settings"
    )
    deadline_day = models.PositiveSmallIntegerField(_("每月截止日"), default=DEFAULT_DEADLINE_DAY)
    item_code = PlainCharField(_("扣分指标代码"), max_length=64, default=DEFAULT_ITEM_CODE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_day__gte=1, deadline_day__lte=28), name="dues_deadline_1_28"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} day {self.deadline_day} {self.item_code}"


class DuesRate(models.Model):
    """A member's monthly dues amount for a year (按月交纳的党费数额)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues_rates")
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("每月应交"), max_digits=9, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="dues_rate_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dues_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.amount}"


class DuesPayment(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("逐笔录入")
        IMPORT = "import", _("表格导入")

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_payments")
    period = models.DateField(_("所属月份"))  # the first day of the month
    amount = models.DecimalField(_("金额"), max_digits=9, decimal_places=2)
    paid_on = models.DateField(_("缴纳日期"))
    source = PlainCharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    recorded_by = author_field()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "paid_on", "id"]
        indexes = [models.Index(fields=["period", "member"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=Decimal(0)), name="dues_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.period:%Y-%m} {self.amount}"


class DuesClosing(models.Model):
    """A branch's month closed: its deductions are recorded; closing again adds nothing."""

    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("月份"))
    closed_at = models.DateTimeField()
    closed_by = author_field()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "period"], name="dues_closing_unique")
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.period:%Y-%m}"


class DuesStatus(models.TextChoices):
    PAID = "paid", _("按时足额")
    LATE = "late", _("逾期交纳")
    SHORT = "short", _("未足额")
    UNPAID = "unpaid", _("未交纳")
    NONE = "none", _("未设定数额")


class DuesDeduction(models.Model):
    closing = models.ForeignKey(DuesClosing, on_delete=models.PROTECT, related_name="deductions")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    status = PlainCharField(max_length=8, choices=DuesStatus.choices)
    entry = entry_link()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["closing", "member"], name="dues_deduction_unique")
        ]

    def __str__(self) -> str:
        return f"{self.closing} {self.member_id} {self.status}"
