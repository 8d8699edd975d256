"""The scoring engine: rules.md sections 5-8 as pure functions.

No Django, no database, no I/O. Every number is a ``decimal.Decimal``; the only rounding
anywhere is the democratic percentage (half up to two places, rules.md section 6) and
the integer number of excellent places (``quota_rounding``). All other arithmetic runs
in a local decimal context that traps ``Inexact``, so a value can never be rounded
silently.

By concept: ``values`` (constants, the exact context, inputs and the result),
``daily`` (sections 5 and 6: counted entries, daily score, democratic percentage) and
``grades`` (section 7 and the flags of 8: quota, ties, grades, ranks, ``compute_year``).
Import from the package: ``from kaoping.scoring.engine import compute_year``.
"""

from .daily import (
    _democratic_percentage_decimal,
    daily_score,
    democratic_percentage,
    member_daily_totals,
)
from .grades import compute_year, quota_places
from .values import (
    ASSESSED_STATUSES,
    DEFERRED_STATUSES,
    EXCLUDED_STATUSES,
    FLAG_CANDIDATE_8,
    FLAG_DISQUALIFIED,
    FLAG_QUOTA_DECISION_INVALID,
    FLAG_QUOTA_TIE,
    GRADE_REPORT_ORDER,
    EntryInput,
    Grade,
    ItemRule,
    MemberInput,
    MemberResult,
    SchemeRules,
    YearInput,
)

__all__ = [
    "ASSESSED_STATUSES",
    "DEFERRED_STATUSES",
    "EXCLUDED_STATUSES",
    "FLAG_CANDIDATE_8",
    "FLAG_DISQUALIFIED",
    "FLAG_QUOTA_DECISION_INVALID",
    "FLAG_QUOTA_TIE",
    "EntryInput",
    "GRADE_REPORT_ORDER",
    "Grade",
    "ItemRule",
    "MemberInput",
    "MemberResult",
    "SchemeRules",
    "YearInput",
    "_democratic_percentage_decimal",
    "compute_year",
    "daily_score",
    "democratic_percentage",
    "member_daily_totals",
    "quota_places",
]
