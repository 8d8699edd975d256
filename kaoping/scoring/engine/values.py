"""The engine's values: its constants, the exact decimal context, what goes in (the
scheme's rules, items, members, entries) and what comes out (a member's result).

No Django, no database, no I/O (see the package's docstring).
"""

from __future__ import annotations

import functools
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

# --------------------------------------------------------------------------- constants


class Grade(StrEnum):
    EXCELLENT = "excellent"
    QUALIFIED = "qualified"
    BASIC = "basic"
    WARNING = "warning"
    DEFERRED = "deferred"
    PENDING = "pending"


# The order in which reports and charts list the grades: the four final grades from the
# best, then the two that are not (yet) a grade.
GRADE_REPORT_ORDER = (
    Grade.EXCELLENT,
    Grade.QUALIFIED,
    Grade.BASIC,
    Grade.WARNING,
    Grade.PENDING,
    Grade.DEFERRED,
)

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

    @classmethod
    def deferred(cls, member: str, branch: str) -> MemberResult:
        """The result of a member under investigation: counted in the branch (its size
        sets the quota) but without numbers or rank (rules.md section 8)."""
        return cls(
            member=member, branch=branch, deductions=None, bonus=None, daily=None,
            democratic_pct=None, democratic=None, composite=None, rank=None,
            grade=Grade.DEFERRED, flags=(),
        )  # fmt: skip

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
