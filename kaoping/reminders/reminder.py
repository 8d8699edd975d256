"""A reminder (提醒): what the rules of each kind return and the service sends."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from kaoping.delivery.notices import GroupNotice
from kaoping.orgs.models import Organization


@dataclass(frozen=True)
class Reminder:
    """One reminder about one object, to its recipients (提醒)."""

    kind: str
    stage: str
    object_key: str
    users: list[User]
    text: str
    link: str
    # Not held by the quiet hours: a reminder an hour or less ahead would come too late.
    urgent: bool = False
    # Posted to the branch's work group as well (its robots), at the first stage only.
    group: Organization | None = None
    group_notice: GroupNotice | None = None
