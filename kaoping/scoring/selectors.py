"""Reads for scoring: the engine's input, built with a fixed number of set-based queries
(never one per member), and results as the actor may see them."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from kaoping.decimals import decimal_text
from kaoping.evaluation.models import QuotaDecision, VoteTally
from kaoping.ledger.models import ScoreEntry
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import members_visible
from kaoping.schemes.models import ItemExemption, Scheme, SchemeItem

from .engine import (
    EntryInput,
    ItemRule,
    MemberInput,
    MemberResult,
    SchemeRules,
    YearInput,
    compute_year,
)
from .models import GradeRecord
from .models import MemberResult as StoredResult

RULE_FIELDS = (
    "base_points",
    "bonus_cap",
    "democratic_share",
    "excellent_threshold",
    "qualified_threshold",
    "basic_threshold",
    "excellent_quota",
    "quota_rounding",
)


def rules_from(settings) -> SchemeRules:
    """The engine's rules from anything holding the scheme's settings as attributes (a
    ``Scheme`` or a planning draft), so both are read by one code path."""
    return SchemeRules(
        **{f: getattr(settings, f) for f in RULE_FIELDS},
        ballot_options={k: Decimal(str(v)) for k, v in settings.ballot_options.items()},
    )


def rules_for(scheme: Scheme) -> SchemeRules:
    """The scheme's settings as the engine's rules."""
    return rules_from(scheme)


def year_input(*, scheme: Scheme, branches: Iterable[Organization] | None = None) -> YearInput:
    """Everything the engine needs for ``scheme.year``, for all branches or only some."""
    year = scheme.year
    members_qs = Member.objects.all()
    if branches is not None:
        members_qs = members_qs.filter(branch__in=list(branches))
    member_rows = list(
        members_qs.values_list("id", "code", "branch__code", "status", "branch__category")
    )
    ids = [row[0] for row in member_rows]

    def scoped(qs: QuerySet, field: str = "member_id") -> QuerySet:
        return qs if branches is None else qs.filter(**{f"{field}__in": ids})

    exemptions: dict[str, set[str]] = defaultdict(set)
    for code, item in scoped(ItemExemption.objects.all()).values_list("member__code", "item_code"):
        exemptions[code].add(item)
    members = [
        MemberInput(
            id=code,
            branch=branch,
            status=status,
            category=category,
            exemptions=frozenset(exemptions.get(code, ())),
        )
        for _, code, branch, status, category in member_rows
    ]
    items = {
        code: ItemRule(
            code=code, kind=kind, disqualifies=dq, categories=frozenset(cats) if cats else None
        )
        for code, kind, dq, cats in SchemeItem.objects.filter(scheme=scheme).values_list(
            "code", "kind", "disqualifies", "categories"
        )
    }
    entries = [
        EntryInput(id=code, member=member, item=item, points=points, reverses=reverses)
        for code, member, item, points, reverses in scoped(
            ScoreEntry.objects.filter(year=year)
        ).values_list("code", "member__code", "item__code", "points", "reverses__code")
    ]
    tallies: dict[str, dict[str, int]] = defaultdict(dict)
    for code, option, count in scoped(VoteTally.objects.filter(year=year)).values_list(
        "member__code", "option", "count"
    ):
        tallies[code][option] = count
    decisions = dict(
        scoped(QuotaDecision.objects.filter(year=year)).values_list("member__code", "excellent")
    )
    previous = dict(
        scoped(GradeRecord.objects.filter(year=year - 1)).values_list("member__code", "grade")
    )
    return YearInput(
        rules=rules_for(scheme),
        items=items,
        members=members,
        entries=entries,
        tallies=dict(tallies),
        decisions=decisions,
        previous_grades=previous,
    )


def branch_results(*, scheme: Scheme, branch: Organization) -> list[MemberResult]:
    """Live results of one branch (ranks and the quota are per branch, so this is exact)."""
    return compute_year(year_input(scheme=scheme, branches=[branch]))


def member_live_result(*, scheme: Scheme, member: Member) -> MemberResult | None:
    for result in branch_results(scheme=scheme, branch=member.branch):
        if result.member == member.code:
            return result
    return None


def stored_results(*, actor, year: int) -> QuerySet[StoredResult]:
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
