"""Reads for the web pages, built on the apps' selectors (which decide access).

Each function takes the ``actor`` where access matters and returns only what that
user may see; the ``*_access`` ones raise ``Http404`` for "missing or not yours".
"""

from collections import Counter, defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from kaoping.annotations import Actor
from kaoping.evaluation.models import QuotaDecision, VoteTally
from kaoping.orgs.models import DEPARTED_STATUSES, Member, Organization
from kaoping.orgs.selectors import (
    branches_visible,
    member_access_by_code,
    members_visible,
    organizations_visible,
    scope_for,
)
from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import items_applying, scheme_items, schemes_all
from kaoping.scoring.engine import MemberResult
from kaoping.scoring.selectors import live_results, live_results_of_branch


def member_for_page(*, actor: Actor, code: str) -> Member:
    return member_access_by_code(actor=actor, code=code)


def branch_members(*, actor: Actor, branch: Organization) -> list[Member]:
    return list(members_visible(actor=actor).filter(branch=branch).order_by("code"))


def branch_page_results(*, scheme: Scheme, branch: Organization, stamp: str | None = None) -> Any:
    """(results sorted by rank, tallies by member code, decisions by member code): the
    branch's live results (cached under its results stamp)."""
    live = live_results_of_branch(scheme=scheme, branch=branch, stamp=stamp)
    return live.results, live.tallies, live.decisions


def member_tallies(*, actor: Actor, member: Member, year: int) -> dict[str, int]:
    return dict(
        VoteTally.objects.filter(
            year=year, member=member, member__in=members_visible(actor=actor).values("id")
        ).values_list("option", "count")
    )


def member_decision(*, actor: Actor, member: Member, year: int) -> QuotaDecision | None:
    return QuotaDecision.objects.filter(
        year=year, member=member, member__in=members_visible(actor=actor).values("id")
    ).first()


def overview_rows(*, actor: Actor, scheme: Scheme | None) -> list[dict]:
    """Every visible branch with its member count and the grade distribution of the live
    results: one engine run for all of them."""
    branches = list(branches_visible(actor=actor).order_by("path"))
    counts = dict(
        members_visible(actor=actor)
        .filter(branch__in=branches)
        .exclude(status__in=DEPARTED_STATUSES)
        .order_by()
        .values("branch_id")
        .annotate(n=Count("id"))
        .values_list("branch_id", "n")
    )
    grades: dict[str, Counter] = defaultdict(Counter)
    if scheme is not None and branches:
        results: list[MemberResult] = live_results(scheme=scheme, branches=branches)
        for r in results:
            grades[r.branch][str(r.grade)] += 1
    return [
        {"branch": b, "members": counts.get(b.id, 0), "grades": grades[b.code]} for b in branches
    ]


def organizations_for_admin(*, actor: Actor) -> list[Organization]:
    return list(organizations_visible(actor=actor).select_related("parent").order_by("path"))


def parent_choices(*, actor: Actor) -> Any:
    return (
        organizations_visible(actor=actor).exclude(kind=Organization.Kind.BRANCH).order_by("path")
    )


def branch_members_assessed(*, actor: Actor, branch: Organization) -> QuerySet[Member]:
    """Members of the branch who can get entries (not transferred out, not deceased)."""
    return (
        members_visible(actor=actor)
        .filter(branch=branch)
        .exclude(status__in=DEPARTED_STATUSES)
        .order_by("code")
    )


def scheme_items_for_branch(*, scheme: Scheme, branch: Organization) -> QuerySet[Any]:
    """The scheme's items that apply to the branch's category (分类实施)."""
    return items_applying(scheme_items(scheme), {branch.category})


def schemes_list() -> list[Scheme]:
    return list(schemes_all().annotate(item_count=Count("items")))


# --------------------------------------------------------------------------- two-factor


def two_factor_allowed(actor: Actor) -> bool:
    """Staff roles (committee admins, the organisation department, secretaries,
    supervisors) may enrol a TOTP device; plain members have no use for one."""
    return scope_for(actor).is_staff_role


def two_factor_required(actor: Actor) -> bool:
    """``KAOPING_REQUIRE_2FA_FOR_STAFF``: every staff login must pass a token."""
    return settings.KAOPING_REQUIRE_2FA_FOR_STAFF and two_factor_allowed(actor)


def two_factor_device(actor: Actor) -> Any:
    """The user's confirmed TOTP device, or None."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=actor, confirmed=True).first()
