"""Early warnings (监测预警) told to the branch's secretaries, and escalated to the
working committee's admins over the branch when the same warning is still there a set
time later (the secretary has not acted on it)."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.monitoring.selectors import Warning, warnings_of_branches
from kaoping.orgs.models import Organization, RoleAssignment

from .models import ReminderSent
from .reminder import Reminder

Role = RoleAssignment.Role


def warning_key(warning: Warning) -> str:
    """A warning's identity while it lasts: its kind, branch, member and facts."""
    member = warning.member.code if warning.member is not None else ""
    facts = "|".join((warning.branch.code, member, warning.message))
    return f"{warning.kind}:{hashlib.sha256(facts.encode()).hexdigest()[:32]}"


def warning_reminders(
    now: datetime.datetime, escalate_after: datetime.timedelta
) -> Iterator[Reminder]:
    local = timezone.localtime(now)
    branches = list(Organization.objects.filter(kind=Organization.Kind.BRANCH).order_by("path"))
    warnings = warnings_of_branches(branches=branches, year=local.year, today=local.date())
    if not warnings:
        return
    holders = RoleAssignment.objects.filter(
        role__in=[Role.SECRETARY, Role.COMMITTEE_ADMIN], user__is_active=True
    ).select_related("user", "organization")
    secretaries: dict[int, list] = defaultdict(list)
    admins = []
    for holder in holders:
        if holder.role == Role.SECRETARY:
            secretaries[holder.organization_id].append(holder.user)
        else:
            admins.append(holder)
    told_long_ago = set(
        ReminderSent.objects.filter(
            kind="warning", stage="secretary", sent_at__lte=now - escalate_after
        ).values_list("object_key", flat=True)
    )
    days = escalate_after.days or 1
    for warning in warnings:
        key, branch = warning_key(warning), warning.branch
        facts = {"branch": branch.name, "message": warning.message}
        yield Reminder(
            kind="warning",
            stage="secretary",
            object_key=key,
            users=secretaries[branch.pk],
            text=_("预警：%(branch)s：%(message)s") % facts,
            link=warning.url,
        )
        if key in told_long_ago:
            yield Reminder(
                kind="warning",
                stage="committee",
                object_key=key,
                users=[a.user for a in admins if branch.path.startswith(a.organization.path)],
                text=_("预警未处理（已提醒支部书记 %(days)s 天）：%(branch)s：%(message)s")
                % {**facts, "days": days},
                link=warning.url,
            )
