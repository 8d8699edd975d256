"""Changes to a member's archive (党员台账) in the API (issue 20): every form of the archive
pages (``views.py``) as an operation, through the same selectors, services and permission
checks: the basic information, a transfer (组织关系转接), lost contact (失联) and being
found, an investigation (暂不纳入) and its decision, exemptions from an item; the roster
import is in ``api_roster.py``. The managers of the member's branch write (403 for those
who only read the member, 404 for the others); the answer is the member's archive as
``GET /api/members/{code}/archive`` gives it to the writer. Reading is in
``kaoping/api/archive.py``."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kaoping.api.archive import archive_out
from kaoping.api.auth import AuthedRequest
from kaoping.api.common import WRITE_ERRORS
from kaoping.api.schemas import Code, MemberArchiveOut, Text
from kaoping.orgs.models import Member

from . import api_roster, selectors, services

router = Router(tags=["archive"])

WRITE = WRITE_ERRORS


# Free text bounded as the forms' fields (max_length).
Text18 = Annotated[Text, Field(max_length=18)]
Text32 = Annotated[Text, Field(max_length=32)]
Text100 = Annotated[Text, Field(max_length=100)]
Text200 = Annotated[Text, Field(max_length=200)]


class ProfileIn(Schema):
    """The fields to change (those left out stay as they are; "" clears a field). A masked
    value read from the archive (``1101**********0011``) sent back unchanged keeps the
    value it masks."""

    name: Annotated[Text, Field(min_length=1, max_length=100)] | None = None
    membership: Member.Membership | None = None
    gender: Literal["", "male", "female"] | None = None
    ethnicity: Text32 | None = None
    birth_date: datetime.date | None = None
    id_number: Text18 | None = None
    education: Text32 | None = None
    native_place: Text100 | None = None
    joined_on: datetime.date | None = None
    full_member_on: datetime.date | None = None
    job: Text200 | None = None
    phone: Text32 | None = None


class TransferIn(Schema):
    to_branch: Code | None = None  # a branch of the system; None: leaving it (destination)
    destination: Text200 = ""
    date: datetime.date
    reason: Text


class LostIn(Schema):
    since: datetime.date
    efforts: Text


class FoundIn(Schema):
    found_on: datetime.date
    note: Text = ""


class InvestigationIn(Schema):
    body: Text200
    started_on: datetime.date


class DecisionIn(Schema):
    decided_on: datetime.date
    decision: Text


def _managed(request: AuthedRequest, code: str) -> Member:
    return selectors.member_for_archive(actor=request.auth, code=code, manage=True)


def _answer(request: AuthedRequest, member: Member) -> dict:
    member.refresh_from_db()
    return archive_out(request.auth, member)


@router.patch("/members/{code}/archive/profile", response={200: MemberArchiveOut, **WRITE})
def member_profile_update(request: AuthedRequest, code: Code, payload: ProfileIn):
    """Change a member's basic information; each changed field is kept in the change log
    with its old value. 422 for an ID number of another form than 18 characters, a phone
    with letters, a full membership before joining."""
    member = _managed(request, code)
    values = payload.dict(exclude_unset=True)
    if values.get("name") is None:
        values.pop("name", None)
    if values.get("membership") is None:
        values.pop("membership", None)
    services.member_profile_update(actor=request.auth, member=member, values=values)
    return _answer(request, member)


@router.post("/members/{code}/archive/transfers", response={201: MemberArchiveOut, **WRITE})
def member_transfer(request: AuthedRequest, code: Code, payload: TransferIn):
    """Transfer the member's Party relationship (组织关系转接) to another branch
    (``to_branch``) or out of the system (``destination``). 422 for the same branch, a
    date in the future, a member who is not on the roll."""
    member = _managed(request, code)
    to_branch = None
    if payload.to_branch is not None:
        to_branch = selectors.transfer_branches().filter(code=payload.to_branch).first()
        if to_branch is None:
            raise ValidationError({"to_branch": _("只能转入党支部。")})
    services.member_transfer(
        actor=request.auth,
        member=member,
        to_branch=to_branch,
        date=payload.date,
        reason=payload.reason,
        destination=payload.destination,
    )
    return 201, _answer(request, member)


@router.post("/members/{code}/archive/lost-contact", response={201: MemberArchiveOut, **WRITE})
def member_lost_contact(request: AuthedRequest, code: Code, payload: LostIn):
    """Mark the member out of contact (失联) since a day, with the efforts made to find
    them. 422 when already out of contact or not on the roll."""
    member = _managed(request, code)
    services.member_lost_contact_mark(
        actor=request.auth, member=member, since=payload.since, efforts=payload.efforts
    )
    return 201, _answer(request, member)


@router.post("/members/{code}/archive/found", response={200: MemberArchiveOut, **WRITE})
def member_found(request: AuthedRequest, code: Code, payload: FoundIn):
    """Record that a lost-contact member was found: they are active again. 422 without an
    open lost-contact record, or for a day before it began or in the future."""
    member = _managed(request, code)
    services.member_found(
        actor=request.auth, member=member, found_on=payload.found_on, note=payload.note
    )
    return _answer(request, member)


@router.post("/members/{code}/archive/investigation", response={201: MemberArchiveOut, **WRITE})
def member_investigation_start(request: AuthedRequest, code: Code, payload: InvestigationIn):
    """Record that the member is under investigation (接受调查): deferred, not scored or
    ranked until the decision. 422 when one is open already."""
    member = _managed(request, code)
    services.member_investigation_start(
        actor=request.auth, member=member, body=payload.body, started_on=payload.started_on
    )
    return 201, _answer(request, member)


@router.post(
    "/members/{code}/archive/investigation/decision", response={200: MemberArchiveOut, **WRITE}
)
def member_investigation_decide(request: AuthedRequest, code: Code, payload: DecisionIn):
    """Record the investigation's decision: the member returns and is assessed for the
    year with the same rules. 422 without an open investigation."""
    member = _managed(request, code)
    services.member_investigation_decide(
        actor=request.auth, member=member, decided_on=payload.decided_on, decision=payload.decision
    )
    return _answer(request, member)


class ExemptionIn(Schema):
    item: Code  # a deduction item of the latest scheme
    reason: Annotated[Text, Field(min_length=1, max_length=500)]
    starts_on: datetime.date
    ends_on: datetime.date | None = None  # None: until removed


@router.post("/members/{code}/archive/exemptions", response={201: MemberArchiveOut, **WRITE})
def member_exemption_add(request: AuthedRequest, code: Code, payload: ExemptionIn):
    """Exempt the member from a deduction item (免于考评, e.g. for health) from
    ``starts_on`` (to ``ends_on``): entries of the item dated inside are refused. 422 for
    an item that is not a deduction of the latest scheme, or an end before the start."""
    member = _managed(request, code)
    item = selectors.exemption_items().filter(code=payload.item).first()
    if item is None:
        raise ValidationError({"item": _("没有这个扣分指标：%(item)s。") % {"item": payload.item}})
    services.exemption_add(
        actor=request.auth,
        member=member,
        item_code=item.code,
        reason=payload.reason,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return 201, _answer(request, member)


@router.delete("/members/{code}/archive/exemptions/{item}", response={204: None, **WRITE})
def member_exemption_remove(request: AuthedRequest, code: Code, item: Code):
    """End the member's exemption from ``item`` (as the archive's ``exemptions`` name it):
    entries of the item count again. 404 when there is none."""
    member = _managed(request, code)
    exemption = selectors.exemption_of(member=member, item_code=item)
    services.exemption_remove(actor=request.auth, exemption=exemption)
    return 204, None


router.add_router("", api_roster.router)
