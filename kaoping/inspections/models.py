"""Supervision groups (专项督查组), the organisations they are assigned to, their
inspections and the findings, each linked to the ledger entry it produced."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField, PlainTextField
from kaoping.kit.users import author_field
from kaoping.ledger.models import entry_link
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import SchemeItem


class SupervisionGroup(models.Model):
    code = PlainCharField(_("编号"), max_length=32, unique=True)
    name = PlainCharField(_("督查组名称"), max_length=200)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="supervision_groups", verbose_name=_("组员")
    )
    organizations = models.ManyToManyField(
        Organization, related_name="supervision_groups", verbose_name=_("督查对象")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="group_name")]

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    class Method(models.TextChoices):
        UNANNOUNCED = "unannounced", _("明察暗访")
        PHONE = "phone", _("电话查询")
        CAMERA = "camera", _("监控查验")
        ON_SITE = "on_site", _("实地检查")
        SURVEY = "survey", _("调查访问")

    code = PlainCharField(_("编号"), max_length=32, unique=True)
    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.PROTECT, related_name="inspections"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("单位")
    )
    date = models.DateField(_("督查日期"))
    method = PlainCharField(_("督查方式"), max_length=16, choices=Method.choices)
    findings = PlainTextField(_("督查情况"))
    recorded_by = author_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(findings=""), name="inspection_text")]

    def __str__(self) -> str:
        return f"{self.code} {self.date} {self.organization.code}"


class Finding(models.Model):
    """One member found at fault in an inspection: the item, the evidence, the entry."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="items")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(SchemeItem, on_delete=models.PROTECT, related_name="+")
    evidence_text = PlainTextField(_("问题及佐证说明"))
    evidence_file = models.FileField(_("佐证文件"), upload_to="inspections/%Y/%m/", blank=True)
    entry = entry_link()
    recorded_by = author_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "member", "item"], name="finding_once_per_inspection"
            ),
            models.CheckConstraint(condition=~Q(evidence_text=""), name="finding_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection.code} {self.member.code} {self.item.code}"
