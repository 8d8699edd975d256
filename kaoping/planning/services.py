"""Writes of scheme drafts (科学谋划): create from a scheme, edit settings and item points,
adopt as the year's scheme. Each is one transaction with its audit row."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.decimals import decimal_text
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import Organization
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import BALLOT_OPTION_NAMES, BranchYearClosing, Scheme, SchemeItem
from kaoping.schemes.services import (
    ITEM_FIELDS,
    SETTING_FIELDS,
    scheme_create,
    scheme_item_upsert,
    scheme_update,
    settings_of,
)

from .models import SchemeDraft, SchemeDraftItem


def _item_fields(item: SchemeItem | SchemeDraftItem) -> dict[str, Any]:
    """What an item of a scheme and an item of a draft share (copied both ways)."""
    fields = {f: getattr(item, f) for f in ("code", *ITEM_FIELDS)}
    fields["categories"] = list(item.categories)
    return fields


def _require_may_edit(actor: Actor, draft: SchemeDraft) -> None:
    if actor is None:
        return
    scope = scope_for(actor)
    allowed = scope.is_scheme_admin if draft.branch is None else scope.manages(draft.branch.path)
    if not allowed:
        raise PermissionDenied(_("您无权修改方案草稿“%(draft)s”。") % {"draft": draft.title})


@transaction.atomic
def draft_create(
    *, actor: Actor, base: Scheme, year: int, title: str, branch: Organization | None = None
) -> SchemeDraft:
    """Copy ``base`` (this year's scheme) into a draft of ``year``'s scheme."""
    scope = scope_for(actor)
    if actor is not None:
        if branch is None and not scope.is_scheme_admin:
            raise PermissionDenied(_("只有党工委管理员可以为整个组织起草方案。"))
        if branch is not None and not scope.manages(branch.path):
            raise PermissionDenied(_("您无权为 %(branch)s 起草方案。") % {"branch": branch.name})
    if branch is not None and not branch.is_branch:
        raise ValidationError({"branch": _("%(code)s 不是党支部。") % {"code": branch.code}})
    if year <= base.year:
        raise ValidationError(
            {"year": _("草案年度须晚于模拟所用的 %(year)s 年度。") % {"year": base.year}}
        )
    title = title.strip() or _("%(year)s 年度方案草案") % {"year": year}
    draft = SchemeDraft(
        base=base,
        year=year,
        title=title,
        branch=branch,
        created_by=user_or_none(actor),
        **{f: getattr(base, f) for f in SETTING_FIELDS},
    )
    draft.full_clean()
    draft.save()
    SchemeDraftItem.objects.bulk_create(
        SchemeDraftItem(draft=draft, **_item_fields(i)) for i in base.items.all()
    )
    audit_record(
        actor=actor,
        action="scheme_draft.create",
        target=draft,
        after=settings_of(draft)
        | {"year": year, "base": base.year, "branch": branch.code if branch else None},
    )
    return draft


@transaction.atomic
def draft_update(*, actor: Actor, draft: SchemeDraft, **changes: Any) -> SchemeDraft:
    """Change the draft's settings (the same ones as the scheme's)."""
    _require_may_edit(actor, draft)
    unknown = set(changes) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationError(
            _("未知的方案设置：%(settings)s。") % {"settings": "、".join(sorted(unknown))}
        )
    if "ballot_options" in changes:
        options = changes["ballot_options"]
        if set(options) - set(BALLOT_OPTION_NAMES):
            raise ValidationError(
                {"ballot_options": _("测评选项只能是优秀、合格、基本合格、不合格。")}
            )
        changes["ballot_options"] = {k: str(Decimal(str(v))) for k, v in options.items()}
    draft = (
        SchemeDraft.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=draft.pk)
    )
    before = settings_of(draft)
    for field, value in changes.items():
        setattr(draft, field, value)
    draft.full_clean()
    draft.save()
    after = settings_of(draft)
    if before != after:
        audit_record(
            actor=actor, action="scheme_draft.update", target=draft, before=before, after=after
        )
    return draft


@transaction.atomic
def draft_items_set(*, actor: Actor, draft: SchemeDraft, points: dict[str, Decimal]) -> SchemeDraft:
    """Set the points per occurrence of the draft's items (code -> points)."""
    _require_may_edit(actor, draft)
    items = {i.code: i for i in draft.items.select_for_update()}
    unknown = set(points) - set(items)
    if unknown:
        raise ValidationError(
            {"points": _("草案中没有指标：%(codes)s") % {"codes": "、".join(sorted(unknown))}}
        )
    before, after = {}, {}
    for code, value in points.items():
        value = Decimal(str(value))
        if value < 0:
            raise ValidationError(
                {f"points_{code}": _("指标 %(code)s 的分值不能为负数。") % {"code": code}}
            )
        item = items[code]
        if item.points != value:
            before[code], after[code] = decimal_text(item.points), decimal_text(value)
            item.points = value
            item.save(update_fields=["points"])
    if after:
        audit_record(
            actor=actor, action="scheme_draft.items", target=draft, before=before, after=after
        )
    return draft


@transaction.atomic
def draft_adopt(*, actor: Actor, draft: SchemeDraft) -> Scheme:
    """Make the draft the scheme of its year: create it, or update its settings and items.
    Committee admins only (the scheme is organisation-wide); refused when that year is final
    or any branch has finalised it. Items of an existing scheme that the draft lacks stay."""
    if actor is not None and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以采用方案草稿。"))
    draft = SchemeDraft.objects.select_for_update().get(pk=draft.pk)
    scheme = Scheme.objects.filter(year=draft.year).first()
    if scheme is not None and (
        scheme.is_final or BranchYearClosing.objects.filter(scheme=scheme).exists()
    ):
        raise ValidationError(_("%(year)s 年度已定格，不能再采用草案。") % {"year": draft.year})
    created = scheme is None
    if scheme is None:
        scheme = scheme_create(actor=actor, year=draft.year, with_template_items=False)
    scheme = scheme_update(
        actor=actor, scheme=scheme, **{f: getattr(draft, f) for f in SETTING_FIELDS}
    )
    for item in draft.items.all():
        scheme_item_upsert(actor=actor, scheme=scheme, **_item_fields(item))
    draft.adopted_at = timezone.now()
    draft.save(update_fields=["adopted_at"])
    audit_record(
        actor=actor,
        action="scheme_draft.adopt",
        target=draft,
        after={"year": draft.year, "scheme": scheme.pk, "created": created},
    )
    return scheme
