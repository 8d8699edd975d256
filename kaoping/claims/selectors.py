"""Reads of bonus claims and the member's remaining bonus cap."""

from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.kit.decimals import points_text
from kaoping.ledger.models import ScoreEntry
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import Scheme, SchemeItem

from .models import BonusClaim


def bonus_counted(*, member: Member, year: int) -> Decimal:
    """The member's bonus points of the year: non-reversed bonus entries (one query)."""
    total = ScoreEntry.objects.filter(
        member=member,
        year=year,
        item__kind=SchemeItem.Kind.BONUS,
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).aggregate(s=Sum("points"))["s"]
    return total or Decimal(0)


def bonus_remaining(*, member: Member, scheme: Scheme) -> Decimal:
    """How much of the yearly cap (rules.md §2) is still open to this member."""
    return max(Decimal(0), scheme.bonus_cap - bonus_counted(member=member, year=scheme.year))


def bonus_items(*, scheme: Scheme, member: Member) -> QuerySet[SchemeItem]:
    qs = SchemeItem.objects.filter(scheme=scheme, kind=SchemeItem.Kind.BONUS).order_by("code")
    ids = [i.pk for i in qs if i.applies_to(member.branch.category)]
    return qs.filter(pk__in=ids)


def _visible(actor: Actor, member: Member) -> bool:
    scope = scope_for(actor)
    return scope.reads(member.branch.path) or scope.member_id == member.id


def claims_of_member(*, actor: Actor, member: Member) -> list[BonusClaim]:
    if not _visible(actor, member):
        return []
    return list(member.bonus_claims.select_related("item", "entry", "decided_by"))


def claims_of_branch(*, actor: Actor, branch: Organization) -> QuerySet[BonusClaim]:
    if not scope_for(actor).reads(branch.path):
        raise Http404(_("找不到这个党支部。"))
    return BonusClaim.objects.filter(member__branch=branch).select_related(
        "member", "item", "entry"
    )


def claim_access_by_code(*, actor: Actor, code: str) -> BonusClaim:
    claim = (
        BonusClaim.objects.select_related("member__branch", "item__scheme", "entry")
        .filter(code=code)
        .first()
    )
    if claim is None or not _visible(actor, claim.member):
        raise Http404(_("找不到加分申报 %(code)s。") % {"code": code})
    return claim


def claim_decision_consequences(*, claim: BonusClaim, decision: str, reason: str) -> list[str]:
    """What deciding ``claim`` will do, for its confirmation step (nothing is done)."""
    member, item = claim.member, claim.item
    if decision == "approve":
        lines = [
            _("为 %(name)s 记录加分：%(item)s（%(code)s）%(points)s 分，日期 %(date)s。")
            % {
                "name": member.name,
                "item": item.name,
                "code": item.code,
                "points": points_text(item.points, item.kind),
                "date": f"{claim.date:%Y-%m-%d}",
            }
        ]
    else:
        lines = [
            _("%(name)s 申报的“%(item)s”将标记为未通过，理由：%(reason)s")
            % {"name": member.name, "item": item.name, "reason": reason.strip()}
        ]
    lines.append(_("审核结果将通知 %(name)s；审核后不能更改。") % {"name": member.name})
    return lines
