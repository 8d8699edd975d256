"""Writes of the early warnings: the working committee sets a year's thresholds."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.orgs.selectors import scope_for

from .forms import FIELDS
from .models import MonitoringSettings
from .selectors import settings_for


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def monitoring_settings_set(*, actor: Actor, year: int, **values: Any) -> MonitoringSettings:
    """Save the year's thresholds (every field of ``FIELDS``), audited."""
    if actor is not None and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以设置监测预警的规则。"))
    row = settings_for(year)
    before = {f: _plain(getattr(row, f)) for f in FIELDS} if row.pk else None
    for f in FIELDS:
        setattr(row, f, values[f])
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="monitoring.settings",
        target=row,
        before=before,
        after={f: _plain(getattr(row, f)) for f in FIELDS},
    )
    return row
