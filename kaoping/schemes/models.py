from decimal import Decimal

import pgtrigger
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import CODE_MAX, GROUP_MAX, REASON_MAX, TITLE_MAX, CodeField, PlainCharField
from kaoping.orgs.models import Member

DEFAULT_BALLOT_OPTIONS = {"excellent": "100", "qualified": "80", "basic": "60", "unqualified": "0"}
BALLOT_OPTION_NAMES = tuple(DEFAULT_BALLOT_OPTIONS)


def ballot_option_order(option: str) -> tuple[int, str]:
    """Sort key of ballot options (测评选项): jsonb does not keep the keys' order, so the
    usual four first, in their usual order, then any other by name."""
    known = list(BALLOT_OPTION_NAMES)
    return (known.index(option) if option in known else len(known), option)


def default_ballot_options() -> dict[str, str]:
    return dict(DEFAULT_BALLOT_OPTIONS)


class QuotaRounding(models.TextChoices):
    FLOOR = "floor", _("向下取整")
    ROUND_HALF_UP = "round_half_up", _("四舍五入")
    CEIL = "ceil", _("向上取整")


def settings_constraints(prefix: str) -> list[models.CheckConstraint]:
    """The invariants of the settings, named ``<prefix>_…`` for each concrete model."""
    return [
        models.CheckConstraint(
            condition=Q(democratic_share__gte=0, democratic_share__lte=1),
            name=f"{prefix}_democratic_share_0_1",
        ),
        models.CheckConstraint(
            condition=Q(excellent_quota__gte=0, excellent_quota__lte=1),
            name=f"{prefix}_quota_0_1",
        ),
        models.CheckConstraint(
            condition=Q(vote_min_turnout__gte=0, vote_min_turnout__lte=1),
            name=f"{prefix}_vote_min_turnout_0_1",
        ),
        models.CheckConstraint(
            condition=Q(basic_threshold__lte=F("qualified_threshold"))
            & Q(qualified_threshold__lte=F("excellent_threshold")),
            name=f"{prefix}_thresholds_ordered",
        ),
        models.CheckConstraint(
            condition=Q(base_points__gte=0, bonus_cap__gte=0), name=f"{prefix}_points_not_negative"
        ),
    ]


def _points(label, default: Decimal) -> models.DecimalField:
    """A setting in points (a score, a threshold): two decimals."""
    return models.DecimalField(label, max_digits=7, decimal_places=2, default=default)


def _share(label, default: Decimal) -> models.DecimalField:
    """A setting that is a share (0.3 = 30 %): four decimals."""
    return models.DecimalField(label, max_digits=6, decimal_places=4, default=default)


class SchemeSettings(models.Model):
    """The settings of rules.md §2 (方案设置), shared by the year's scheme and a draft of
    one (planning): the same names, so one code path (``scoring.selectors.rules_from``)
    reads both."""

    QuotaRounding = QuotaRounding

    base_points = _points(_("基础分"), Decimal(70))
    bonus_cap = _points(_("加分上限"), Decimal(10))
    democratic_share = _share(_("民主测评占比"), Decimal("0.30"))
    excellent_threshold = _points(_("优秀分数线"), Decimal(90))
    qualified_threshold = _points(_("合格分数线"), Decimal(70))
    basic_threshold = _points(_("基本合格分数线"), Decimal(60))
    excellent_quota = _share(_("优秀比例"), Decimal("0.15"))
    quota_rounding = PlainCharField(
        _("名额取整方式"), max_length=16, choices=QuotaRounding.choices, default=QuotaRounding.FLOOR
    )
    ballot_options = models.JSONField(_("测评选项分值"), default=default_ballot_options)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    # The vote counts only with enough members taking part. Neither the source's practice
    # nor rules.md gives the share for the democratic vote; two thirds by default (the
    # setting's precision: 0.6667), below which the vote cannot be closed as valid.
    vote_min_turnout = _share(_("民主测评最低投票率"), Decimal("0.6667"))

    class Meta:
        abstract = True


