import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models
from django.utils import timezone

from kaoping.kit.bulk import insert_rows
from kaoping.kit.users import user_or_none

from .actions import audit_action_check
from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit row; call it inside the service's own transaction."""
    audit_action_check(action)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    user = user_or_none(actor)
    return AuditEvent.objects.create(
        actor=user,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        note=note,
    )


def audit_record_many(
    *,
    actor: Any,
    action: str,
    rows: Sequence[tuple[models.Model, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    note: str = "",
) -> None:
    """One audit row per ``(target, before, after)``, written in one statement (COPY on
    PostgreSQL: imports change thousands of records); inside the service's transaction."""
    audit_action_check(action)
    if not rows:
        return
    user = user_or_none(actor)
    at = timezone.now()
    insert_rows(
        AuditEvent._meta.db_table,
        ("at", "actor_id", "action", "target_type", "target_id", "before", "after", "note"),
        [
            (
                at,
                user.pk if user else None,
                action,
                target._meta.label_lower,
                str(target.pk),
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
                note,
            )
            for target, before, after in rows
        ],
    )
