"""Writes of meetings, one module a concern: the meeting itself, its rule and record
(``meetings``), attendance and its closing into the ledger (``attendance``), written leave
(``leave``), check-in (``checkins``); what they share (``common``). One transaction per
use case, audited. Reads are in ``meetings.selectors``."""

from .attendance import (
    PlannedDeduction,
    attendance_take,
    meeting_close,
    meeting_close_plan,
    meeting_reopen,
)
from .checkins import checkin_check, checkin_record
from .common import meeting_link
from .leave import leave_decide, leave_request, leave_withdraw
from .meetings import (
    TIMING_FIELDS,
    meeting_change,
    meeting_minutes_record,
    meeting_rule_set,
    meeting_schedule,
)

__all__ = [
    "PlannedDeduction",
    "TIMING_FIELDS",
    "attendance_take",
    "checkin_check",
    "checkin_record",
    "leave_decide",
    "leave_request",
    "leave_withdraw",
    "meeting_change",
    "meeting_close",
    "meeting_close_plan",
    "meeting_link",
    "meeting_minutes_record",
    "meeting_reopen",
    "meeting_rule_set",
    "meeting_schedule",
]