# The settings, in the model's order: every list of them (services, planning, API, bundle,
# engine) is derived from this one model.
SETTING_FIELDS = tuple(f.name for f in SchemeSettings._meta.local_fields)
DECIMAL_SETTINGS = tuple(
    f.name for f in SchemeSettings._meta.local_fields if isinstance(f, models.DecimalField)
)


class Scheme(SchemeSettings):
    """The year's assessment scheme (考评方案): every rule of rules.md §2 is a setting here,
    because each organisation adapts them every year."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    finalised_at = models.DateTimeField(_("定格时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = settings_constraints("scheme")
        triggers = [
            # A new year's scheme gives the ledger that year's partition (PostgreSQL; the
            # function is made by ledger/migrations/0007_partition_by_year).
            pgtrigger.Trigger(
                name="scheme_ledger_partition",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                level=pgtrigger.Row,
                func="PERFORM kp_ledger_partition(NEW.year); RETURN NULL;",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年度考评方案"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None


class ItemKind(models.TextChoices):
    DEDUCTION = "deduction", _("扣分")
    BONUS = "bonus", _("加分")


class ItemSettings(models.Model):
    """What an item says (考评指标: a deduction or bonus, points per occurrence), shared by
    an item of the year's scheme and an item of a draft (planning), which copy it both
    ways."""

    kind = PlainCharField(_("类型"), max_length=16, choices=ItemKind.choices)
    group = PlainCharField(_("分组"), max_length=GROUP_MAX, blank=True)
    name = PlainCharField(_("名称"), max_length=TITLE_MAX)
    points = models.DecimalField(_("每次分值"), max_digits=9, decimal_places=4)
    disqualifies = models.BooleanField(_("取消评优资格"), default=False)
    # Branch categories the item applies to (分类实施); empty = every category.
    categories = models.JSONField(_("适用类别"), default=list, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.name}"  # type: ignore[attr-defined]


# The item's settings, in the model's order (copied between a scheme and a draft).
ITEM_FIELDS = tuple(f.name for f in ItemSettings._meta.local_fields)


class SchemeItem(ItemSettings):
    """An item of the year's scheme."""

    Kind = ItemKind

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    code = CodeField(_("代码"), max_length=CODE_MAX)

    class Meta:
        ordering = ["scheme", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="item_code_unique_per_scheme"),
            models.CheckConstraint(condition=Q(points__gte=0), name="item_points_not_negative"),
            models.CheckConstraint(
                condition=Q(kind__in=["deduction", "bonus"]), name="item_kind_valid"
            ),
        ]

    def applies_to(self, category: str) -> bool:
        return not self.categories or category in self.categories


class ItemExemptionQuerySet(models.QuerySet):
    def in_force_on(self, day) -> "ItemExemptionQuerySet":
        """Exemptions whose period covers ``day`` (an open end is unbounded)."""
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        )


class ItemExemption(models.Model):
    """A member exempt from an item for a recorded reason (e.g. health, 身体原因), for a
    period (免考期限): entries dated inside it do not count; no dates = always."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="exemptions")
    item_code = PlainCharField(_("指标代码"), max_length=64)
    reason = PlainCharField(_("理由"), max_length=REASON_MAX, blank=True)
    starts_on = models.DateField(_("免考起始日期"), null=True, blank=True)
    ends_on = models.DateField(_("免考截止日期"), null=True, blank=True)

    objects = ItemExemptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "item_code"], name="exemption_unique"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="exemption_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ⟂ {self.item_code}"

    @property
    def is_dated(self) -> bool:
        return self.starts_on is not None or self.ends_on is not None

    def covers(self, day) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day <= self.ends_on
        )


class BranchYearClosing(models.Model):
    """A branch's year finalised (定格): its grades are final and its entries frozen.

    Written only by ``schemes.services.branch_year_finalise`` (after the evaluation's
    checks: notice period over, appeals and ties settled); deleted only by
    ``branch_year_reopen``, which a committee admin calls with a recorded reason.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="closings")
    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="year_closings"
    )
    finalised_at = models.DateTimeField()
    finalised_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "branch"], name="closing_unique")]

    def __str__(self) -> str:
        return f"{self.scheme.year} {self.branch_id} final"
