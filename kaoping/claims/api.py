"""Bonus claims (加分申报) in the API: every action of the claim pages (``views.py``) as an
operation, through the same selectors, services and permission checks: the member submits
a claim with its proof (text and/or a file, the page's limits: ``kit.evidence``) and reads
their own claims; the branch's officers list its claims (``status=pending``: those
awaiting review) and approve or refuse one."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, Text
from kaoping.kit.querysets import filter_given
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import branch_for_staff, own_member, scope_for
from kaoping.schemes.models import Scheme

from . import selectors, services
from .models import BonusClaim

router = Router(tags=["claims"])


class ClaimOut(Schema):
    code: str
    member: str
    name: str
    item: str
    item_name: str
    date: datetime.date
    description: str
    proof_text: str
    proof_file: bool  # a file is attached: the page /claims/{code}/proof/ serves it
    status: str  # pending / approved / refused
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_reason: str
    entry: str | None  # the ledger entry of an approved claim


class ClaimIn(Schema):
    item: Code  # a bonus item of the current scheme open to the member's branch
    date: datetime.date
    description: Annotated[Text, Field(min_length=1, max_length=2000)]  # as the page's form
    proof_text: Text = ""


class DecisionIn(Schema):
    decision: Literal["approve", "refuse"]
    reason: Text = ""  # required to refuse


def claim_out(claim: BonusClaim) -> dict:
    return {
        "code": claim.code,
        "member": claim.member.code,
        "name": claim.member.name,
        "item": claim.item.code,
        "item_name": claim.item.name,
        "date": claim.date,
        "description": claim.description,
        "proof_text": claim.proof_text,
        "proof_file": bool(claim.proof_file),
        "status": claim.status,
        "created_at": claim.created_at,
        "decided_at": claim.decided_at,
        "decision_reason": claim.decision_reason,
        "entry": claim.entry.code if claim.entry is not None else None,
    }


@router.get("/me/claims", response={200: list[ClaimOut], **READ_ERRORS})
@paginate(Page)
def my_claims(request: AuthedRequest):
    """The user's own bonus claims, the newest first (none for a user without a member)."""
    member_id = scope_for(request.auth).member_id
    if member_id is None:
        return []
    member = Member.objects.select_related("branch").get(pk=member_id)
    claims = selectors.claims_of_member(actor=request.auth, member=member)
    return [claim_out(c) for c in claims]


@router.post("/me/claims", response={201: ClaimOut, **WRITE_ERRORS})
def my_claim_submit(
    request: AuthedRequest,
    payload: Form[ClaimIn],
    proof_file: File[UploadedFile | None] = None,
):
    """The user's member claims a bonus item of the current scheme (multipart form: the
    fields, and ``proof_file``: PDF, JPG, PNG, DOCX or XLSX, at most 10 MB, its content
    what its name says). 422 without any proof, for an item not open to the member, a date
    outside the scheme's year or in the future, or a frozen year."""
    member = own_member(actor=request.auth)
    scheme = Scheme.objects.order_by("-year").first()
    items = selectors.bonus_items(scheme=scheme, member=member) if scheme else None
    item = items.filter(code=payload.item).first() if items is not None else None
    if item is None:
        raise ValidationError(
            {"item": _("没有可申报的加分项目 %(item)s。") % {"item": payload.item}}
        )
    claim = services.claim_submit(
        actor=request.auth,
        item=item,
        date=payload.date,
        description=payload.description,
        proof_text=payload.proof_text,
        proof_file=proof_file,
    )
    return 201, claim_out(claim)


@router.get("/branches/{code}/claims", response={200: list[ClaimOut], **READ_ERRORS})
@paginate(Page)
def branch_claims(request: AuthedRequest, code: Code, status: BonusClaim.Status | None = None):
    """A branch's bonus claims, as on its claims page (its officers and readers; 404
    otherwise), in the page's order (by status, then the newest first);
    ``status=pending``: the claims awaiting review."""
    branch = branch_for_staff(actor=request.auth, code=code)
    claims = selectors.claims_of_branch(actor=request.auth, branch=branch)
    claims = filter_given(claims, status=status)
    return [claim_out(c) for c in claims.order_by("status", "-created_at", "code")]


@router.get("/claims/{code}", response={200: ClaimOut, **READ_ERRORS})
def claim_detail(request: AuthedRequest, code: Code):
    """A claim, for its member and its branch's readers (the same 404 otherwise)."""
    return claim_out(selectors.claim_access_by_code(actor=request.auth, code=code))


@router.post("/claims/{code}/decision", response={200: ClaimOut, **WRITE_ERRORS})
def claim_decide(request: AuthedRequest, code: Code, payload: DecisionIn):
    """Approve (the bonus is recorded in the ledger) or refuse (with a reason) a pending
    claim: the branch's officers (403 for others who may see it). 422 when already
    decided, the year is frozen, or a refusal has no reason."""
    actor = request.auth
    claim = selectors.claim_access_by_code(actor=actor, code=code)
    if payload.decision == "approve":
        decided = services.claim_approve(actor=actor, claim=claim, note=payload.reason)
    else:
        decided = services.claim_refuse(actor=actor, claim=claim, reason=payload.reason)
    return claim_out(decided)
