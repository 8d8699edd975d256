from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import BranchYearClosing, Scheme, SchemeItem


def scheme_for_year(year: int) -> Scheme | None:
    return Scheme.objects.filter(year=year).first()


def schemes_all() -> QuerySet[Scheme]:
    return Scheme.objects.order_by("-year")


def scheme_items(scheme: Scheme) -> QuerySet[SchemeItem]:
    return SchemeItem.objects.filter(scheme=scheme).order_by("kind", "code")


def year_is_frozen(*, year: int, branch) -> bool:
    """True when the year's scheme is final or the branch has finalised that year."""
    return Scheme.objects.filter(year=year, finalised_at__isnull=False).exists() or (
        BranchYearClosing.objects.filter(scheme__year=year, branch=branch).exists()
    )


def scheme_years() -> list[int]:
    return list(schemes_all().values_list("year", flat=True))


def scheme_chosen(year: str | int | None) -> Scheme | None:
    """The scheme of ``year`` (404 if there is none), or the newest when no year is given:
    the year picker of every page."""
    if year in (None, ""):
        return schemes_all().first()
    try:
        scheme = scheme_for_year(int(year))
    except (TypeError, ValueError):
        scheme = None
    if scheme is None:
        raise Http404(_("%(year)s 年度还没有考评方案。") % {"year": year})

    return scheme
