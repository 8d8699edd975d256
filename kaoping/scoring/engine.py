"""The scoring engine: rules.md sections 5-8 as pure functions.

No Django, no database, no I/O. Every number is a ``decimal.Decimal``; the only rounding
anywhere is the democratic percentage (half up to two places, rules.md section 6) and
the integer number of excellent places (``quota_rounding``). All other arithmetic runs
in a local decimal context that traps ``Inexact``, so a value can never be rounded
silently.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ParamSpec, TypeVar

__all__ = [
    "ASSESSED_STATUSES",
    "DEFERRED_STATUSES",
    "EXCLUDED_STATUSES",
    "FLAG_CANDIDATE_8",
    "FLAG_DISQUALIFIED",
    "FLAG_QUOTA_DECISION_INVALID",
    "FLAG_QUOTA_TIE",
    "EntryInput",
    "Grade",
    "ItemRule",
    "MemberInput",
    "MemberResult",
    "SchemeRules",
    "YearInput",
    "compute_year",
    "daily_score",
    "democratic_percentage",
    "member_daily_totals",
    "quota_places",
]


# --------------------------------------------------------------------------- constants


class Grade(StrEnum):
    EXCELLENT = "excellent"
    QUALIFIED = "qualified"
    BASIC = "basic"
    WARNING = "warning"
    DEFERRED = "deferred"
    PENDING = "pending"


FLAG_DISQUALIFIED = "disqualified"
FLAG_QUOTA_TIE = "quota_tie"
FLAG_QUOTA_DECISION_INVALID = "quota_decision_invalid"
FLAG_CANDIDATE_8 = "candidate:8"

ASSESSED_STATUSES = frozenset({"active", "lost_contact"})
DEFERRED_STATUSES = frozenset({"under_investigation"})
EXCLUDED_STATUSES = frozenset({"transferred_out", "deceased"})
_KNOWN_STATUSES = ASSESSED_STATUSES | DEFERRED_STATUSES | EXCLUDED_STATUSES

_ITEM_KINDS = frozenset({"deduction", "bonus"})
_QUOTA_ROUNDING = {
    "floor": ROUND_FLOOR,
    "round_half_up": ROUND_HALF_UP,
    "ceil": ROUND_CEILING,
}
_CENT = Decimal("0.01")
_ZERO = Decimal(0)

# Exact arithmetic: wide precision, and any rounding raises instead of happening.
_EXACT = Context(
    prec=80,
    rounding=ROUND_HALF_UP,
    traps=[Inexact, InvalidOperation, DivisionByZero, Overflow],
)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _exact(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` in the exact decimal context, whatever the caller's context is."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(_EXACT):
            return func(*args, **kwargs)

    return wrapper


def _require_decimal(name: str, value: Any) -> None:
    # bool is an int subclass but never a sensible score; floats are forbidden outright.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal (got {type(value).__name__}: {value!r})")


def _default_ballot_options() -> Mapping[str, Decimal]:
    return MappingProxyType(
        {
            "excellent": Decimal("100"),
            "qualified": Decimal("80"),
            "basic": Decimal("60"),
            "unqualified": Decimal("0"),
        }
    )


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class SchemeRules:
    base_points: Decimal = Decimal("70")
    bonus_cap: Decimal = Decimal("10")
    democratic_share: Decimal = Decimal("0.30")
    excellent_threshold: Decimal = Decimal("90")
    qualified_threshold: Decimal = Decimal("70")
    basic_threshold: Decimal = Decimal("60")
    excellent_quota: Decimal = Decimal("0.15")
    quota_rounding: str = "floor"
    ballot_options: Mapping[str, Decimal] = field(
        default_factory=_default_ballot_options, hash=False
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.type == "Decimal":
                _require_decimal(f.name, getattr(self, f.name))
        if self.quota_rounding not in _QUOTA_ROUNDING:
            raise ValueError(
                f"quota_rounding must be one of {sorted(_QUOTA_ROUNDING)}, "
                f"got {self.quota_rounding!r}"
            )
        for option, value in self.ballot_options.items():
            _require_decimal(f"ballot option {option!r}", value)
        # Keep the scheme immutable even when a plain dict was passed in.
        object.__setattr__(self, "ballot_options", MappingProxyType(dict(self.ballot_options)))


@dataclass(frozen=True)
class ItemRule:
    code: str
    kind: str  # "deduction" | "bonus"
    disqualifies: bool = False
    categories: frozenset[str] | None = None  # None: applies to every branch category

    def __post_init__(self) -> None:
        if self.kind not in _ITEM_KINDS:
            raise ValueError(f"item {self.code!r}: kind must be 'deduction' or 'bonus'")

    def applies_to(self, category: str) -> bool:
        return self.categories is None or category in self.categories


@dataclass(frozen=True)
class MemberInput:
    id: str
    branch: str
    status: str = "active"
    category: str = "in_service"  # category of the member's branch
    exemptions: frozenset[str] = frozenset()  # item codes

    def __post_init__(self) -> None:
        if self.status not in _KNOWN_STATUSES:
            raise ValueError(f"member {self.id!r}: unknown status {self.status!r}")


@dataclass(frozen=True)
class EntryInput:
    id: str
    member: str
    item: str
    points: Decimal  # occurrences x the item's points at recording time
    reverses: str | None = None


@dataclass(frozen=True)
class YearInput:
    rules: SchemeRules
    items: Mapping[str, ItemRule]
    members: Sequence[MemberInput]
    entries: Iterable[EntryInput]
    tallies: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    decisions: Mapping[str, bool] = field(default_factory=dict)
    previous_grades: Mapping[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class MemberResult:
    member: str
    branch: str
    deductions: Decimal | None
    bonus: Decimal | None
    daily: Decimal | None
    democratic_pct: Decimal | None
    democratic: Decimal | None
    composite: Decimal | None
    rank: int | None
    grade: Grade
    flags: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The member object of a results document (bundle.md), values exact."""

        def dec(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "member": self.member,
            "branch": self.branch,
            "deductions": dec(self.deductions),
            "bonus": dec(self.bonus),
            "daily": dec(self.daily),
            "democratic_pct": dec(self.democratic_pct),
            "democratic": dec(self.democratic),
            "composite": dec(self.composite),
            "rank": self.rank,
            "grade": str(self.grade.value),
            "flags": list(self.flags),
        }


