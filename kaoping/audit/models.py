import pgtrigger
from django.db import models
from django.utils import timezone

from kaoping.kit.users import author_field


class AuditEvent(models.Model):
    """One recorded change (审计日志): who did what to which record, with before and after.

    Written by services in the same transaction as the change it describes, so a change
    without its audit row cannot exist. Never holds ballot contents.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = author_field()
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        triggers = [
            # Append-only, like the ledger. The one update allowed is the actor set to
            # NULL when its user is deleted (on_delete=SET_NULL): the row stays.
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="audit_no_update",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=["actor"]),
            ),
            pgtrigger.Protect(
                name="audit_no_new_actor",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(new__actor__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"
