"""Writes of the member archive (党员台账). Each use case is one transaction that writes
its rows, a ``MemberChange`` per changed field and one audit row.

By concept: ``profile`` (basic information), ``statuses`` (transfers, lost contact,
investigation, exemptions) and ``roster`` (the roster spreadsheet), on what ``base``
shares. Import from the package: ``from kaoping.archive.services import ...``.
"""

from django.core.exceptions import ValidationError

from .base import DATE_FIELDS, ID_NUMBER, PHONE
from .profile import member_profile_update, profile_clean
from .roster import (
    GENDER_BY_LABEL,
    MAX_ROSTER_ROWS,
    MEMBERSHIP_BY_LABEL,
    ROSTER_COLUMNS,
    ROSTER_HEADER,
    ROSTER_SHEET_COLUMNS,
    CheckedRosterRow,
    roster_import,
    roster_import_check,
    roster_sheet_read,
)
from .statuses import (
    exemption_add,
    exemption_remove,
    member_found,
    member_investigation_decide,
    member_investigation_start,
    member_lost_contact_mark,
    member_transfer,
)

__all__ = [
    "DATE_FIELDS",
    "GENDER_BY_LABEL",
    "ID_NUMBER",
    "MAX_ROSTER_ROWS",
    "MEMBERSHIP_BY_LABEL",
    "PHONE",
    "ROSTER_COLUMNS",
    "ROSTER_HEADER",
    "ROSTER_SHEET_COLUMNS",
    "CheckedRosterRow",
    "ValidationError",
    "exemption_add",
    "exemption_remove",
    "member_found",
    "member_investigation_decide",
    "member_investigation_start",
    "member_lost_contact_mark",
    "member_profile_update",
    "member_transfer",
    "profile_clean",
    "roster_import",
    "roster_import_check",
    "roster_sheet_read",
]
