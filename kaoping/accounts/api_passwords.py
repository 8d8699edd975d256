"""API of passwords and logins: issue a reset code, close and reopen a member's login.
The same services and scope as the member's page (the admin, or the member's secretary)."""

from typing import Annotated

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import StringConstraints

from kaoping.api.schemas import ErrorOut
from kaoping.kit.text import CODE_MAX
from kaoping.orgs.selectors import member_access_by_code

from .services.passwords import account_deactivate, account_reactivate, reset_code_issue

router = Router(tags=["accounts"])

MemberCode = Annotated[
    str, StringConstraints(min_length=1, max_length=CODE_MAX, pattern=r"^[^\x00]+$")
]


class ResetCodeOut(Schema):
    member: str
    username: str
    code: str
    expires_in_hours: int


class LoginStateOut(Schema):
    member: str
    username: str
    active: bool


class DeactivateIn(Schema):
    reason: Annotated[
        str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")
    ]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _state(member) -> LoginStateOut:
    member.user.refresh_from_db(fields=["is_active"])
    return LoginStateOut(
        member=member.code, username=member.user.get_username(), active=member.user.is_active
    )


@router.post("/accounts/{member_code}/reset-code", response={201: ResetCodeOut, **ERRORS})
def reset_code(request: HttpRequest, member_code: MemberCode):
    """Issue a one-time reset code for the member's login; the code is in this answer only."""
    member = member_access_by_code(actor=request.auth, code=member_code, manage=True)
    raw = reset_code_issue(actor=request.auth, member=member)
    member.refresh_from_db()
    return 201, ResetCodeOut(
        member=member.code,
        username=member.user.get_username(),
        code=raw,
        expires_in_hours=settings.KAOPING_RESET_CODE_HOURS,
    )


@router.post("/accounts/{member_code}/deactivate", response={200: LoginStateOut, **ERRORS})
def deactivate(request: HttpRequest, member_code: MemberCode, payload: DeactivateIn):
    """Close the member's login (records kept)."""
    member = member_access_by_code(actor=request.auth, code=member_code, manage=True)
    member = account_deactivate(actor=request.auth, member=member, reason=payload.reason)
    return _state(member)


@router.post("/accounts/{member_code}/reactivate", response={200: LoginStateOut, **ERRORS})
def reactivate(request: HttpRequest, member_code: MemberCode):
    """Open the member's closed login again (not for a member who has left)."""
    member = member_access_by_code(actor=request.auth, code=member_code, manage=True)
    member = account_reactivate(actor=request.auth, member=member)
    return _state(member)
