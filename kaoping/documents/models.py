"""An organisation's own templates of its documents (文书模板), per year, with history."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField
from kaoping.kit.users import author_field
from kaoping.orgs.models import Organization

from .kinds import KINDS

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
YEAR_ARCHIVE_JOB = "documents.year_archive"  # the kind of its background job


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


class YearArchive(models.Model):
    """年度归档: the zip of a branch's finalised year (every member's 登记表, the notice,
    the minutes, the report, the case documents, the ledger and results spreadsheets and
    a manifest of their SHA-256). Built by a background job when the branch finalises;
    kept with that finalisation (a year reopened and finalised again gets a new one, the
    latest is the one offered)."""

    branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党支部")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    file = models.FileField(_("归档文件"), upload_to="archives/%Y/")
    filename = PlainCharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64)
    manifest = models.JSONField(_("清单"), default=list)
    job = models.ForeignKey(
        "jobs.JobRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    built_by = author_field()
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-built_at", "-id"]
        indexes = [models.Index(fields=["branch", "year", "-built_at"])]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.year} {self.filename}"
