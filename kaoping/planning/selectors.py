"""Reads of scheme drafts and their simulation on the base year's ledger and votes.

Who sees a draft: an organisation-wide draft (no branch) its committee admins; a branch's
draft whoever manages that branch (its secretaries and the committee admins above it).
Seeing a draft means editing and simulating it; adopting it is for committee admins only.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import branches_visible, scope_for, under_paths
from kaoping.schemes.models import SchemeItem
from kaoping.scoring.engine import (
    GRADE_REPORT_ORDER,
    EntryInput,
    Grade,
    MemberResult,
    YearInput,
    compute_year,
)
from kaoping.scoring.selectors import (
    SUM_BONUS,
    SUM_DEDUCTIONS,
    counted_occurrences,
    rules_from,
    year_input,
)

from .models import SchemeDraft

GRADE_ORDER = GRADE_REPORT_ORDER


def may_plan(*, actor: Actor) -> bool:
    """Committee admins and branch secretaries draft schemes."""
    scope = scope_for(actor)
    return scope.is_scheme_admin or bool(scope.manage_paths)


def drafts_visible(*, actor: Actor) -> QuerySet[SchemeDraft]:
    scope = scope_for(actor)
    qs = SchemeDraft.objects.select_related("base", "branch", "created_by")
    if scope.everything:
        return qs
    q = Q(pk__in=[])
    if scope.is_scheme_admin:
        q |= Q(branch__isnull=True)
    if scope.manage_paths:
        q |= under_paths(scope.manage_paths, "branch__path")
    return qs.filter(q)


def draft_access_by_id(*, actor: Actor, id: int, adopt: bool = False) -> SchemeDraft:
    """The draft if ``actor`` may see it (the same 404 for missing and not yours);
    ``adopt`` asks for the committee admin's right to make it the year's scheme (403)."""
    draft = drafts_visible(actor=actor).filter(pk=id).first()
    if draft is None:
        raise Http404(_("找不到这份方案草稿。"))
    if adopt and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以采用方案草稿。"))
    return draft


def branches_for_drafting(*, actor: Actor) -> QuerySet[Organization]:
    """Branches the actor may draft for (the ones they manage)."""
    scope = scope_for(actor)
    qs = Organization.objects.filter(kind=Organization.Kind.BRANCH).order_by("path")
    if scope.everything:
        return qs
    if not scope.manage_paths:
        return qs.none()
    return qs.filter(under_paths(scope.manage_paths, "path"))


def simulated_branches(*, actor: Actor, draft: SchemeDraft) -> list[Organization]:
    """The branches the simulation covers: the draft's own, or all the actor sees."""
    qs = branches_visible(actor=actor).order_by("path")
    if draft.branch_id is not None:
        qs = qs.filter(pk=draft.branch_id)
    return list(qs)


def draft_year_input(*, draft: SchemeDraft, current: YearInput, branches: Any) -> YearInput:
    """``current`` (the base year's input, the ledger summed per member) with the draft's
    rules swapped in. Entries keep their recorded points unless the draft changes the item's
    points: then the entries that count are re-priced at occurrences x the draft's points,
    i.e. the member's sum moves by the difference."""
    base = {
        code: (kind, points)
        for code, kind, points in SchemeItem.objects.filter(scheme=draft.base).values_list(
            "code", "kind", "points"
        )
    }
    repriced = {
        i.code: i.points
        for i in draft.items.all()
        if i.code in base and base[i.code][1] != i.points
    }
    delta: defaultdict[tuple[str, str], Decimal] = defaultdict(Decimal)
    if repriced:
        counted = counted_occurrences(
            scheme=draft.base, branch_ids=[b.pk for b in branches], item_codes=repriced
        )
        for (member, item), (occurrences, recorded) in counted.items():
            kind = SUM_BONUS if base[item][0] == SchemeItem.Kind.BONUS else SUM_DEDUCTIONS
            delta[(member, kind)] += occurrences * repriced[item] - recorded
    entries: list[EntryInput] = []
    for entry in current.entries:
        change = delta.pop((entry.member, entry.item), Decimal(0))
        entries.append(replace(entry, points=entry.points + change) if change else entry)
    # a sum the base year left out (its entries were worth 0 points) but the draft prices
    entries += [
        EntryInput(id=f"draft:{member}:{kind}", member=member, item=kind, points=change)
        for (member, kind), change in delta.items()
        if change > 0
    ]
    return replace(current, rules=rules_from(draft), entries=entries)


@dataclass(frozen=True)
class GradeChange:
    code: str
    name: str
    branch: str
    old: MemberResult
    new: MemberResult


@dataclass(frozen=True)
class Simulation:
    branches: list[Organization]
    grades: list[tuple[Grade, int, int, int]]  # grade, now, under the draft, difference
    changes: list[GradeChange]
    members: int
    score_changes: int  # members whose composite score changes

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


def draft_simulation(*, actor: Actor, draft: SchemeDraft) -> Simulation:
    """This year's results under the base scheme and under the draft, side by side, for
    the branches ``actor`` may see (ranks and quota are per branch, so this is exact)."""
    branches = simulated_branches(actor=actor, draft=draft)
    current_input = year_input(scheme=draft.base, branches=branches)
    now = compute_year(current_input)
    then = compute_year(draft_year_input(draft=draft, current=current_input, branches=branches))
    now_by = {r.member: r for r in now}
    count_now = Counter(r.grade for r in now)
    count_then = Counter(r.grade for r in then)
    changed = [r for r in then if r.member in now_by and now_by[r.member].grade != r.grade]
    names = dict(
        Member.objects.filter(code__in=[r.member for r in changed]).values_list("code", "name")
    )
    branch_names = {b.code: b.name for b in branches}
    changes = [
        GradeChange(
            code=r.member,
            name=names.get(r.member, r.member),
            branch=branch_names.get(r.branch, r.branch),
            old=now_by[r.member],
            new=r,
        )
        for r in changed
    ]
    changes.sort(key=lambda c: (c.branch, c.code))
    return Simulation(
        branches=branches,
        grades=[
            (g, count_now[g], count_then[g], count_then[g] - count_now[g]) for g in GRADE_ORDER
        ],
        changes=changes,
        members=len(now),
        score_changes=sum(
            1 for r in then if r.member in now_by and now_by[r.member].composite != r.composite
        ),
    )
