"""People through the API: the signed-in user, the organisations and members they may see."""

from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from kaoping.kit.text import NAME_MAX, TITLE_MAX
from kaoping.orgs.selectors import (
    branch_for_staff,
    member_access_by_code,
    members_visible,
    organization_access_by_code,
    organizations_visible,
    staff_required,
    tree_admin_required,
)
from kaoping.orgs.services import member_add, member_edit, organization_add, organization_upsert

from .auth import AuthedRequest
from .common import READ_ERRORS, WRITE_ERRORS
from .pagination import Cursor
from .schemas import Code, ErrorOut, MemberOut, MeOut, OrganizationOut, Text, ValidationErrorOut
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


# --------------------------------------------------------------------------- writes
# The roster and the tree as on the branch and overview pages, through the same services.

MemberStatus = Literal[
    "active", "under_investigation", "lost_contact", "transferred_out", "deceased"
]
MembershipKind = Literal["full", "probationary"]
OrganizationKind = Literal["committee", "party_committee", "general_branch", "branch"]
BranchCategory = Literal["in_service", "retired"]
Name = Annotated[Text, Field(min_length=1, max_length=NAME_MAX)]
Title = Annotated[Text, Field(min_length=1, max_length=TITLE_MAX)]


class MemberIn(Schema):
    code: Code
    name: Name
    status: MemberStatus = "active"
    membership: MembershipKind = "full"


class MemberChangeIn(Schema):
    """The status is not here: it changes with its record (investigation, lost contact,
    transfer), through the archive's operations."""

    name: Name
    membership: MembershipKind


class OrganizationIn(Schema):
    name: Title
    kind: OrganizationKind
    parent: Code | None = None  # the code of a visible organisation that is not a branch
    category: BranchCategory = "in_service"


class OrganizationNewIn(OrganizationIn):
    code: Code


def _parent(actor, code: str | None):
    if code is None:
        return None
    try:
        return organization_access_by_code(actor=actor, code=code)
    except Http404:
        raise ValidationError({"parent": _("找不到上级组织 %(code)s。") % {"code": code}}) from None


@router.post("/branches/{code}/members", response={201: MemberOut, **WRITE_ERRORS}, tags=["people"])
def member_create(request: AuthedRequest, code: Code, payload: MemberIn):
    """Add a member to the branch's roster (its officers); the code must be new."""
    actor = request.auth
    branch = branch_for_staff(actor=actor, code=code, manage=True)
    return 201, member_add(actor=actor, branch=branch, **payload.dict())


@router.put("/members/{code}", response={200: MemberOut, **WRITE_ERRORS}, tags=["people"])
def member_update(request: AuthedRequest, code: Code, payload: MemberChangeIn):
    """Change a member's name and category (their branch's officers)."""
    actor = request.auth
    member = member_access_by_code(actor=actor, code=code, manage=True)
    return member_edit(actor=actor, member=member, **payload.dict())


@router.post("/organizations", response={201: OrganizationOut, **WRITE_ERRORS}, tags=["people"])
def organization_create(request: AuthedRequest, payload: OrganizationNewIn):
    """Add an organisation to the tree (the working committee's admin)."""
    actor = request.auth
    staff_required(actor=actor)
    tree_admin_required(actor=actor)
    data = payload.dict() | {"parent": _parent(actor, payload.parent)}
    return 201, organization_add(actor=actor, **data)


@router.put(
    "/organizations/{code}", response={200: OrganizationOut, **WRITE_ERRORS}, tags=["people"]
)
def organization_update(request: AuthedRequest, code: Code, payload: OrganizationIn):
    """Change an organisation (the admin); a new parent moves its whole subtree."""
    actor = request.auth
    org = organization_access_by_code(actor=actor, code=code, manage=True)
    tree_admin_required(actor=actor)
    data = payload.dict() | {"parent": _parent(actor, payload.parent)}
    return organization_upsert(actor=actor, code=org.code, **data)
