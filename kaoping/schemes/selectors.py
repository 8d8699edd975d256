from django.db.models import QuerySet

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
