from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.orgs.models import Member, Organization


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀共产党员")
    QUALIFIED = "qualified", _("合格共产党员")
    BASIC = "basic", _("基本合格共产党员")
    WARNING = "warning", _("警示党员")
    DEFERRED = "deferred", _("暂不纳入")
    PENDING = "pending", _("待组织认定")


class MemberResult(models.Model):
    """A member's computed result for a year (年度考评结果), written by ``results_compute``
    from the ledger through the scoring engine; never edited by hand."""

    year = models.PositiveSmallIntegerField(_("年度"))
    # Derived rows, replaced a year at a time from the members just read: no database
    # foreign keys, whose per-row checks at commit were ~45% of storing a year (0.66 s
    # of 1.2 s for 100,000 members). CASCADE and PROTECT still hold (Django applies them).
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="results", db_constraint=False
    )
    branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    deductions = models.DecimalField(max_digits=12, decimal_places=4, null=True)
    bonus = models.DecimalField(max_digits=12, decimal_places=4, null=True)
    daily = models.DecimalField(max_digits=12, decimal_places=4, null=True)
    democratic_pct = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    democratic = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    composite = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    rank = models.PositiveIntegerField(null=True)
    grade = models.CharField(max_length=16, choices=Grade.choices)
    flags = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "member"], name="result_unique_per_year")
        ]
        indexes = [models.Index(fields=["year", "branch"])]

    def __str__(self) -> str:
        return f"{self.year} {self.member_id} {self.grade}"


class GradeRecord(models.Model):
    """A member's final grade of an earlier year (历年等次), imported or finalised; it feeds
    condition 8 (warning two years running)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="grade_records")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(max_length=16, choices=Grade.choices[:4])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="grade_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.member_id} {self.grade}"


class ResultsStamp(models.Model):
    """The version of what a branch's live results (and the pages showing them) are made
    of (结果版本戳): a random token that database triggers replace whenever anything the
    results depend on changes - ledger entries, vote tallies, quota decisions, exemptions,
    last year's grades of the branch's members, the members themselves (status, branch,
    name), the branch - and, under key 0, the schemes and their items (every branch).

    Triggers, not services, keep it, so no writer (a service, an import with COPY, the
    admin, a shell) can change a result without changing its stamp: a cache keyed by the
    stamp cannot serve a stale result. Tokens are random, so a rolled-back change never
    makes an old token come back. See migration 0002 and docs/scaling.md."""

    GLOBAL = 0

    key = models.BigIntegerField(primary_key=True)  # the branch's id; 0: the schemes
    token = models.CharField(max_length=36)

    def __str__(self) -> str:
        return f"{self.key}:{self.token}"
