"""Rules.md section 7 (and the flags of section 8): the composite score, the excellent
quota with its ties, grades and ranks, and ``compute_year``, which puts sections 5-8
together. Pure, like the whole engine."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .daily import _daily_score, _democratic_percentage, member_daily_totals
from .values import (
    _QUOTA_ROUNDING,
    DEFERRED_STATUSES,
    EXCLUDED_STATUSES,
    FLAG_CANDIDATE_8,
    FLAG_DISQUALIFIED,
    FLAG_QUOTA_DECISION_INVALID,
    FLAG_QUOTA_TIE,
    Grade,
    MemberInput,
    MemberResult,
    SchemeRules,
    YearInput,
    _exact,
)

# --------------------------------------------------------------------------- section 7


@_exact
def quota_places(rules: SchemeRules, counted_members: int) -> int:
    """Excellent places of a branch: ``excellent_quota x members``, rounded per the scheme."""
    if counted_members < 0:
        raise ValueError("counted_members must not be negative")
    product = rules.excellent_quota * counted_members
    return int(product.to_integral_value(rounding=_QUOTA_ROUNDING[rules.quota_rounding]))


def _grade_by_composite(rules: SchemeRules, composite: Decimal) -> Grade:
    """Grade of a member who does not take an excellent place."""
    if composite >= rules.qualified_threshold:  # also >= excellent_threshold
        return Grade.QUALIFIED
    if composite >= rules.basic_threshold:
        return Grade.BASIC
    return Grade.WARNING


@dataclass
class _Scored:
    member: MemberInput
    deductions: Decimal
    bonus: Decimal
    daily: Decimal
    democratic_pct: Decimal | None
    democratic: Decimal | None
    composite: Decimal
    disqualified: bool
    grade: Grade | None = None
    rank: int | None = None
    flags: set[str] = field(default_factory=set)

    def result(self, branch: str, grade: Grade) -> MemberResult:
        return MemberResult(
            member=self.member.id,
            branch=branch,
            deductions=self.deductions,
            bonus=self.bonus,
            daily=self.daily,
            democratic_pct=self.democratic_pct,
            democratic=self.democratic,
            composite=self.composite,
            rank=self.rank,
            grade=grade,
            flags=tuple(sorted(self.flags)),
        )


def _assign_excellent(
    rules: SchemeRules,
    scored: list[_Scored],
    places: int,
    decisions: Mapping[str, bool],
) -> None:
    """Set grade (excellent / qualified / pending) and tie flags for the quota pool."""
    pool = sorted(
        (s for s in scored if s.composite >= rules.excellent_threshold and not s.disqualified),
        key=lambda s: s.composite,
        reverse=True,
    )
    if places <= 0 or not pool:
        return
    if len(pool) <= places:
        for s in pool:
            s.grade = Grade.EXCELLENT
        return

    boundary = pool[places - 1].composite
    above = [s for s in pool if s.composite > boundary]
    tie = [s for s in pool if s.composite == boundary]
    if len(above) + len(tie) <= places:
        for s in above + tie:
            s.grade = Grade.EXCELLENT
        return

    for s in above:
        s.grade = Grade.EXCELLENT
    remaining = places - len(above)
    for s in tie:
        s.flags.add(FLAG_QUOTA_TIE)
    decided = {
        s.member.id: bool(decisions[s.member.id])
        for s in tie
        if decisions.get(s.member.id) is not None
    }
    taking = [s for s in tie if decided.get(s.member.id) is True]
    declined = [s for s in tie if decided.get(s.member.id) is False]
    if len(taking) > remaining:
        for s in tie:
            s.grade = Grade.PENDING
            s.flags.add(FLAG_QUOTA_DECISION_INVALID)
        return
    if len(taking) == remaining:
        undecided_grade = Grade.QUALIFIED
    elif len(declined) == len(tie) - remaining:
        undecided_grade = Grade.EXCELLENT
    else:
        undecided_grade = Grade.PENDING
    for s in tie:
        decision = decided.get(s.member.id)
        if decision is True:
            s.grade = Grade.EXCELLENT
        elif decision is False:
            s.grade = Grade.QUALIFIED
        else:
            s.grade = undecided_grade


def _competition_ranks(scored: list[_Scored]) -> None:
    ordered = sorted(scored, key=lambda s: s.composite, reverse=True)
    previous: Decimal | None = None
    rank = 0
    for position, s in enumerate(ordered, start=1):
        if previous is None or s.composite != previous:
            rank = position
            previous = s.composite
        s.rank = rank


@_exact
def compute_year(data: YearInput) -> list[MemberResult]:
    """Results of every listed member who is counted in a branch (rules.md 5-8)."""
    rules = data.rules
    totals = member_daily_totals(data.items, data.members, data.entries)

    branches: dict[str, list[MemberInput]] = defaultdict(list)
    for member in data.members:
        if member.status not in EXCLUDED_STATUSES:
            branches[member.branch].append(member)

    results: list[MemberResult] = []
    for branch in sorted(branches):
        counted = branches[branch]
        scored: list[_Scored] = []
        deferred: list[MemberInput] = []
        for member in counted:
            if member.status in DEFERRED_STATUSES:
                deferred.append(member)
                continue
            deductions, bonus, disqualified = totals[member.id]
            # Already in the exact context: call the undecorated functions.
            daily = _daily_score(rules, deductions, bonus)
            pct = _democratic_percentage(rules, data.tallies.get(member.id, {}))
            democratic = None if pct is None else rules.democratic_share * pct
            composite = daily if democratic is None else daily + democratic
            scored.append(
                _Scored(
                    member=member,
                    deductions=deductions,
                    bonus=bonus,
                    daily=daily,
                    democratic_pct=pct,
                    democratic=democratic,
                    composite=composite,
                    disqualified=disqualified,
                )
            )

        _assign_excellent(rules, scored, quota_places(rules, len(counted)), data.decisions)
        _competition_ranks(scored)

        for s in scored:
            if s.grade is None:
                s.grade = _grade_by_composite(rules, s.composite)
            if s.disqualified:
                s.flags.add(FLAG_DISQUALIFIED)
            if (
                s.grade is Grade.WARNING
                and data.previous_grades.get(s.member.id) == Grade.WARNING.value
            ):
                s.flags.add(FLAG_CANDIDATE_8)
            results.append(s.result(branch, s.grade))
        results += [MemberResult.deferred(member.id, branch) for member in deferred]

    results.sort(
        key=lambda r: (r.branch, r.rank is None, r.rank if r.rank is not None else 0, r.member)
    )
    return results
