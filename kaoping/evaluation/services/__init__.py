"""Writes of the democratic evaluation (四评一定), one module a concern: the tallies the
scoring engine reads (``tallies``), quota-tie decisions (``quota``), the round and its
steps (``rounds``), the secret ballot (``ballots``), paper codes and paper counts
(``paper``); the checks they share (``checks``). Reads are in ``evaluation.selectors``."""

from .ballots import ballot_cast, ballot_cast_with_code, vote_close, vote_publish
from .paper import (
    OPTION_HEADERS,
    paper_codes_issue,
    paper_sheet_check,
    paper_sheet_columns,
    paper_sheet_import,
    paper_tally_enter,
)
from .quota import quota_decision_record, quota_decisions_import
from .rounds import (
    peer_comment_save,
    round_advance,
    round_open,
    secretary_comment_save,
    self_evaluation_save,
)
from .tallies import tallies_import, tally_direct_refusal, tally_set

# The round's irreversible steps by name (the page's "do/<action>/", the API's actions):
# the next step, closing the vote, publishing its totals.
ROUND_ACTIONS = {"advance": round_advance, "close": vote_close, "publish": vote_publish}

__all__ = [
    "OPTION_HEADERS",
    "ROUND_ACTIONS",
    "ballot_cast",
    "ballot_cast_with_code",
    "paper_codes_issue",
    "paper_sheet_check",
    "paper_sheet_columns",
    "paper_sheet_import",
    "paper_tally_enter",
    "peer_comment_save",
    "quota_decision_record",
    "quota_decisions_import",
    "round_advance",
    "round_open",
    "secretary_comment_save",
    "self_evaluation_save",
    "tallies_import",
    "tally_direct_refusal",
    "tally_set",
    "vote_close",
    "vote_publish",
]
