"""The secret ballot's reads: turnout and the minimum it must reach, the totals once
published, the paper tallies, receipts and one-time codes. Nothing here returns which voter
cast which ballot."""

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.kit.decimals import percent_text
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import Scheme

from ..models import CountedReceipt, EvaluationRound, PaperCode, SealedBallot, VoteRight, VoteTally

VoteState = EvaluationRound.VoteState


def has_voted(*, member: Member, round_: EvaluationRound) -> bool:
    """Whether the member's right in the round is used (never which ballot is theirs)."""
    return VoteRight.objects.filter(round=round_, member=member, used=True).exists()


def turnout_share(used: int, voters: int) -> Decimal:
    """The share of voters who voted, to the setting's precision (4 places, half up):
    two thirds is 0.6667, so 2 of 3 reaches a minimum of 0.6667."""
    if voters == 0:
        return Decimal(0)
    return (Decimal(used) / Decimal(voters)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def vote_turnout_refusal(round_: EvaluationRound) -> str | None:
    """Why the online vote cannot be closed as valid yet (None: it can): fewer voters took
    part than the scheme's minimum turnout (``Scheme.vote_min_turnout``)."""
    minimum = Scheme.objects.get(year=round_.year).vote_min_turnout
    rights = VoteRight.objects.filter(round=round_)
    voters = rights.count()
    used = rights.filter(used=True).count()
    if turnout_share(used, voters) >= minimum:
        return None
    return _(
        "投票率为 %(used)s/%(voters)s（%(share)s），低于 %(year)s 年度方案规定的最低投票率"
        " %(minimum)s，不能作为有效测评截止投票。请组织尚未投票的党员投票（可在会场发放投票码）。"
    ) % {
        "used": used,
        "voters": voters,
        "share": percent_text(turnout_share(used, voters)),
        "year": round_.year,
        "minimum": percent_text(minimum),
    }


def vote_turnout_check(round_: EvaluationRound) -> None:
    """``vote_turnout_refusal`` as the ValidationError a write raises."""
    refusal = vote_turnout_refusal(round_)
    if refusal is not None:
        raise ValidationError(refusal)


def code_hash(code: str) -> str:
    """The stored form of a one-time code (receipt or paper code): only its hash."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"kaoping-code:{normal}".encode()).hexdigest()


def paper_code_round(code: str) -> EvaluationRound | None:
    """The round of an unused paper code (so the ballot page can be shown), or None."""
    row = PaperCode.objects.filter(code_hash=code_hash(code), used=False).first()
    return row.round if row is not None else None


def turnout(*, round_: EvaluationRound) -> dict[str, int]:
    """Who may vote and how many did (published apart from the ballots), and how many
    ballots are in the box (sealed, or the receipts the count covered)."""
    rights = VoteRight.objects.filter(round=round_)
    sealed = SealedBallot.objects.filter(round=round_).count()
    return {
        "voters": rights.count(),
        "used": rights.filter(used=True).count(),
        "ballots": sealed or CountedReceipt.objects.filter(round=round_).count(),
    }


def vote_totals(*, actor: Actor, round_: EvaluationRound) -> dict[str, dict[str, int]] | None:
    """Totals per member, only once the secretary has published them (from VoteTally)."""
    if round_.vote_state != VoteState.PUBLISHED:
        return None
    scope = scope_for(actor)
    qs = VoteTally.objects.filter(year=round_.year, member__branch=round_.branch)
    if not scope.reads(round_.branch.path):
        qs = qs.filter(member_id=scope.member_id) if scope.member_id is not None else qs.none()
    totals: dict[str, dict[str, int]] = {}
    for code, option, count in qs.values_list("member__code", "option", "count"):
        totals.setdefault(code, {})[option] = count
    return totals


def paper_tally_status(round_: EvaluationRound) -> tuple[str, list[str]]:
    """'waiting' (fewer than two entries), 'match' or 'mismatch' with the differing members."""
    entries = list(round_.paper.order_by("entered_at"))
    if len(entries) < 2:
        return "waiting", []
    first = entries[0].counts
    differing = sorted(
        {
            code
            for entry in entries[1:]
            for code in set(first) | set(entry.counts)
            if first.get(code) != entry.counts.get(code)
        }
    )
    return ("mismatch", differing) if differing else ("match", [])


RECEIPT_MIN = 16


def receipt_normal(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch in "0123456789abcdef")[:64]


def receipt_check(*, code: str) -> dict[str, object] | None:
    """Whether a receipt (the ballot's hash, or its first 16 characters or more) is in a
    ballot box, and whether the count covered it. None: not found."""
    normal = receipt_normal(code)
    if len(normal) < RECEIPT_MIN:
        return None
    sealed = list(
        SealedBallot.objects.filter(receipt__startswith=normal).select_related("round__branch")[:2]
    )
    if len(sealed) == 1:
        return _receipt_found(sealed[0].round, sealed[0].receipt, counted=False)
    covered = list(
        CountedReceipt.objects.filter(receipt__startswith=normal).select_related("round__branch")[
            :2
        ]
    )
    if len(covered) == 1:
        return _receipt_found(covered[0].round, covered[0].receipt, counted=True)
    return None


def _receipt_found(round_: EvaluationRound, receipt: str, *, counted: bool) -> dict[str, object]:
    return {
        "branch": round_.branch.name,
        "year": round_.year,
        "counted": counted,
        "receipt": receipt,
    }
