"""Writes of the year's scheme: creation from the template or last year, settings, items."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.decimals import decimal_text
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import scope_for

from .models import (
    BALLOT_OPTION_NAMES,
    ITEM_FIELDS,
    SETTING_FIELDS,
    BranchYearClosing,
    ItemExemption,
    Scheme,
    SchemeItem,
    SchemeSettings,
)
from .template import DEFAULT_ITEMS


def _require_admin(actor: Actor) -> None:
    if actor is not None and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以修改考评方案。"))


def settings_of(scheme: SchemeSettings) -> dict:
    """The settings of a scheme or of a draft (both ``SchemeSettings``), as the audit rows
    keep them: decimals as exact text."""
    return {f: _plain(getattr(scheme, f)) for f in SETTING_FIELDS}


def _item_of(item: SchemeItem) -> dict:
    return {f: _plain(getattr(item, f)) for f in ITEM_FIELDS}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dict):  # ballot options: compare values, not their spelling
        return {k: decimal_text(Decimal(str(v))) for k, v in value.items()}
    return value


def _clean_ballot_options(options: dict) -> dict[str, str]:
    unknown = set(options) - set(BALLOT_OPTION_NAMES)
    if unknown:
        raise ValidationError(
            {
                "ballot_options": _("未知的测评选项：%(options)s。")
                % {"options": "、".join(sorted(unknown))}
            }
        )
    try:
        return {k: str(Decimal(str(v))) for k, v in options.items()}
    except InvalidOperation as exc:
        raise ValidationError({"ballot_options": _("每个测评选项的分值都必须是数字。")}) from exc


@transaction.atomic
def scheme_create(
    *, actor: Actor, year: int, copy_from: Scheme | None = None, with_template_items: bool = True
) -> Scheme:
    """Create the year's scheme: a copy of ``copy_from`` (normally last year's) or the template."""
    _require_admin(actor)
    if Scheme.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s 年度的考评方案已经存在。") % {"year": year}})
    scheme = Scheme(year=year)
    if copy_from is not None:
        for f in SETTING_FIELDS:
            setattr(scheme, f, getattr(copy_from, f))
    scheme.full_clean()
    scheme.save()
    if copy_from is not None:
        sources = [_item_of(i) | {"code": i.code} for i in copy_from.items.all()]
    else:
        sources = DEFAULT_ITEMS if with_template_items else []
    SchemeItem.objects.bulk_create(
        SchemeItem(
            scheme=scheme,
            code=row["code"],
            kind=row["kind"],
            group=row.get("group", ""),
            name=row["name"],
            points=Decimal(str(row["points"])),
            disqualifies=row.get("disqualifies", False),
            categories=row.get("categories", []),
        )
        for row in sources
    )
    audit_record(
        actor=actor,
        action="scheme.create",
        target=scheme,
        after=settings_of(scheme) | {"copied_from": copy_from.year if copy_from else "template"},
    )
    return scheme


@transaction.atomic
def scheme_update(*, actor: Actor, scheme: Scheme, **changes: Any) -> Scheme:
    """Change settings of the year's scheme; each change is kept in the audit history."""
    _require_admin(actor)
    unknown = set(changes) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationError(
            _("未知的方案设置：%(settings)s。") % {"settings": "、".join(sorted(unknown))}
        )
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.is_final:
        raise ValidationError(
            _("%(year)s 年度结果已定格，考评方案不能再修改。") % {"year": scheme.year}
        )
    before = settings_of(scheme)
    if "ballot_options" in changes:
        changes["ballot_options"] = _clean_ballot_options(changes["ballot_options"])
    for field, value in changes.items():
        setattr(scheme, field, value)
    scheme.full_clean()
    scheme.save()
    after = settings_of(scheme)
    if before != after:
        audit_record(actor=actor, action="scheme.update", target=scheme, before=before, after=after)
    return scheme


@transaction.atomic
def scheme_item_upsert(
    *,
    actor: Actor,
    scheme: Scheme,
    code: str,
    kind: str,
    name: str,
    points: Decimal,
    group: str = "",
    disqualifies: bool = False,
    categories: list[str] | None = None,
) -> SchemeItem:
    """Add an item or change one. Entries keep the points they were recorded with, so a
    changed value applies only to later entries (rules.md §2)."""
    _require_admin(actor)
    if scheme.is_final:
        raise ValidationError(
            _("%(year)s 年度结果已定格，考评方案不能再修改。") % {"year": scheme.year}
        )
    item = SchemeItem.objects.select_for_update().filter(scheme=scheme, code=code).first()
    before = _item_of(item) if item else None
    if item is None:
        item = SchemeItem(scheme=scheme, code=code)
    elif item.kind != kind and item.entries.exists():
        raise ValidationError(
            {"kind": _("指标 %(item)s 已有评分记录，不能再改变其类别。") % {"item": code}}
        )
    item.kind, item.name, item.group = kind, name, group
    item.points, item.disqualifies, item.categories = (
        Decimal(str(points)),
        disqualifies,
        categories or [],
    )
    item.full_clean(validate_unique=False)
    item.save()
    after = _item_of(item)
    if before != after:
        audit_record(
            actor=actor, action="scheme_item.upsert", target=item, before=before, after=after
        )
    return item


