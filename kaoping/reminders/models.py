from django.conf import settings
from django.db import models
from django.utils import timezone

from kaoping.kit.text import PlainCharField


class ReminderSent(models.Model):
    """A reminder given (提醒记录): of which kind and stage, about which object, to whom.

    Its unique key is what makes every reminder idempotent: a rerun, a restart or a second
    worker finds the row and sends nothing again."""

    kind = PlainCharField(max_length=32)
    stage = PlainCharField(max_length=16)
    object_key = PlainCharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "stage", "object_key", "user"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.stage} {self.object_key} → {self.user_id}"


class ScheduleSlot(models.Model):
    """One run of a schedule (定时批次), claimed by the one scheduler process that inserted
    it: with several scheduler machines, each slot is enqueued once."""

    name = PlainCharField(max_length=64)
    slot = models.DateTimeField()
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="schedule_slot_once")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"


class GroupReminderSent(models.Model):
    """A reminder posted to a branch's work group (群提醒记录), once per kind, stage and
    object: "who should do what by when", never about one member."""

    kind = PlainCharField(max_length=32)
    stage = PlainCharField(max_length=16)
    object_key = PlainCharField(max_length=64)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "stage", "object_key", "organization"],
                name="group_reminder_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.stage} {self.object_key} → {self.organization_id}"
