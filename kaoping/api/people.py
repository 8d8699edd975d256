"""People through the API: the signed-in user, the organisations and members they may see."""

from django.views.decorators.csrf import ensure_csrf_cookie
from ninja import Router
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from kaoping.orgs.selectors import (
    member_access_by_code,
    members_visible,
    organization_access_by_code,
    organizations_visible,
)

from .auth import AuthedRequest
from .common import READ_ERRORS
from .pagination import Cursor
from .schemas import Code, ErrorOut, MemberOut, MeOut, OrganizationOut, ValidationErrorOut
from .selectors import member_code_of, roles_of

router = Router()


@router.get("/me", response={200: MeOut, 401: ErrorOut}, tags=["people"])
@decorate_view(ensure_csrf_cookie)
def me(request: AuthedRequest):
    """The signed-in user, their roles and their member record (sets the CSRF cookie)."""
    user = request.auth
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "superuser": user.is_superuser,
        "roles": [{"role": r, "organization": o} for r, o in roles_of(actor=user)],
        "member": member_code_of(actor=user),
    }


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], 401: ErrorOut, 422: ValidationErrorOut},
    tags=["people"],
)
@paginate(Cursor)
def organizations(request: AuthedRequest):
    """Organisations the user may see, in tree order."""
    return organizations_visible(actor=request.auth).select_related("parent").order_by("path")


@router.get("/members", response={200: list[MemberOut], **READ_ERRORS}, tags=["people"])
@paginate(Cursor)
def members(request: AuthedRequest, branch: Code | None = None):
    """Members the user may see; ``branch`` narrows to an organisation's subtree."""
    qs = members_visible(actor=request.auth)
    if branch:
        org = organization_access_by_code(actor=request.auth, code=branch)
        qs = qs.filter(branch__path__startswith=org.path)
    return qs.order_by("branch__path", "code")


@router.get("/members/{code}", response={200: MemberOut, **READ_ERRORS}, tags=["people"])
def member(request: AuthedRequest, code: Code):
    return member_access_by_code(actor=request.auth, code=code)
