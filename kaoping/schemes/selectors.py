from django.db.models import QuerySet

from .models import Scheme, SchemeItem


def scheme_for_year(year: int) -> Scheme | None:
    return Scheme.objects.filter(year=year).first()


def schemes_all() -> QuerySet[Scheme]:
    return Scheme.objects.order_by("-year")


def scheme_items(scheme: Scheme) -> QuerySet[SchemeItem]:
    return SchemeItem.objects.filter(scheme=scheme).order_by("kind", "code")
