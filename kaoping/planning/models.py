from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.orgs.models import Organization
from kaoping.schemes.models import Scheme, SchemeItem, default_ballot_options


class SchemeDraft(models.Model):
    """A draft of next year's scheme (方案草案, 科学谋划): a copy of a scheme's settings and
    items, edited and simulated on the ``base`` scheme's year (its ledger and votes) before
    it is adopted as the scheme of ``year``.

    ``branch`` empty: drafted by a committee admin for the whole organisation; set: drafted by
    a branch secretary, simulated on that branch only (a proposal; adopting stays with the
    committee admins because the scheme is organisation-wide)."""

    base = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("模拟年度方案")
    )
    year = models.PositiveSmallIntegerField(_("草案年度"))
    title = models.CharField(_("名称"), max_length=200)
    branch = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scheme_drafts",
        verbose_name=_("支部"),
    )
    # The settings of rules.md §2, as on Scheme (same names: one code path reads both).
    base_points = models.DecimalField(_("基础分"), max_digits=7, decimal_places=2)
    bonus_cap = models.DecimalField(_("加分上限"), max_digits=7, decimal_places=2)
    democratic_share = models.DecimalField(_("民主测评占比"), max_digits=6, decimal_places=4)
    excellent_threshold = models.DecimalField(_("优秀分数线"), max_digits=7, decimal_places=2)
    qualified_threshold = models.DecimalField(_("合格分数线"), max_digits=7, decimal_places=2)
    basic_threshold = models.DecimalField(_("基本合格分数线"), max_digits=7, decimal_places=2)
    excellent_quota = models.DecimalField(_("优秀比例"), max_digits=6, decimal_places=4)
    quota_rounding = models.CharField(
        _("名额取整方式"), max_length=16, choices=Scheme.QuotaRounding.choices
    )
    ballot_options = models.JSONField(_("测评选项分值"), default=default_ballot_options)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(democratic_share__gte=0, democratic_share__lte=1),
                name="draft_democratic_share_0_1",
            ),
            models.CheckConstraint(
                condition=Q(excellent_quota__gte=0, excellent_quota__lte=1),
                name="draft_quota_0_1",
            ),
            models.CheckConstraint(
                condition=Q(basic_threshold__lte=F("qualified_threshold"))
                & Q(qualified_threshold__lte=F("excellent_threshold")),
                name="draft_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(base_points__gte=0, bonus_cap__gte=0), name="draft_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SchemeDraftItem(models.Model):
    """An item of a draft (草案指标), copied from the base scheme's item of the same code."""

    draft = models.ForeignKey(SchemeDraft, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("代码"), max_length=64)
    kind = models.CharField(_("类型"), max_length=16, choices=SchemeItem.Kind.choices)
    group = models.CharField(_("分组"), max_length=64, blank=True)
    name = models.CharField(_("名称"), max_length=200)
    points = models.DecimalField(_("每次分值"), max_digits=9, decimal_places=4)
    disqualifies = models.BooleanField(_("取消评优资格"), default=False)
    categories = models.JSONField(_("适用类别"), default=list, blank=True)

    class Meta:
        ordering = ["draft", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "code"], name="draft_item_code_unique"),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="draft_item_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
