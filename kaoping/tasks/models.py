"""Study tasks (学习心得体会、学习笔记), tasks assigned by the Party organisation
(党组织交办任务) and duty tasks (岗位职责任务): who must do them, by when, what they handed
in or how it ended, and the link from a missed task to the ledger entry it produced."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField, PlainTextField
from kaoping.kit.users import author_field
from kaoping.ledger.models import ClosingRecord, entry_link
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import Scheme


class TaskKind(models.TextChoices):
    STUDY = "study", _("学习任务（心得体会、学习笔记）")
    ASSIGNED = "assigned", _("党组织交办任务")
    DUTY = "duty", _("岗位职责任务")


DEFAULT_ITEM_CODES = {TaskKind.STUDY: "D02", TaskKind.ASSIGNED: "D05", TaskKind.DUTY: "D06"}


class TaskRule(models.Model):
    """Which deduction item of the year's scheme a missed task of a kind deducts (a scheme
    setting; without a row the template's D02 / D05 / D06 apply)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="task_rules")
    kind = PlainCharField(_("任务类型"), max_length=16, choices=TaskKind.choices)
    item_code = PlainCharField(_("扣分指标代码"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="task_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.year} {self.kind} → {self.item_code}"


class Task(ClosingRecord):
    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结算")

    branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("支部")
    )
    kind = PlainCharField(_("任务类型"), max_length=16, choices=TaskKind.choices)
    title = PlainCharField(_("任务"), max_length=300)
    description = PlainTextField(_("要求"), blank=True)
    due_at = models.DateTimeField(_("截止时间"))
    status = PlainCharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    due_notified = models.BooleanField(default=False)

    class Meta(ClosingRecord.Meta):
        ordering = ["-due_at", "id"]
        indexes = [models.Index(fields=["branch", "due_at"])]
        constraints = [
            *ClosingRecord.Meta.constraints,
            models.CheckConstraint(condition=~Q(title=""), name="task_title"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"

    @property
    def is_study(self) -> bool:
        return self.kind == TaskKind.STUDY


class Assignment(models.Model):
    """One member who must do a task, and how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("未完成")
        SUBMITTED = "submitted", _("已提交")
        EXCUSED = "excused", _("已说明理由（准予免交）")
        DONE = "done", _("已完成")
        NOT_DONE = "not_done", _("未完成")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="task_assignments")
    status = PlainCharField(
        _("完成情况"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    text = PlainTextField(_("提交内容"), blank=True)
    file = models.FileField(_("附件"), upload_to="tasks/%Y/%m/", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reason = PlainTextField(_("理由"), blank=True)
    marked_by = author_field()

    class Meta:
        ordering = ["member__code"]
        constraints = [
            models.UniqueConstraint(fields=["task", "member"], name="assignment_unique"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | ~Q(text="") | ~Q(file=""),
                name="assignment_submission_has_content",
            ),
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(reason=""),
                name="assignment_excuse_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.member.code} {self.status}"


class TaskEntry(models.Model):
    """The ledger entry a missed task produced; one per assignment, so closing twice never
    records the same miss twice."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="task_entry"
    )
    entry = entry_link()

    def __str__(self) -> str:
        return f"{self.assignment} → {self.entry.code}"
