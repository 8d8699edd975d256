"""The branch's excellent places (优秀名额) as the scoring engine fills them."""

from dataclasses import dataclass

from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import Scheme


@dataclass
class QuotaStanding:
    """A branch's excellent places as the scoring engine fills them (rules.md §7)."""

    places: int
    holders: list[Member]  # excellent, or decided to take a tied place
    pending: list[Member]  # tied at the last place, still undecided
    over_filled: bool  # more tied members decided to take a place than are left


def quota_standing(
    *, year: int, branch: Organization, decide: tuple[Member, bool] | None = None
) -> QuotaStanding:
    """The branch's places, who holds them and who waits, computed by the scoring engine
    (``quota_places``, ``compute_year``) on the branch's live input, with ``decide`` (a
    decision not yet recorded) added, so a decision is judged before it is written."""
    # The arithmetic of the quota is the engine's alone; imported here, not copied.
    from dataclasses import replace

    from kaoping.scoring.engine import (
        FLAG_QUOTA_DECISION_INVALID,
        FLAG_QUOTA_TIE,
        Grade,
        compute_year,
        quota_places,
    )
    from kaoping.scoring.selectors import year_input

    data = year_input(scheme=Scheme.objects.get(year=year), branches=[branch])
    decisions = dict(data.decisions)
    if decide is not None:
        decisions[decide[0].code] = decide[1]
    results = compute_year(replace(data, decisions=decisions))
    by_code = {m.code: m for m in Member.objects.filter(branch=branch)}
    holders = [
        r.member
        for r in results
        if r.grade == Grade.EXCELLENT
        or (FLAG_QUOTA_TIE in r.flags and data.decisions.get(r.member) is True)
    ]
    pending = [
        r.member for r in results if FLAG_QUOTA_TIE in r.flags and decisions.get(r.member) is None
    ]
    return QuotaStanding(
        places=quota_places(data.rules, len(results)),
        holders=[by_code[code] for code in holders if code in by_code],
        pending=[by_code[code] for code in pending if code in by_code],
        over_filled=any(FLAG_QUOTA_DECISION_INVALID in r.flags for r in results),
    )
