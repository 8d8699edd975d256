import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField, PlainTextField
from kaoping.kit.users import author_field
from kaoping.ledger.models import entry_link
from kaoping.orgs.models import Member, Organization


class Publication(models.Model):
    """A branch's results of a year published to its members (公示) for the notice period
    of the scheme; republished (``version`` + 1) after an upheld appeal."""

    year = models.PositiveSmallIntegerField(_("年度"))
    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("公示时间"), default=timezone.now)
    notice_until = models.DateTimeField(_("公示截止"))
    version = models.PositiveIntegerField(default=1)
    published_by = author_field()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "branch"], name="publication_unique"),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="publication_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.branch_id} v{self.version}"

    @property
    def in_notice_period(self) -> bool:
        return timezone.now() < self.notice_until


def _appeal_code() -> str:
    return f"A{uuid.uuid4().hex[:10].upper()}"


class Appeal(models.Model):
    """A member's appeal (申诉) against an entry or their grade during the notice period,
    and the branch's answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        UPHELD = "upheld", _("成立")
        REFUSED = "refused", _("不成立")

    code = PlainCharField(max_length=16, unique=True, default=_appeal_code, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="appeals")
    entry = entry_link(one=False, optional=True, verbose_name=_("申诉的记录"))
    reasons = PlainTextField(_("申诉理由"))
    evidence = PlainTextField(_("佐证材料"), blank=True)
    status = PlainCharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    answer = PlainTextField(_("答复"), blank=True)
    filed_at = models.DateTimeField(default=timezone.now)
    answered_by = author_field()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["filed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="appeal_answered_has_answer",
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="appeal_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.member_id} {self.status}"
