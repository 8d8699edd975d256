"""Documents in the API (文书): the same files as the pages, by kind and object."""

from ninja import Router

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS
from kaoping.api.schemas import Code, Year

from .answers import docx_answer
from .generate import registration_form_docx

router = Router(tags=["documents"])


@router.get(
    "/members/{code}/documents/{year}/registration-form",
    response={200: None, **READ_ERRORS},
)
def registration_form(request: AuthedRequest, code: Code, year: Year):
    """民主评议党员登记表 of one member and year, as a Word file (.docx): to the member,
    the branch's officers and the committee; a score or grade only once published."""
    return docx_answer(*registration_form_docx(actor=request.auth, code=code, year=year))
