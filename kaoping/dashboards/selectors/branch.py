"""A branch's dashboard and its printed annual report."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.claims.models import BonusClaim
from kaoping.claims.selectors import claims_of_branch
from kaoping.meetings.selectors import branch_pending_leaves
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import members_visible, scope_for
from kaoping.publication.models import Appeal
from kaoping.publication.selectors import branch_appeals, publication_of
from kaoping.schemes.models import Scheme, SchemeItem
from kaoping.scoring.engine import MemberResult
from kaoping.scoring.selectors import live_results
from kaoping.unqualified.selectors import bodies_for, candidates_found, mask_name, names_visible

from .common import GRADES, MONTHS, TOP_ITEMS, _attendance, _dues, _live_entries


def _ranking(results: list[MemberResult], members: dict[str, Member]) -> list[dict]:
    rows: list[dict[str, Any]] = [{"result": r, "member": members.get(r.member)} for r in results]
    rows.sort(
        key=lambda row: (row["result"].rank is None, row["result"].rank or 0, row["result"].member)
    )
    return rows


def _deductions_by_item_month(*, year: int, branches: list[Organization]) -> dict:
    """Deduction points by (item, month) for the branches: one query."""
    rows = (
        _live_entries(year)
        .filter(member__branch__in=branches, item__kind=SchemeItem.Kind.DEDUCTION)
        .annotate(month=ExtractMonth("date"))
        .values("item__code", "item__name", "month")
        .annotate(points=Sum("points"))
        .order_by("item__code", "month")
    )
    by_item: dict[str, dict[int, Decimal]] = defaultdict(dict)
    names: dict[str, str] = {}
    for row in rows:
        by_item[row["item__code"]][row["month"]] = row["points"]
        names[row["item__code"]] = row["item__name"]
    totals = {code: sum(months.values(), Decimal(0)) for code, months in by_item.items()}
    ordered = sorted(totals, key=lambda code: (-totals[code], code))
    shown, rest = ordered[:TOP_ITEMS], ordered[TOP_ITEMS:]
    series = [
        (f"{code} {names[code]}", [by_item[code].get(m, Decimal(0)) for m in MONTHS])
        for code in shown
    ]
    if rest:
        series.append(
            (
                _("其他"),
                [sum((by_item[c].get(m, Decimal(0)) for c in rest), Decimal(0)) for m in MONTHS],
            )
        )
    items = [
        {
            "code": code,
            "name": names[code],
            "total": totals[code],
            "months": [by_item[code].get(m, Decimal(0)) for m in MONTHS],
        }
        for code in ordered
    ]
    month_totals = [sum((s[1][i] for s in series), Decimal(0)) for i in range(12)]
    return {
        "series": series,
        "items": items,
        "month_totals": month_totals,
        "total": sum(totals.values(), Decimal(0)),
    }


def branch_dashboard(*, actor: Actor, branch: Organization, scheme: Scheme | None) -> dict:
    """The secretary's view of one branch: ranking, deductions by item and month,
    attendance and dues by month, and what waits for them. A fixed number of queries."""
    can_manage = scope_for(actor).manages(branch.path)
    members = {m.code: m for m in members_visible(actor=actor).filter(branch=branch)}
    claims = list(
        claims_of_branch(actor=actor, branch=branch)
        .filter(status=BonusClaim.Status.PENDING)
        .order_by("created_at")
    )
    data: dict = {
        "can_manage": can_manage,
        "pending_leaves": branch_pending_leaves(actor=actor, branch=branch),
        "pending_claims": claims,
        "candidates": None,  # for those who act on the branch's unqualified cases
    }
    if scheme is None:
        return data
    year = scheme.year
    results = live_results(scheme=scheme, branches=[branch])
    ranking = _ranking(results, members)
    attendance = _attendance(year=year, branches=[branch], by="month")
    dues_by_month, _ = _dues(year=year, branches=[branch])
    appeals = list(branch_appeals(branch=branch, year=year).filter(status=Appeal.Status.OPEN))
    data.update(
        {
            "ranking": ranking,
            "ranked": [row for row in ranking if row["result"].composite is not None],
            "deductions": _deductions_by_item_month(year=year, branches=[branch]),
            "attendance": [{"month": m, **attendance.get(m, {})} for m in MONTHS],
            "attendance_rates": [attendance.get(m, {}).get("rate") for m in MONTHS],
            "dues": [{"month": m, "tally": t} for m, t in dues_by_month.items()],
            "open_appeals": appeals,
            "candidates": _candidates(actor=actor, branch=branch, year=year),
            "publication": publication_of(branch=branch, year=year),
            "grade_counts": _grade_counts(results),
        }
    )
    return data


def _candidates(*, actor: Actor, branch: Organization, year: int) -> list[dict] | None:
    """The unqualified procedure's candidates (系统提示) of the branch, for those who act on
    its cases; names masked unless the actor keeps the branch (as on the unqualified pages)."""
    if not bodies_for(actor, branch):
        return None
    full = names_visible(actor, branch)
    return [
        {
            "member": c.member,
            "name": c.member.name if full else mask_name(c.member.name),
            "condition": c.condition_label,
        }
        for c in candidates_found(year=year, branches=[branch]).values()
    ]


def _grade_counts(results: list[MemberResult]) -> list[tuple[str, int]]:
    counts = Counter(str(r.grade) for r in results)
    return [(str(g), counts[str(g)]) for g in GRADES if counts[str(g)]]


def branch_report(*, actor: Actor, branch: Organization, scheme: Scheme) -> dict:
    """The branch's annual report (printed): the dashboard's numbers and the results."""
    data = branch_dashboard(actor=actor, branch=branch, scheme=scheme)
    data["members_count"] = sum(
        1
        for m in members_visible(actor=actor).filter(branch=branch)
        if m.status in Member.assessed_statuses()
    )
    return data
