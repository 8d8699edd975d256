from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField
from kaoping.kit.users import author_field
from kaoping.orgs.models import Organization
from kaoping.schemes.models import ItemSettings, Scheme, SchemeSettings, settings_constraints


class SchemeDraft(SchemeSettings):
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
    title = PlainCharField(_("名称"), max_length=200)
    branch = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scheme_drafts",
        verbose_name=_("支部"),
    )
    created_by = author_field()
    created_at = models.DateTimeField(default=timezone.now)
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        constraints = settings_constraints("draft")

    def __str__(self) -> str:
        return self.title


class SchemeDraftItem(ItemSettings):
    """An item of a draft (草案指标), copied from the base scheme's item of the same code."""

    draft = models.ForeignKey(SchemeDraft, on_delete=models.CASCADE, related_name="items")
    code = PlainCharField(_("代码"), max_length=64)

    class Meta:
        ordering = ["draft", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "code"], name="draft_item_code_unique"),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="draft_item_points_not_negative"
            ),
        ]
