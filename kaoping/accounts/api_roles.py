"""Roles through the API: list, grant, revoke (the same services and scope as the roles
page, ``orgs.roles``)."""

from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, ErrorOut, ValidationErrorOut
from kaoping.orgs.models import Organization, RoleAssignment
from kaoping.orgs.roles import GROUP_ROLES, role_grant, role_grant_check, role_revoke
from kaoping.orgs.selectors import (
    organization_for_roles,
    person_for_grant,
    role_access_by_id,
    roles_held,
    roles_visible,
)

router = Router(tags=["accounts"])

Role = RoleAssignment.Role
Username = Annotated[str, StringConstraints(min_length=1, max_length=150, pattern=r"^[^\x00]+$")]
RoleName = Literal["committee_admin", "org_department", "secretary", "branch_committee"]
RoleId = Annotated[int, Field(ge=1, le=2**31 - 1)]
READ = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class RoleAssignmentOut(Schema):
    id: int
    username: str
    member: str | None
    organization: str
    role: str
    role_label: str


class RoleGrantIn(Schema):
    """The person by ``user`` (username) or ``member`` (member code); supervisors are
    granted with their group's membership, not here."""

    user: Username | None = None
    member: Code | None = None
    organization: Code
    role: RoleName


def _row(a: RoleAssignment) -> dict:
    member = getattr(a.user, "member", None)
    return {
        "id": a.pk,
        "username": a.user.username,
        "member": member.code if member is not None else None,
        "organization": a.organization.code,
        "role": a.role,
        "role_label": str(Role(a.role).label),
    }


@router.get("/roles", response={200: list[RoleAssignmentOut], **READ})
@paginate(Page)
def roles_list(request: HttpRequest, organization: Code | None = None):
    """Roles on organisations the user reads as staff; ``organization`` narrows to that
    organisation and its subtree."""
    if organization:
        org = organization_for_roles(actor=request.auth, code=organization)
        qs = roles_held(actor=request.auth, organization=org)
    else:
        qs = roles_visible(actor=request.auth)
    return [_row(a) for a in qs]


@router.post("/roles", response={201: RoleAssignmentOut, **WRITE})
def role_create(request: HttpRequest, payload: RoleGrantIn):
    """Grant a role (403 beyond the user's rights, nothing changed)."""
    actor = request.auth
    org = Organization.objects.filter(code=payload.organization).first()
    if org is None:
        raise Http404(_("找不到这个党组织。"))
    role_grant_check(actor, org, payload.role)
    if (payload.user is None) == (payload.member is None):
        raise ValidationError({"user": _("请给出用户名或党员编号（二选一）。")})
    user = person_for_grant(actor=actor, person=payload.user or payload.member)
    assignment = role_grant(actor=actor, user=user, organization=org, role=payload.role)
    return 201, _row(assignment)


@router.delete("/roles/{id}", response={204: None, **WRITE})
def role_delete(request: HttpRequest, id: RoleId):
    """Revoke a role (404 for one the user cannot see; the last committee admin stays)."""
    assignment = role_access_by_id(actor=request.auth, pk=id)
    if assignment.role in GROUP_ROLES:
        role_grant_check(request.auth, assignment.organization, assignment.role)
        raise PermissionDenied(_("专项督查组成员请在督查组页面移除。"))
    role_revoke(actor=request.auth, assignment=assignment)
    return 204, None
