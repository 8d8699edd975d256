from typing import Any, Literal, overload

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField, PlainTextField
from kaoping.kit.users import author_field
from kaoping.orgs.models import Member
from kaoping.schemes.models import SchemeItem
from kaoping.schemes.triggers import frozen_year_trigger


class LedgerIsAppendOnly(Exception):
    """Raised on any attempt to change or delete a ledger entry."""


class ScoreEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerIsAppendOnly("ledger entries are never updated; record a reversal instead")

    def delete(self):
        raise LedgerIsAppendOnly("ledger entries are never deleted; record a reversal instead")

    def bulk_update(self, *args, **kwargs):
        raise LedgerIsAppendOnly("ledger entries are never updated; record a reversal instead")


# Statement-level guard: TRUNCATE bypasses row triggers. Only a session that sets
# kaoping.allow_truncate=on (the test runner's flush, see config/settings/test.py) passes.
TRUNCATE_GUARD = """
IF current_setting('kaoping.allow_truncate', true) = 'on' THEN
    RETURN NULL;
END IF;
RAISE EXCEPTION 'kaoping: the ledger is append-only; TRUNCATE of % is refused', TG_TABLE_NAME;
"""


class ScoreEntry(models.Model):
    """One line of the score ledger (评分台账): a deduction or bonus for a member.

    Append-only: never updated, never deleted (also refused by PostgreSQL triggers). A
    mistake is undone by a reversal entry (``reverses``) that names it; the one-to-one
    field makes a second reversal of the same entry impossible in the database.
    ``points`` is occurrences × the item's points at the time of recording.

    On PostgreSQL the table is partitioned by ``year`` (migration 0007):
    one partition a year, made when the year's scheme is created. A partitioned table's
    keys must hold the partition key, so the database's primary key is ``(id, year)`` and
    nothing can hold a foreign key to ``id``: ``reverses`` and the workflows' links to an
    entry are checked by the constraint trigger ``kp_entry_exists`` instead (deferred, as
    Django's foreign keys are). A new link to an entry needs that trigger too.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工录入")
        BUNDLE = "bundle", _("数据包导入")
        MEETING = "meeting", _("会议考勤")
        DUES = "dues", _("党费")
        STUDY = "study", _("学习任务")
        TASK = "task", _("交办任务")
        INSPECTION = "inspection", _("专项督查")
        CLAIM = "claim", _("加分申报")
        APPEAL = "appeal", _("申诉")
        SHEET = "sheet", _("表格导入")

    code = PlainCharField(_("编号"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="entries")
    item = models.ForeignKey(SchemeItem, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("日期"))
    occurrences = models.PositiveIntegerField(_("次数"), default=1)
    points = models.DecimalField(_("分值"), max_digits=12, decimal_places=4)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_constraint=False,  # see the class docstring
        related_name="reversed_by",
        verbose_name=_("冲销的记录"),
    )
    source = PlainCharField(_("来源"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    note = PlainTextField(_("说明"), blank=True)
    evidence = PlainTextField(_("佐证材料"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # a partial index in Meta: imported entries have no recorder
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    # The tamper-evident chain (see chain.py): position and hash in its year/branch chain.
    chain_key = PlainCharField(max_length=100, editable=False)
    chain_seq = models.PositiveIntegerField(editable=False)
    chain_hash = PlainCharField(max_length=64, editable=False)

    objects = ScoreEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            # Only for PROTECT when a user is deleted, which never looks for NULL; imported
            # entries (most of a big ledger) have no recorder, so they stay out of it.
            models.Index(
                fields=["recorded_by"],
                condition=Q(recorded_by__isnull=False),
                name="ledger_entry_recorded_by",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurrences__gte=1), name="entry_occurrences_positive"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="entry_points_not_negative"),
            models.CheckConstraint(condition=~Q(reverses=F("id")), name="entry_not_self_reversal"),
            # Unique within a year, as PostgreSQL's partitions require; the code is unique
            # across years too, by construction (``K<year>-…``, bundle ids checked).
            models.UniqueConstraint(fields=["code", "year"], name="entry_code_in_year"),
            # The chain key names the year, so this is the chain's uniqueness outright.
            models.UniqueConstraint(
                fields=["chain_key", "chain_seq", "year"], name="entry_chain_position"
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="entry_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
            pgtrigger.Trigger(
                name="entry_no_truncate",
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                func=TRUNCATE_GUARD,
            ),
            frozen_year_trigger("entry_year_open"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.member_id} {self.item_id} {self.points}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerIsAppendOnly("ledger entries are never updated; record a reversal instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly("ledger entries are never deleted; record a reversal instead")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


@overload
def entry_link(
    *, one: bool = ..., optional: Literal[False] = ..., **options: Any
) -> "models.ForeignKey[ScoreEntry, ScoreEntry]": ...
@overload
def entry_link(
    *, one: bool = ..., optional: Literal[True], **options: Any
) -> "models.ForeignKey[ScoreEntry | None, ScoreEntry | None]": ...
def entry_link(*, one: bool = True, optional: bool = False, **options: Any) -> Any:
    """The field of a workflow's record naming the ledger entry it produced (``one``: at
    most one record per entry). A trigger, not a foreign key, checks the entry (see
    ``ScoreEntry``); an entry is never deleted, and has no reverse accessor."""
    field = models.OneToOneField if one else models.ForeignKey
    return field(
        ScoreEntry,
        db_constraint=False,
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name="+",
        **options,
    )


class LedgerChain(models.Model):
    """The head of one chain of the ledger: how many entries it holds and the last hash.

    Appending locks this row, so concurrent recordings in one branch queue up instead of
    forking the chain; a deleted newest entry shows as a head beyond the ledger."""

    key = PlainCharField(max_length=100, unique=True)
    length = models.PositiveIntegerField(default=0)
    head_hash = PlainCharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.length})"


class LedgerPublication(models.Model):
    """A period of the branch's ledger published to its members (评分台账公示)."""

    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="ledger_publications"
    )
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"))
    published_by = author_field()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="publication_period_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.start}–{self.end}"


class ClosingRecord(models.Model):
    """A branch's workflow record whose closing records ledger entries (a meeting's
    attendance, a task): its public code, whether it is closed and since when, who made
    it. Each model adds its ``branch`` (its own related name) and names the two states of
    ``status`` in its own words."""

    code = PlainCharField(_("编号"), max_length=32, unique=True)
    status = PlainCharField(max_length=8, default="open")  # "open" or "closed"
    created_by = author_field()
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="%(class)s_closed_at_iff_closed",
            ),
        ]

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    def closing_set(self, *, closed: bool) -> None:
        """Close the record now, or open it again (to correct it)."""
        self.status = "closed" if closed else "open"
        self.closed_at = timezone.now() if closed else None
        self.save(update_fields=["status", "closed_at"])
