"""What the API's endpoint modules share: the error answers they declare and the year's
scheme every per-year endpoint stands on."""

from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import scheme_for_year

from .schemas import ErrorOut, ValidationErrorOut

# 422: a malformed query parameter (page, page_size, year ...) - found by the fuzz test.
READ_ERRORS: dict[int, type] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
# 400: a body that is not JSON at all ("Cannot parse request body") - found by the fuzz test.
WRITE_ERRORS: dict[int, type] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


def scheme_of_year(year: int) -> Scheme:
    """The year's scheme, or a 404 when the year has none."""
    scheme = scheme_for_year(year)
    if scheme is None:
        raise Http404(_("%(year)s 年度还没有考评方案。") % {"year": year})
    return scheme
