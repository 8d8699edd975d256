"""The accounts of an organisation in the API: who has a login, and issuing logins (the
initial passwords are in the answer, once; the batch then keeps no seal)."""

from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, ErrorOut, ValidationErrorOut
from kaoping.orgs.selectors import organization_access_by_code

from . import selectors
from .services.logins import ISSUE_MAX, account_policy_set, logins_issue

router = Router(tags=["accounts"])


class AccountOut(Schema):
    member: str
    name: str
    branch: str
    status: str
    username: str | None
    active: bool | None
    must_change_password: bool

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.code

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code

    @staticmethod
    def resolve_username(obj) -> str | None:
        return obj.user.username if obj.user else None

    @staticmethod
    def resolve_active(obj) -> bool | None:
        return obj.user.is_active if obj.user else None

    @staticmethod
    def resolve_must_change_password(obj) -> bool:
        state = getattr(obj.user, "account_state", None) if obj.user else None
        return bool(state and state.must_change_password)


class IssueIn(Schema):
    organization: Code
    members: Annotated[list[Code], Field(max_length=ISSUE_MAX)] | None = None


class IssuedOut(Schema):
    member: str
    name: str
    username: str
    password: str


class BatchOut(Schema):
    batch: int
    organization: str
    logins: list[IssuedOut]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


@router.get("/accounts", response={200: list[AccountOut], **ERRORS})
@paginate(Page)
def accounts(request: AuthedRequest, organization: Code | None = None):
    """Members whose logins the user manages (committee admins, secretaries), with their
    login's state; ``organization`` narrows to its subtree."""
    selectors.accounts_access(actor=request.auth)
    org = (
        organization_access_by_code(actor=request.auth, code=organization, manage=True)
        if organization
        else None
    )
    return selectors.accounts_of(actor=request.auth, organization=org)


@router.post("/accounts/issue", response={201: BatchOut, 400: ErrorOut, **ERRORS})
def accounts_issue(request: AuthedRequest, payload: IssueIn):
    """Create logins for the organisation's members without one (or ``members``), all or
    none. The initial passwords are in this answer only: store or hand them out now."""
    selectors.accounts_access(actor=request.auth)
    org = organization_access_by_code(actor=request.auth, code=payload.organization, manage=True)
    batch = logins_issue(
        actor=request.auth, organization=org, member_codes=payload.members, handed_over=True
    )
    return 201, {
        "batch": batch.pk,
        "organization": org.code,
        "logins": [
            {
                "member": i.member.code,
                "name": i.member.name,
                "username": i.username,
                "password": i.password,
            }
            for i in batch.issued
        ],
    }


class UsernameRuleIn(Schema):
    username_rule: Literal["member_code", "mobile"]  # 党员编号 or 手机号码


class UsernameRuleOut(Schema):
    username_rule: str


@router.put("/accounts/username-rule", response={200: UsernameRuleOut, **ERRORS})
def accounts_username_rule(request: AuthedRequest, payload: UsernameRuleIn):
    """How new logins' usernames are made, for the whole district (the committee's admin;
    logins already issued keep theirs)."""
    selectors.accounts_access(actor=request.auth)
    committee = selectors.district_committee()
    if committee is None:
        raise Http404(_("还没有机关工委。"))
    policy = account_policy_set(
        actor=request.auth, committee=committee, username_rule=payload.username_rule
    )
    return {"username_rule": policy.username_rule}
