"""Bonus claims (加分申报): a member claims a bonus item with proof; the branch approves
(→ one ledger entry, kept linked) or refuses with a reason."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField, PlainTextField
from kaoping.kit.users import author_field
from kaoping.ledger.models import entry_link
from kaoping.orgs.models import Member
from kaoping.schemes.models import SchemeItem


class BonusClaim(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REFUSED = "refused", _("未通过")

    code = PlainCharField(_("编号"), max_length=32, unique=True)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="bonus_claims")
    item = models.ForeignKey(
        SchemeItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("加分项目")
    )
    date = models.DateField(_("日期"))
    description = PlainTextField(_("申报事项"))
    proof_text = PlainTextField(_("佐证说明"), blank=True)
    proof_file = models.FileField(_("佐证文件"), upload_to="claims/%Y/%m/", blank=True)
    status = PlainCharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("提交时间"))
    decided_by = author_field()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = PlainTextField(_("审核意见"), blank=True)
    entry = entry_link(optional=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="claim_description"),
            models.CheckConstraint(
                condition=~Q(proof_text="") | ~Q(proof_file=""), name="claim_has_proof"
            ),
            models.CheckConstraint(
                condition=Q(status="approved", entry__isnull=False)
                | (~Q(status="approved") & Q(entry__isnull=True)),
                name="claim_entry_iff_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""),
                name="claim_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.member.code} {self.item.code} {self.status}"