# --------------------------------------------------------------------------- section 5


@_exact
def member_daily_totals(
    items: Mapping[str, ItemRule],
    members: Iterable[MemberInput],
    entries: Iterable[EntryInput],
) -> dict[str, tuple[Decimal, Decimal, bool]]:
    """Member id -> (deductions, bonus, disqualified) over the entries that count.

    An entry does not count when another entry reverses it, when it is itself a
    reversal, when the member is exempt from its item, or when its item does not apply
    to the category of the member's branch. ``bonus`` is the raw sum (the cap is
    applied by :func:`daily_score`).
    """
    by_id: dict[str, MemberInput] = {}
    for member in members:
        if member.id in by_id:
            raise ValueError(f"member {member.id!r} is listed twice")
        by_id[member.id] = member

    all_entries = list(entries)
    entry_ids: set[str] = set()
    for entry in all_entries:
        if entry.id in entry_ids:
            raise ValueError(f"entry {entry.id!r} appears twice")
        entry_ids.add(entry.id)

    reversal_ids = {e.id for e in all_entries if e.reverses is not None}
    reversed_ids: set[str] = set()
    for entry in all_entries:
        if entry.member not in by_id:
            raise ValueError(f"entry {entry.id!r} names unknown member {entry.member!r}")
        if entry.reverses is None:
            if entry.item not in items:
                raise ValueError(f"entry {entry.id!r} names unknown item {entry.item!r}")
            _require_decimal(f"entry {entry.id!r} points", entry.points)
            continue
        # A reversal: its item and points are ignored, only its target matters.
        target = entry.reverses
        if target not in entry_ids:
            raise ValueError(f"entry {entry.id!r} reverses unknown entry {target!r}")
        if target in reversal_ids:
            raise ValueError(f"entry {entry.id!r} reverses {target!r}, which is a reversal")
        if target in reversed_ids:
            raise ValueError(f"entry {entry.id!r} reverses {target!r}, already reversed")
        reversed_ids.add(target)

    deductions: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    bonus: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    disqualified: set[str] = set()
    for entry in all_entries:
        if entry.reverses is not None or entry.id in reversed_ids:
            continue
        member = by_id[entry.member]
        item = items[entry.item]
        if entry.item in member.exemptions:
            continue
        if not item.applies_to(member.category):
            continue
        if item.kind == "deduction":
            deductions[member.id] += entry.points
        else:
            bonus[member.id] += entry.points
        if item.disqualifies:
            disqualified.add(member.id)

    return {
        member_id: (deductions[member_id], bonus[member_id], member_id in disqualified)
        for member_id in by_id
    }


