"""The committee's dashboard over its branches, and the big screen (数据大屏)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone

from kaoping.annotations import Actor
from kaoping.evaluation.models import EvaluationRound
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import branches_visible
from kaoping.publication.models import Publication
from kaoping.schemes.models import BranchYearClosing, Scheme
from kaoping.scoring.engine import Grade, MemberResult
from kaoping.scoring.selectors import live_results
from kaoping.unqualified.selectors import candidates_found

from .common import GRADES, _attendance, _dues

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
