"""Reads of the democratic evaluation, scoped by the actor, one module a concern: the
round and who has done what (``rounds``), the secret ballot's turnout, totals and receipts
(``ballot``), the excellent quota (``quota``), and what an irreversible step will do
(``consequences``). Nothing here ever returns which voter cast which ballot: turnout and
totals are separate reads. No module here imports a service."""

from .ballot import (
    RECEIPT_MIN,
    code_hash,
    has_voted,
    paper_code_round,
    paper_tally_status,
    receipt_check,
    receipt_normal,
    turnout,
    turnout_share,
    vote_totals,
    vote_turnout_check,
    vote_turnout_refusal,
)
from .consequences import (
    ROUND_ACTION_CONSEQUENCES,
    Consequences,
    advance_consequences,
    close_consequences,
    publish_consequences,
)
from .quota import QuotaStanding, quota_standing
from .rounds import (
    CommentBasis,
    MemberTasks,
    ProgressRow,
    comment_basis,
    comment_subject,
    member_tasks,
    own_round,
    peer_comments_by,
    round_candidates,
    round_for_staff,
    round_member_by_code,
    round_members_by_codes,
    round_of,
    round_progress,
    round_steps,
    round_years,
)

__all__ = [
    "CommentBasis",
    "Consequences",
    "MemberTasks",
    "ProgressRow",
    "QuotaStanding",
    "RECEIPT_MIN",
    "ROUND_ACTION_CONSEQUENCES",
    "advance_consequences",
    "close_consequences",
    "code_hash",
    "comment_basis",
    "comment_subject",
    "has_voted",
    "member_tasks",
    "own_round",
    "paper_code_round",
    "paper_tally_status",
    "peer_comments_by",
    "publish_consequences",
    "quota_standing",
    "receipt_check",
    "receipt_normal",
    "round_candidates",
    "round_for_staff",
    "round_member_by_code",
    "round_members_by_codes",
    "round_of",
    "round_progress",
    "round_steps",
    "round_years",
    "turnout",
    "turnout_share",
    "vote_totals",
    "vote_turnout_check",
    "vote_turnout_refusal",
]
