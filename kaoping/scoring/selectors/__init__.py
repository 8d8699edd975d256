"""Reads for scoring: the engine's input, built with a fixed number of set-based queries
(never one per member), and results as the actor may see them.

By concept: ``counted`` (which ledger entries count, as SQL), ``year`` (the engine's input
of a year, streamed in batches) and here the live results (cached by results stamp) and
the stored ones. Import from the package: ``from kaoping.scoring.selectors import ...``.
"""

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from kaoping.annotations import Actor
from kaoping.kit.decimals import decimal_text
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import members_visible
from kaoping.schemes.models import Scheme

from .. import stamped_cache
from ..engine import MemberResult, compute_year
from ..models import MemberResult as StoredResult
from ..models import ResultsStamp
from .counted import SUM_BONUS, SUM_DEDUCTIONS, counted_occurrences
from .year import (
    BATCH_MEMBERS,
    RULE_FIELDS,
    rules_from,
    year_batch_count,
    year_input,
    year_input_batches,
)

__all__ = [
    "BATCH_MEMBERS",
    "CACHE_WRITE_BRANCHES",
    "LiveResults",
    "RULE_FIELDS",
    "SUM_BONUS",
    "SUM_DEDUCTIONS",
    "counted_occurrences",
    "live_result_of_member",
    "live_results",
    "live_results_by_branch",
    "live_results_of_branch",
    "results_cache_usable",
    "results_document",
    "results_stamps",
    "rules_from",
    "stored_results",
    "year_batch_count",
    "year_input",
    "year_input_batches",
]


# --------------------------------------------------------------------------- live results
# A branch's live results are cached under its results stamp (``ResultsStamp``, kept by
# database triggers): any change to what they depend on gives the branch a new stamp and
# so a new key. The stamp is read before the results are computed, so what is stored
# under a stamp is never older than the stamp (a change committed in between only makes
# it newer). Inside a transaction the cache is neither read nor written: the stamp there
# may be the transaction's own, uncommitted and perhaps rolled back.


# A page of many branches (the committee's overview) reads the cache but does not fill
# it: a cache write costs a few queries (the database backend counts its entries), and
# such a page is computed in one engine run anyway.
CACHE_WRITE_BRANCHES = 25


@dataclass(frozen=True)
class LiveResults:
    """One branch's live results (by rank) with the tallies and quota decisions they
    were computed from, by member code."""

    results: list[MemberResult]
    tallies: dict[str, Mapping[str, int]]
    decisions: dict[str, bool]


results_cache_usable = stamped_cache.usable


def results_stamps(*, branch_ids: Iterable[int]) -> dict[int, str]:
    """branch id -> its stamp and the schemes' stamp, in one primary-key lookup."""
    ids = list(branch_ids)
    tokens = dict(
        ResultsStamp.objects.filter(key__in=[ResultsStamp.GLOBAL, *ids]).values_list("key", "token")
    )
    schemes = tokens.get(ResultsStamp.GLOBAL, "-")
    return {b: f"{schemes}.{tokens.get(b, '-')}" for b in ids}


def _live_key(scheme: Scheme, branch_id: int, stamp: str) -> str:
    return f"kp:live:{scheme.pk}:{scheme.year}:{branch_id}:{stamp}"


def _computed(scheme: Scheme, branches: list[Organization]) -> dict[int, LiveResults]:
    """Live results of some branches, from one set of queries and one engine run. The
    scheme's rules are read again here, after the stamps: a caller's older copy of the
    scheme must not be cached under a newer stamp."""
    scheme = Scheme.objects.get(pk=scheme.pk)
    parts = year_input_batches(
        scheme=scheme, branch_ids=[b.pk for b in branches], batch_members=sys.maxsize
    )
    data, ids = next(parts, (None, {}))
    live = {b.pk: LiveResults(results=[], tallies={}, decisions={}) for b in branches}
    if data is None:
        return live
    branch_of = {code: branch_id for code, (_, branch_id) in ids.items()}
    for r in compute_year(data):
        live[branch_of[r.member]].results.append(r)
    for code, tally in data.tallies.items():
        live[branch_of[code]].tallies[code] = tally
    for code, excellent in data.decisions.items():
        live[branch_of[code]].decisions[code] = excellent
    return live


def live_results_by_branch(
    *, scheme: Scheme, branches: Iterable[Organization], stamps: dict[int, str] | None = None
) -> dict[int, LiveResults]:
    """branch id -> its live results, from the cache where the stamps match, the others
    computed together in one engine run and cached. ``stamps`` (from ``results_stamps``)
    when the caller has read them already."""
    branches = list(branches)
    if not results_cache_usable():
        return _computed(scheme, branches)
    if stamps is None:
        stamps = results_stamps(branch_ids=[b.pk for b in branches])
    keys = {b.pk: _live_key(scheme, b.pk, stamps[b.pk]) for b in branches}
    found = stamped_cache.get_many(keys.values())
    live = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [b for b in branches if b.pk not in live]
    if missing:
        computed = _computed(scheme, missing)
        if len(missing) <= CACHE_WRITE_BRANCHES:
            stamped_cache.set_many({keys[pk]: value for pk, value in computed.items()})
        live |= computed
    return live


def live_results_of_branch(
    *, scheme: Scheme, branch: Organization, stamp: str | None = None
) -> LiveResults:
    """One branch's live results (ranks and the quota are per branch, so this is exact)."""
    stamps = None if stamp is None else {branch.pk: stamp}
    return live_results_by_branch(scheme=scheme, branches=[branch], stamps=stamps)[branch.pk]


def live_results(*, scheme: Scheme, branches: Iterable[Organization]) -> list[MemberResult]:
    """Live results of the branches in the engine's order (by branch code, then rank):
    the same list as ``compute_year(year_input(...))`` over them."""
    branches = sorted(branches, key=lambda b: b.code)
    live = live_results_by_branch(scheme=scheme, branches=branches)
    return [r for b in branches for r in live[b.pk].results]


def live_result_of_member(*, scheme: Scheme, member: Member) -> MemberResult | None:
    """The member's live result (computed with their whole branch)."""
    for result in live_results(scheme=scheme, branches=[member.branch]):
        if result.member == member.code:
            return result
    return None


def stored_results(*, actor: Actor, year: int) -> QuerySet[StoredResult]:
    """Stored results of ``year`` that ``actor`` may see."""
    visible = members_visible(actor=actor).values("id")
    return (
        StoredResult.objects.filter(year=year, member__in=visible)
        .select_related("member", "branch")
        .order_by("branch__code", "rank", "member__code")
    )


def results_document(*, year: int) -> dict:
    """The results document of bundle.md, from the stored results (all members)."""
    rows = (
        StoredResult.objects.filter(year=year)
        .select_related("member", "branch")
        .order_by("branch__code", "member__code")
    )
    members = [
        {
            "member": r.member.code,
            "branch": r.branch.code,
            "deductions": decimal_text(r.deductions),
            "bonus": decimal_text(r.bonus),
            "daily": decimal_text(r.daily),
            "democratic_pct": decimal_text(r.democratic_pct),
            "democratic": decimal_text(r.democratic),
            "composite": decimal_text(r.composite),
            "rank": r.rank,
            "grade": r.grade,
            "flags": list(r.flags),
        }
        for r in rows
    ]
    members.sort(key=lambda m: (m["branch"], m["rank"] is None, m["rank"] or 0, m["member"]))
    return {"format": "kaoping.results/1", "year": year, "members": members}
