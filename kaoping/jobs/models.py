from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.orgs.models import Organization


class JobRun(models.Model):
    """后台任务：一次导入、重算或导出的进度（done/total）与结果（摘要、错误报告或文件）。

    The task updates it as it goes; the pages poll it. ``params`` is what the task needs
    (a stored upload's name, a year); ``result`` is the summary or the row errors."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("名称"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("组织"),
    )
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总量"), default=0)
    message = models.CharField(_("进度说明"), max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/%Y/%m/", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["actor", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=0) | Q(done__lte=F("total")), name="job_done_within_total"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running"]) | Q(finished_at__isnull=False),
                name="job_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class ImportConfirmation(models.Model):
    """导入确认：一次预览的确认，只能用一次。``key`` names what was confirmed (a stored
    upload, a roster payload's nonce); its unique constraint lets exactly one of any number
    of concurrent confirmations insert it, in the same transaction as what it starts."""

    key = models.CharField(max_length=200, unique=True)
    job = models.OneToOneField(
        JobRun, on_delete=models.CASCADE, null=True, blank=True, related_name="confirmation"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key
