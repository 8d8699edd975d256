"""Writes of the unqualified procedure (rules.md §10): propose, pre-review, resubmit, vote,
approve, record the handling; dismiss or propose a raised candidate. Each is one
transaction with its audit row; the case row is locked so two bodies acting at once are
serialised, and the step order is checked here and nowhere else.

By concept: ``cases`` (proposal to approval), ``vote`` (the general meeting),
``handling`` (after a determination, and the raised candidates) and ``year_settings``,
on what ``base`` shares. Import from the package: ``from kaoping.unqualified.services
import ...``.
"""

from .base import MAX_FILES, case_link
from .cases import case_approve, case_pre_review, case_propose, case_resubmit
from .handling import candidate_dismiss, candidate_propose, case_handling_record
from .vote import case_vote_record, vote_outcome
from .year_settings import settings_set

__all__ = [
    "MAX_FILES",
    "candidate_dismiss",
    "candidate_propose",
    "case_approve",
    "case_handling_record",
    "case_link",
    "case_pre_review",
    "case_propose",
    "case_resubmit",
    "case_vote_record",
    "settings_set",
    "vote_outcome",
]
