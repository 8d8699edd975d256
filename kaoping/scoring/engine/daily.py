"""Rules.md sections 5 and 6: which entries count, the daily score, and the democratic
percentage (the only rounding of a score). Pure, like the whole engine."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal, localcontext
from typing import Any

from .values import (
    _EXACT,
    _ZERO,
    EntryInput,
    ItemRule,
    MemberInput,
    SchemeRules,
    _exact,
    _require_decimal,
)

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


def _daily_score(rules: SchemeRules, deductions: Decimal, bonus: Decimal) -> Decimal:
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
    scale = max((-_exponent(v) for v in values.values()), default=0)
    scale = max(scale, 0)
    with localcontext(_EXACT):
        return {o: int(v.scaleb(scale)) for o, v in values.items()}, scale


def _democratic_percentage(rules: SchemeRules, tally: Mapping[str, int]) -> Decimal | None:
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


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # 'n', 'N', 'F': not a finite number
        raise ValueError(f"not a finite number: {value!r}")
    return exponent


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


# The public functions run in the exact context; the engine, already inside it, calls
# the undecorated ones above.
daily_score = _exact(_daily_score)
democratic_percentage = _exact(_democratic_percentage)
