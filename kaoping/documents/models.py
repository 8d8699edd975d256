"""An organisation's own templates of its documents (文书模板), per year, with history."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField
from kaoping.kit.users import author_field
from kaoping.orgs.models import Organization

from .kinds import KINDS

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


class DocumentTemplate(models.Model):
    """文书模板: a committee's version of a kind's template for one year. Uploads are never
    changed: the latest of an organisation, kind and year is used, the earlier ones are
    its history. The branches below the organisation use it."""

    kind = PlainCharField(
        _("文书种类"), max_length=32, choices=[(k.slug, k.title) for k in KINDS.values()]
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("党组织")
    )
    filename = PlainCharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("模板文件"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = author_field()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["kind", "year", "organization"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.organization_id} {self.filename}"