@transaction.atomic
def scheme_item_add(*, actor: Actor, scheme: Scheme, code: str, **fields: Any) -> SchemeItem:
    """Add an item (新增指标) to the year's scheme; its code must be new in that scheme."""
    _require_admin(actor)
    if SchemeItem.objects.filter(scheme=scheme, code=code).exists():
        raise ValidationError({"code": _("指标代码 %(code)s 已存在。") % {"code": code}})
    return scheme_item_upsert(actor=actor, scheme=scheme, code=code, **fields)


@transaction.atomic
def exemption_set(
    *,
    actor: Actor,
    member: Member,
    item_code: str,
    reason: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> ItemExemption:
    """Exempt a member from an item (e.g. a retired member's health, 身体原因), for the
    period from ``starts_on`` to ``ends_on`` (both included; None = unbounded). The reason
    is required. The one writer of exemptions, with ``exemptions_import`` for bundles."""
    _require_manage_member(actor, member)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写免于考评的理由。")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("免予考评的结束日期不能早于开始日期。")})
    exemption, _created = ItemExemption.objects.update_or_create(
        member=member,
        item_code=item_code,
        defaults={"reason": reason, "starts_on": starts_on, "ends_on": ends_on},
    )
    audit_record(
        actor=actor,
        action="exemption.set",
        target=member,
        after={
            "item": item_code,
            "reason": reason,
            "starts_on": starts_on.isoformat() if starts_on else None,
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return exemption


def exemptions_import(*, actor: Actor, member: Member, wanted: dict[str, str]) -> bool:
    """Make a member's exemptions those of a bundle (item code -> reason), undated; runs in
    the import's transaction. A bundle's reason may be empty (decision 26: the contract
    makes it optional, a bundle carries another system's records as they are). True when
    anything changed."""
    _require_manage_member(actor, member)
    current = dict(ItemExemption.objects.filter(member=member).values_list("item_code", "reason"))
    if wanted == current:
        return False
    ItemExemption.objects.filter(member=member).exclude(item_code__in=wanted).delete()
    for code, reason in wanted.items():
        ItemExemption.objects.update_or_create(
            member=member, item_code=code, defaults={"reason": reason}
        )
    audit_record(
        actor=actor, action="exemptions.import", target=member, before=current, after=wanted
    )
    return True


def deduction_rule_check(*, actor: Actor, scheme: Scheme, item_code: str) -> None:
    """Before a workflow's rule (a scheme setting: which item a missed meeting or task
    deducts) is set: only a committee admin sets it, to a deduction item of that scheme."""
    _require_admin(actor)
    if not scheme.items.filter(code=item_code, kind="deduction").exists():
        raise ValidationError(
            {"item_code": _("方案中没有扣分指标 %(code)s。") % {"code": item_code}}
        )


def _require_manage_member(actor: Actor, member: Member) -> None:
    if actor is not None and not scope_for(actor).manages(member.branch.path):
        raise PermissionDenied(_("您无权管理党员 %(member)s。") % {"member": member.code})


@transaction.atomic
def branch_year_finalise(
    *, actor: Actor, scheme: Scheme, branch: Organization
) -> BranchYearClosing:
    """Freeze a branch's year: later entries, reversals and tallies are refused.
    The caller (the evaluation's finalisation) checks that nothing is left open."""
    if actor is not None and not scope_for(actor).manages(branch.path):
        raise PermissionDenied(_("您无权定格 %(branch)s 的结果。") % {"branch": branch.name})
    closing, created = BranchYearClosing.objects.get_or_create(
        scheme=scheme,
        branch=branch,
        defaults={
            "finalised_at": timezone.now(),
            "finalised_by": user_or_none(actor),
        },
    )
    if not created:
        raise ValidationError(
            _("%(branch)s 的 %(year)s 年度结果已经定格。")
            % {"branch": branch.name, "year": scheme.year}
        )
    audit_record(
        actor=actor, action="branch_year.finalise", target=branch, after={"year": scheme.year}
    )
    return closing


@transaction.atomic
def branch_year_reopen(*, actor: Actor, scheme: Scheme, branch: Organization, reason: str) -> None:
    """Reopen a finalised branch year: committee admins only, with a recorded reason."""
    _require_admin(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("重新开放已定格的年度须填写原因。")})
    deleted, _count = BranchYearClosing.objects.filter(scheme=scheme, branch=branch).delete()
    if not deleted:
        raise ValidationError(
            _("%(branch)s 的 %(year)s 年度结果尚未定格。")
            % {"branch": branch.name, "year": scheme.year}
        )

    audit_record(
        actor=actor,
        action="branch_year.reopen",
        target=branch,
        after={"year": scheme.year},
        note=reason,
    )
