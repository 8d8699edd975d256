"""A member's dashboard and annual ledger."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth

from kaoping.annotations import Actor
from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.selectors import member_meetings
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import members_visible
from kaoping.publication.selectors import member_published
from kaoping.schemes.models import Scheme, SchemeItem
from kaoping.scoring.models import MemberResult as StoredResult
from kaoping.scoring.selectors import live_result_of_member
from kaoping.tasks.selectors import member_open_tasks

from .common import _HUNDRED, MONTHS, _live_entries, _months_so_far


def member_dashboard(*, actor: Actor, member: Member, scheme: Scheme | None) -> dict:
    """Score gauges, the ledger month by month, upcoming meetings and tasks, and the
    published rank. About 15 queries whatever the size of the ledger."""
    data: dict = {
        "meetings": member_meetings(actor=actor, member=member, limit=5)["upcoming"],
        "tasks": member_open_tasks(actor=actor, member=member)[:5],
    }
    if scheme is None:
        return data
    result = live_result_of_member(scheme=scheme, member=member)
    rows = (
        _live_entries(scheme.year)
        .filter(member=member)
        .annotate(month=ExtractMonth("date"))
        .values("month", "item__kind")
        .annotate(points=Sum("points"), n=Count("id"))
        .order_by("month")
    )
    deductions: defaultdict[int, Decimal] = defaultdict(Decimal)
    bonus: defaultdict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        target = bonus if row["item__kind"] == SchemeItem.Kind.BONUS else deductions
        target[row["month"]] += row["points"]
    cumulative_d, cumulative_b, running_d, running_b = [], [], Decimal(0), Decimal(0)
    shown_months = _months_so_far(scheme.year) or list(MONTHS)
    for m in MONTHS:
        running_d += deductions.get(m, Decimal(0))
        running_b += bonus.get(m, Decimal(0))
        cumulative_d.append(running_d if m in shown_months else None)
        cumulative_b.append(running_b if m in shown_months else None)
    bonus_total = sum(bonus.values(), Decimal(0))
    published = member_published(member=member, year=scheme.year)
    data.update(
        {
            "result": result,
            "bonus_total": bonus_total,
            "bonus_counted": min(bonus_total, scheme.bonus_cap),
            "daily_max": scheme.base_points + scheme.bonus_cap,
            "composite_max": scheme.base_points
            + scheme.bonus_cap
            + _HUNDRED * scheme.democratic_share,
            "months": [
                {
                    "month": m,
                    "deductions": deductions.get(m, Decimal(0)),
                    "bonus": bonus.get(m, Decimal(0)),
                    "cumulative_deductions": cumulative_d[m - 1],
                    "cumulative_bonus": cumulative_b[m - 1],
                }
                for m in MONTHS
            ],
            "cumulative_deductions": cumulative_d,
            "cumulative_bonus": cumulative_b,
            "published": published,
            # ranked among the published (stored) results of the branch
            "published_count": (
                StoredResult.objects.filter(
                    year=scheme.year, branch=member.branch, rank__isnull=False
                ).count()
                if published
                else None
            ),
        }
    )
    return data


def member_ledger(*, actor: Actor, member: Member, scheme: Scheme) -> Any:
    """The member's entries of the year for the printed annual ledger (one query)."""
    visible = members_visible(actor=actor).filter(id=member.id)
    return (
        ScoreEntry.objects.filter(year=scheme.year, member__in=visible)
        .select_related("item", "reverses", "reversed_by", "recorded_by")
        .order_by("date", "id")
    )
