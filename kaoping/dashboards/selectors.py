"""Reads for the dashboards: a fixed number of set-based queries per page (never one per
member or per branch), built on the apps' own selectors, which decide access.

Every public function takes the ``actor``; the ``*_access_*`` ones raise the same 404 for
"missing" and "not yours" (through ``kaoping.orgs.selectors``)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.claims.models import BonusClaim
from kaoping.claims.selectors import claims_of_branch
from kaoping.dues.models import DuesPayment, DuesRate, DuesSettings
from kaoping.dues.selectors import deadline_of, status_of
from kaoping.evaluation.models import EvaluationRound
from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.models import Attendance, Meeting
from kaoping.meetings.selectors import branch_pending_leaves, member_meetings
from kaoping.orgs.models import ON_ROLL_STATUSES, Member, Organization
from kaoping.orgs.selectors import (
    branches_visible,
    member_access_by_code,
    members_visible,
    own_member,
    scope_for,
)
from kaoping.publication.models import Appeal, Publication
from kaoping.publication.selectors import branch_appeals, member_published, publication_of
from kaoping.schemes.models import BranchYearClosing, Scheme, SchemeItem
from kaoping.scoring.engine import GRADE_REPORT_ORDER, Grade, MemberResult
from kaoping.scoring.models import MemberResult as StoredResult
from kaoping.scoring.selectors import live_result_of_member, live_results
from kaoping.tasks.selectors import member_open_tasks
from kaoping.unqualified.selectors import (
    bodies_for,
    candidates_found,
    mask_name,
    names_visible,
)

MONTHS = range(1, 13)
GRADES = GRADE_REPORT_ORDER
TOP_ITEMS = 6  # deduction items charted one by one; the rest go together as "other"
_HUNDRED = Decimal(100)


def _percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * _HUNDRED / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _months_so_far(year: int) -> list[int]:
    """The months of ``year`` that have begun (all twelve for a past year)."""
    today = timezone.localdate()
    if year < today.year:
        return list(MONTHS)
    if year > today.year:
        return []
    return list(range(1, today.month + 1))


# --------------------------------------------------------------------------- access


def member_access_for_dashboard(*, actor: Actor, code: str | None) -> Member:
    """The member (own dashboard when ``code`` is None): the member themself or an officer
    who reads their branch; 404 for everybody else."""
    if code is None:
        return own_member(actor=actor)
    return member_access_by_code(actor=actor, code=code)


def dashboard_home(*, actor: Actor) -> tuple[str, str | None]:
    """Which dashboard a user lands on: ("committee"|"branch"|"member"|"none", branch code)."""
    scope = scope_for(actor)
    if scope.is_staff_role:
        codes = list(
            branches_visible(actor=actor).order_by("path").values_list("code", flat=True)[:2]
        )
        if len(codes) == 1:
            return "branch", codes[0]
        return "committee", None
    if scope.member_id is not None:
        return "member", None
    return "none", None


# --------------------------------------------------------------------------- ledger sums


def _live_entries(year: int) -> QuerySet[ScoreEntry]:
    """Entries that count: neither reversed nor reversals (the engine drops both)."""
    return ScoreEntry.objects.filter(year=year, reverses__isnull=True, reversed_by__isnull=True)


# --------------------------------------------------------------------------- member


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


# --------------------------------------------------------------------------- branch


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


def _attendance(*, year: int, branches: list[Organization], by: str) -> dict:
    """Attendance at closed meetings of the year: (present, leave, absent, total) grouped
    by month or by branch. One query."""
    group = ExtractMonth("meeting__starts_at") if by == "month" else F("meeting__branch_id")
    rows = (
        Attendance.objects.filter(
            meeting__branch__in=branches,
            meeting__status=Meeting.Status.CLOSED,
            meeting__starts_at__year=year,
        )
        .annotate(k=group)
        .values("k")
        .annotate(
            total=Count("id"),
            present=Count("id", filter=Q(status=Attendance.Status.PRESENT)),
            leave=Count("id", filter=Q(status=Attendance.Status.LEAVE)),
            absent=Count("id", filter=Q(status=Attendance.Status.ABSENT)),
        )
        .order_by("k")
    )
    return {
        row["k"]: {
            "total": row["total"],
            "present": row["present"],
            "leave": row["leave"],
            "absent": row["absent"],
            "rate": _percent(row["present"], row["total"]),
        }
        for row in rows
    }


@dataclass
class DuesTally:
    due: int = 0
    paid: int = 0
    late: int = 0
    short: int = 0
    unpaid: int = 0

    @property
    def rate(self) -> Decimal | None:
        return _percent(self.paid, self.due)


def _dues(*, year: int, branches: list[Organization]) -> tuple[dict, dict]:
    """Dues compliance for the months begun so far: per month and per branch, counting
    member-months with a rate (paid on time, late, short, unpaid). Three queries."""
    months = _months_so_far(year)
    deadline_day = dict(
        DuesSettings.objects.filter(branch__in=branches).values_list("branch_id", "deadline_day")
    )
    default_day = DuesSettings._meta.get_field("deadline_day").default
    rates = {
        member_id: (branch_id, amount)
        for member_id, branch_id, amount in DuesRate.objects.filter(
            year=year, member__branch__in=branches, member__status__in=ON_ROLL_STATUSES
        ).values_list("member_id", "member__branch_id", "amount")
    }
    paid: dict[tuple[int, int], list[tuple[Decimal, datetime.date]]] = defaultdict(list)
    for member_id, period, amount, paid_on in DuesPayment.objects.filter(
        member_id__in=list(rates), period__year=year
    ).values_list("member_id", "period", "amount", "paid_on"):
        paid[(member_id, period.month)].append((amount, paid_on))
    by_month: dict[int, DuesTally] = {m: DuesTally() for m in months}
    by_branch: dict[int, DuesTally] = {b.id: DuesTally() for b in branches}
    for member_id, (branch_id, due) in rates.items():
        settings = DuesSettings(deadline_day=deadline_day.get(branch_id, default_day))
        for m in months:
            deadline = deadline_of(datetime.date(year, m, 1), settings)
            payments = paid.get((member_id, m), [])
            total = sum((a for a, _ in payments), Decimal(0))
            on_time = sum((a for a, d in payments if d <= deadline), Decimal(0))
            status = str(status_of(due, on_time, total))
            for tally in (by_month[m], by_branch[branch_id]):
                tally.due += 1
                if hasattr(tally, status):
                    setattr(tally, status, getattr(tally, status) + 1)
    return by_month, by_branch


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


# --------------------------------------------------------------------------- committee


PROGRESS_STEPS = (
    "none",
    EvaluationRound.Step.SELF,
    EvaluationRound.Step.PEER,
    EvaluationRound.Step.SECRETARY,
    EvaluationRound.Step.VOTE,
    EvaluationRound.Step.DETERMINATION,
    "published",
    "final",
)


def committee_dashboard(*, actor: Actor, scheme: Scheme | None) -> dict:
    """Every visible branch compared: average composite, grades, attendance, dues, member
    statuses and the progress of its evaluation. A fixed number of queries."""
    branches = list(branches_visible(actor=actor).order_by("path"))
    status_counts: dict[int, Counter] = defaultdict(Counter)
    for branch_id, status, n in (
        Member.objects.filter(branch__in=branches)
        .values_list("branch_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        status_counts[branch_id][status] += n
    data: dict = {"branches": branches, "rows": []}
    if scheme is None or not branches:
        data["rows"] = [{"branch": b, "statuses": status_counts[b.id]} for b in branches]
        return data
    year = scheme.year
    results = live_results(scheme=scheme, branches=branches)
    by_branch: dict[str, list[MemberResult]] = defaultdict(list)
    for r in results:
        by_branch[r.branch].append(r)
    attendance = _attendance(year=year, branches=branches, by="branch")
    _, dues = _dues(year=year, branches=branches)
    rounds = dict(
        EvaluationRound.objects.filter(year=year, branch__in=branches).values_list(
            "branch_id", "step"
        )
    )
    published = set(
        Publication.objects.filter(year=year, branch__in=branches).values_list(
            "branch_id", flat=True
        )
    )
    final = set(
        BranchYearClosing.objects.filter(scheme=scheme, branch__in=branches).values_list(
            "branch_id", flat=True
        )
    )
    candidates = Counter(
        c.member.branch_id for c in candidates_found(year=year, branches=branches).values()
    )
    rows = []
    for b in branches:
        scored = [r.composite for r in by_branch[b.code] if r.composite is not None]
        average = (
            (sum(scored, Decimal(0)) / len(scored)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if scored
            else None
        )
        if b.id in final:
            stage = "final"
        elif b.id in published:
            stage = "published"
        else:
            stage = rounds.get(b.id, "none")
        grades = Counter(str(r.grade) for r in by_branch[b.code])
        rows.append(
            {
                "branch": b,
                "average": average,
                "grades": grades,
                "assessed": len(by_branch[b.code]),
                "attendance": attendance.get(b.id, {}),
                "dues": dues[b.id],
                "stage": stage,
                "stage_index": PROGRESS_STEPS.index(stage),
                "statuses": status_counts[b.id],
                "deferred": grades.get(str(Grade.DEFERRED), 0),
                "lost_contact": status_counts[b.id].get(Member.Status.LOST_CONTACT, 0),
                "candidates": candidates[b.id],
            }
        )
    data["rows"] = rows
    return data


def branch_report(*, actor: Actor, branch: Organization, scheme: Scheme) -> dict:
    """The branch's annual report (printed): the dashboard's numbers and the results."""
    data = branch_dashboard(actor=actor, branch=branch, scheme=scheme)
    data["members_count"] = sum(
        1
        for m in members_visible(actor=actor).filter(branch=branch)
        if m.status in Member.assessed_statuses()
    )
    return data


# --------------------------------------------------------------------------- big screen


def screen_dashboard(*, actor: Actor, scheme: Scheme | None) -> dict:
    """The big screen (数据大屏): the committee dashboard's branch rows and the count of
    early warnings of each kind, nothing about a single member. The same fixed number of
    queries as the committee dashboard, plus the warnings' own fixed number."""
    from kaoping.monitoring.selectors import KIND_CHOICES, warnings_for

    data = committee_dashboard(actor=actor, scheme=scheme)
    year = scheme.year if scheme is not None else timezone.localdate().year
    counts = Counter(w.kind for w in warnings_for(actor=actor, year=year))
    data["warnings"] = [(str(label), counts[kind]) for kind, label in KIND_CHOICES]
    data["warnings_total"] = sum(counts.values())
    rows = [row for row in data["rows"] if "average" in row]
    grades: Counter = Counter()
    for row in rows:
        grades.update(row["grades"])
    data["grade_totals"] = [(str(g), grades[str(g)]) for g in GRADES if grades[str(g)]]
    data["assessed"] = sum(row["assessed"] for row in rows)
    data["started"] = sum(1 for row in rows if row["stage"] != "none")
    data["published"] = sum(1 for row in rows if row["stage"] in ("published", "final"))
    return data