@_exact
def daily_score(rules: SchemeRules, deductions: Decimal, bonus: Decimal) -> Decimal:
    """``max(0, base - deductions) + min(bonus_cap, bonus)`` (rules.md section 5)."""
    remaining = rules.base_points - deductions
    if remaining < 0:
        remaining = _ZERO
    return remaining + min(rules.bonus_cap, bonus)


# --------------------------------------------------------------------------- section 6


@functools.lru_cache(maxsize=64)
def _option_integers(rules: SchemeRules) -> tuple[Mapping[str, int], int] | None:
    """The ballot options' values as integers of one scale (``value * 10**scale``), so a
    tally's mean is taken in integers; None if a value is not a finite number (those
    take the general path, which fails as before)."""
    values = rules.ballot_options
    if not all(v.is_finite() for v in values.values()):
        return None
    scale = max((-v.as_tuple().exponent for v in values.values()), default=0)
    scale = max(scale, 0)
    with localcontext(_EXACT):
        return {o: int(v.scaleb(scale)) for o, v in values.items()}, scale


@_exact
def democratic_percentage(rules: SchemeRules, tally: Mapping[str, int]) -> Decimal | None:
    """Mean option value over the marks, rounded half up to two places; None if no mark.

    The mean is taken exactly (as a fraction) and rounded once, so no intermediate
    rounding can move a value across the half-way point.
    """
    integers = _option_integers(rules)
    if integers is None:
        return _democratic_percentage_decimal(rules, tally)
    values, scale = integers
    # The option values are integers of ``scale``: the mean is a fraction of integers.
    marks, total = _marks_and_total(values, tally)
    if marks == 0:
        return None
    return _half_up_cents(total * 100, marks * 10**scale)


def _marks_and_total(values: Mapping[str, Any], tally: Mapping[str, int]) -> tuple[int, Any]:
    """How many marks a tally holds and the sum of their option values, refusing an
    unknown option or a count that is not a non-negative int."""
    marks = 0
    total = 0
    for option, count in tally.items():
        value = values.get(option)
        if value is None:
            raise ValueError(f"unknown ballot option {option!r}")
        if isinstance(count, bool) or not isinstance(count, int):
            raise TypeError(f"count for option {option!r} must be an int, got {count!r}")
        if count < 0:
            raise ValueError(f"count for option {option!r} is negative: {count}")
        marks += count
        total += value * count
    return marks, total


def _half_up_cents(numerator: int, denominator: int) -> Decimal:
    """``numerator / denominator`` rounded half up (away from zero, as
    decimal.ROUND_HALF_UP does) to two places."""
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    cents = magnitude if numerator >= 0 else -magnitude
    return Decimal(cents).scaleb(-2)


def _democratic_percentage_decimal(rules: SchemeRules, tally: Mapping[str, int]) -> Decimal | None:
    # Decimal sums, exact: the context traps Inexact.
    marks, total = _marks_and_total(rules.ballot_options, tally)
    if marks == 0:
        return None
    # total / marks * 100 as the fraction numerator / denominator of integers, so that
    # no intermediate rounding can move a value across the half-way point (and integer
    # arithmetic is much faster than Fraction, which matters for a million members).
    _sign, _digits, exponent = total.as_tuple()
    scale = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _half_up_cents(int(total.scaleb(scale)) * 100, marks * 10**scale)


_daily_score = daily_score.__wrapped__
_democratic_percentage = democratic_percentage.__wrapped__


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
            results.append(
                MemberResult(
                    member=s.member.id,
                    branch=branch,
                    deductions=s.deductions,
                    bonus=s.bonus,
                    daily=s.daily,
                    democratic_pct=s.democratic_pct,
                    democratic=s.democratic,
                    composite=s.composite,
                    rank=s.rank,
                    grade=s.grade,
                    flags=tuple(sorted(s.flags)),
                )
            )
        for member in deferred:
            results.append(
                MemberResult(
                    member=member.id,
                    branch=branch,
                    deductions=None,
                    bonus=None,
                    daily=None,
                    democratic_pct=None,
                    democratic=None,
                    composite=None,
                    rank=None,
                    grade=Grade.DEFERRED,
                    flags=(),
                )
            )

    results.sort(
        key=lambda r: (r.branch, r.rank is None, r.rank if r.rank is not None else 0, r.member)
    )
    return results
