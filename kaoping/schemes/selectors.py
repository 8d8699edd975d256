from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.kit.urlparams import parse_year
from kaoping.orgs.models import Organization

from .models import Scheme, SchemeItem


def scheme_for_year(year: int) -> Scheme | None:
    return Scheme.objects.filter(year=year).first()


def scheme_required(year: int) -> Scheme:
    """The year's scheme, for a workflow's closing that deducts by its items; refused while
    the year has none."""
    scheme = scheme_for_year(year)
    if scheme is None:
        raise ValidationError(_("%(year)s 年度尚无考评方案。") % {"year": year})
    return scheme


def schemes_all() -> QuerySet[Scheme]:
    return Scheme.objects.order_by("-year")


def scheme_items(scheme: Scheme) -> QuerySet[SchemeItem]:
    return SchemeItem.objects.filter(scheme=scheme).order_by("kind", "code")


def year_is_frozen(*, year: int, branch: Organization) -> bool:
    """True when the year's scheme is final or the branch has finalised that year (one
    query: pages ask it once for their notice)."""
    return (
        Scheme.objects.filter(year=year)
        .filter(Q(finalised_at__isnull=False) | Q(closings__branch=branch))
        .exists()
    )


def items_applying(items: QuerySet[SchemeItem], categories: set[str]) -> QuerySet[SchemeItem]:
    """The items that apply to at least one of the branch ``categories`` (分类实施, the
    rule of ``SchemeItem.applies_to``)."""
    ids = [i.id for i in items if any(i.applies_to(c) for c in categories)]
    return items.filter(id__in=ids)


def frozen_notice(*, year: int, branch: Organization) -> str | None:
    """Why a page of a frozen branch-year offers no write controls (shown at its top, and
    as the answer to a form posted from an older page); None when the year is open."""
    if not year_is_frozen(year=year, branch=branch):
        return None
    return _(
        "%(year)s 年度考评结果已定格，本年度的台账记录已冻结，不能再录入、冲销或修改。"
        "如确需更正，请联系区直机关工委管理员说明理由重新开放。"
    ) % {"year": year}


def refuse_if_frozen(*, year: int, branch: Organization, field: str | None = None) -> None:
    """The one refusal of a write into a frozen branch-year: the notice, as a
    ValidationError on ``field`` when given (next to the form field that chose the year)."""
    notice = frozen_notice(year=year, branch=branch)
    if notice is None:
        return
    if field is not None:
        raise ValidationError({field: notice})
    raise ValidationError(notice)


def scheme_years() -> list[int]:
    return list(schemes_all().values_list("year", flat=True))


def scheme_chosen(year: str | int | None) -> Scheme | None:
    """The scheme of ``year`` (404 if there is none, 400 if it is no year), or the newest
    when no year is given: the year picker of every page."""
    number = parse_year(year)
    if number is None:
        return schemes_all().first()
    scheme = scheme_for_year(number)
    if scheme is None:
        raise Http404(_("%(year)s 年度还没有考评方案。") % {"year": year})

    return scheme


def scheme_chosen_or_404(year: str | int | None) -> Scheme:
    """``scheme_chosen``, and a 404 when there is none to choose (no scheme yet): a page or
    a write that needs a year's scheme."""
    scheme = scheme_chosen(year)
    if scheme is None:
        raise Http404(_("所选年度还没有考评方案。"))
    return scheme
