"""Supervision (专项督查) in the API: every action of the supervision pages (``views.py``)
as an operation, through the same selectors, services and permission checks. The groups
(the staff see those they may: a committee admin all, a supervisor their own; others 404)
and founding one (committee admins); a group's register of inspections and recording
one (the group's members); adding and removing a group's members (committee admins); an
inspection with its findings, and recording a finding (a deduction in the ledger) with
its evidence file (multipart, the page's file checks: ``kit.evidence``)."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, Text
from kaoping.kit.urlparams import SQL_INT_MAX
from kaoping.orgs.models import Organization
from kaoping.orgs.selectors import person_for_grant
from kaoping.schemes.selectors import frozen_notice

from . import selectors, services
from .models import Finding, Inspection, SupervisionGroup

router = Router(tags=["supervision"])

UserId = Annotated[int, Field(ge=1, le=SQL_INT_MAX)]
Username = Annotated[str, Field(min_length=1, max_length=150, pattern=r"^[^\x00]+$")]
Method = Literal["unannounced", "phone", "camera", "on_site", "survey"]


# --------------------------------------------------------------------------- schemas


class GroupMemberOut(Schema):
    id: int  # the user's id: DELETE .../members/{id}
    username: str
    member: str | None  # the member code of the login, if any


class GroupOut(Schema):
    code: str
    name: str
    organizations: list[str]
    inspections: int


class FindingOut(Schema):
    id: int
    member: str
    member_name: str
    item: str
    item_name: str
    evidence_text: str
    evidence_file: str | None  # the page serving the file (/supervision/findings/{id}/file/)
    entry: str | None  # the ledger entry it recorded
    created_at: datetime.datetime


class InspectionOut(Schema):
    code: str
    group: str
    organization: str
    organization_name: str
    date: datetime.date
    method: str
    findings: str
    recorded_by: str | None
    items: list[FindingOut]  # the members found at fault


class InspectionDetailOut(InspectionOut):
    frozen_notice: str | None  # the inspected organisation's year is final: no findings


class GroupDetailOut(GroupOut):
    members: list[GroupMemberOut]
    inspection_register: list[InspectionOut]  # 督查台账: every inspection, the newest first


class GroupIn(Schema):
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    users: list[Username] = Field(..., min_length=1, max_length=1000)  # supervisors, admins
    organizations: list[Code] = Field(..., min_length=1, max_length=1000)


class InspectionIn(Schema):
    organization: Code  # one the group is assigned to (or under it)
    date: datetime.date
    method: Method
    findings: Annotated[Text, Field(min_length=1)]


class MemberIn(Schema):
    person: Annotated[Text, Field(min_length=1, max_length=150)]  # username or member code


class FindingIn(Schema):
    member: Code
    item: Code  # a deduction item of the inspection's year
    evidence_text: Annotated[Text, Field(min_length=1)]


# --------------------------------------------------------------------------- outputs


def finding_out(f: Finding) -> dict:
    return {
        "id": f.pk,
        "member": f.member.code,
        "member_name": f.member.name,
        "item": f.item.code,
        "item_name": f.item.name,
        "evidence_text": f.evidence_text,
        "evidence_file": reverse("inspections:file", args=[f.pk]) if f.evidence_file else None,
        "entry": f.entry.code if f.entry is not None else None,
        "created_at": f.created_at,
    }


def inspection_out(i: Inspection, findings: list[Finding]) -> dict:
    return {
        "code": i.code,
        "group": i.group.code,
        "organization": i.organization.code,
        "organization_name": i.organization.name,
        "date": i.date,
        "method": i.method,
        "findings": i.findings,
        "recorded_by": i.recorded_by.get_username() if i.recorded_by else None,
        "items": [finding_out(f) for f in findings],
    }


def group_out(g: SupervisionGroup) -> dict:
    return {
        "code": g.code,
        "name": g.name,
        "organizations": [o.code for o in g.organizations.order_by("path")],
        "inspections": g.n_inspections if hasattr(g, "n_inspections") else g.inspections.count(),
    }


def group_detail_out(actor, group: SupervisionGroup) -> dict:
    register = selectors.group_register(actor=actor, group=group)
    members = group.users.select_related("member").order_by("username")
    return group_out(group) | {
        "members": [
            {
                "id": u.pk,
                "username": u.username,
                "member": getattr(getattr(u, "member", None), "code", None),
            }
            for u in members
        ],
        "inspection_register": [inspection_out(i, list(i.items.all())) for i in register],
    }


def _admin_group(actor, code: str) -> SupervisionGroup:
    """A group for a committee admin (404 unseen, 403 seen but not an admin), as the page."""
    group = selectors.group_access_by_code(actor=actor, code=code)
    services._require_admin(actor)
    return group


# --------------------------------------------------------------------------- groups


@router.get("/supervision/groups", response={200: list[GroupOut], **READ_ERRORS})
@paginate(Page)
def groups(request: AuthedRequest):
    """The supervision groups the user may see (committee admins: all; supervisors: their
    own; other staff: none); 404 for those who are no staff, as the page."""
    visible = selectors.groups_for_staff(actor=request.auth).prefetch_related("organizations")
    return [group_out(g) for g in visible]


@router.post("/supervision/groups", response={201: GroupDetailOut, **WRITE_ERRORS})
def group_create(request: AuthedRequest, payload: GroupIn):
    """Found a group (committee admins; 403 for other staff): its members by username
    (each a supervisor or a committee admin) and the organisations it supervises."""
    actor = request.auth
    selectors.groups_for_staff(actor=actor)
    services._require_admin(actor)
    candidates = {u.username: u for u in selectors.supervisor_candidates()}
    unknown = [name for name in payload.users if name not in candidates]
    if unknown:
        raise ValidationError(
            {
                "users": _("以下用户不是专项督查组成员角色：%(names)s")
                % {"names": "、".join(unknown)}
            }
        )
    organizations = list(Organization.objects.filter(code__in=payload.organizations))
    missing = sorted(set(payload.organizations) - {o.code for o in organizations})
    if missing:
        raise ValidationError(
            {"organizations": _("找不到组织：%(codes)s") % {"codes": "、".join(missing)}}
        )
    group = services.group_create(
        actor=actor,
        name=payload.name,
        users=[candidates[name] for name in dict.fromkeys(payload.users)],
        organizations=organizations,
    )
    return 201, group_detail_out(actor, group)


@router.get("/supervision/groups/{code}", response={200: GroupDetailOut, **READ_ERRORS})
def group(request: AuthedRequest, code: Code):
    """A group, its members and its register (督查台账) with every inspection's findings."""
    actor = request.auth
    return group_detail_out(actor, selectors.group_access_by_code(actor=actor, code=code))


@router.post(
    "/supervision/groups/{code}/inspections", response={201: InspectionOut, **WRITE_ERRORS}
)
def group_inspection_record(request: AuthedRequest, code: Code, payload: InspectionIn):
    """Record an inspection of one of the group's organisations (its members and committee
    admins; 403 for others who see the group)."""
    actor = request.auth
    group = selectors.group_access_by_code(actor=actor, code=code)
    organization = Organization.objects.filter(
        path__in=selectors.group_paths(group), code=payload.organization
    ).first()
    if organization is None:
        services._require_recorder(actor, group)
        raise ValidationError(
            {
                "organization": _("督查组“%(group)s”没有负责 %(org)s。")
                % {"group": group.name, "org": payload.organization}
            }
        )
    inspection = services.inspection_record(
        actor=actor,
        group=group,
        organization=organization,
        date=payload.date,
        method=payload.method,
        findings=payload.findings,
    )
    return 201, inspection_out(inspection, [])


@router.post("/supervision/groups/{code}/members", response={201: GroupDetailOut, **WRITE_ERRORS})
def group_member_add(request: AuthedRequest, code: Code, payload: MemberIn):
    """Add a person (username or member code) to the group: they get the supervisor role
    over its organisations (committee admins). 422 when already a member or not found."""
    actor = request.auth
    group = _admin_group(actor, code)
    user = person_for_grant(actor=actor, person=payload.person)
    if user is None:  # it names the person it cannot find; kept for the type
        raise ValidationError(
            {"person": _("找不到账号或党员“%(person)s”。") % {"person": payload.person}}
        )
    services.group_member_add(actor=actor, group=group, user=user)
    return 201, group_detail_out(actor, group)


@router.delete("/supervision/groups/{code}/members/{id}", response={204: None, **WRITE_ERRORS})
def group_member_remove(request: AuthedRequest, code: Code, id: UserId):  # noqa: A002
    """Remove a member (the user's id, as in ``members``): their supervisor role over the
    group's organisations goes too, where no other group of theirs covers them."""
    actor = request.auth
    group = _admin_group(actor, code)
    user = group.users.filter(pk=id).first()
    if user is None:
        raise Http404(_("督查组中没有这名成员。"))
    services.group_member_remove(actor=actor, group=group, user=user)
    return 204, None


# --------------------------------------------------------------------------- inspections


@router.get("/supervision/inspections/{code}", response={200: InspectionDetailOut, **READ_ERRORS})
def inspection(request: AuthedRequest, code: Code):
    """An inspection and its findings (each with its evidence file's page)."""
    found = selectors.inspection_access_by_code(actor=request.auth, code=code)
    notice = frozen_notice(year=found.date.year, branch=found.organization)
    findings = selectors.inspection_findings(inspection=found)
    return inspection_out(found, findings) | {"frozen_notice": notice}


@router.post("/supervision/inspections/{code}/findings", response={201: FindingOut, **WRITE_ERRORS})
def inspection_finding_record(
    request: AuthedRequest,
    code: Code,
    payload: Form[FindingIn],
    evidence_file: File[UploadedFile | None] = None,
):
    """Record a member found at fault (multipart form: the fields, and ``evidence_file``:
    PDF, JPG, PNG, DOCX or XLSX, at most 10 MB): one deduction entry in the ledger. The
    group's members and committee admins (403 for others who see it); 422 for a member
    not under the inspected organisation, an item that is no deduction applying to them,
    the same member and item twice, or a final year."""
    actor = request.auth
    found = selectors.inspection_access_by_code(actor=actor, code=code)
    notice = frozen_notice(year=found.date.year, branch=found.organization)
    if notice is not None:
        services._require_recorder(actor, found.group)
        raise ValidationError(notice)
    members, items = selectors.finding_choices(inspection=found)
    member = members.filter(code=payload.member).first()
    item = items.filter(code=payload.item).first() if member is not None else None
    if member is None or item is None:
        services._require_recorder(actor, found.group)
        if member is None:
            raise ValidationError(
                {
                    "member": _("%(org)s 下没有党员 %(member)s。")
                    % {"org": found.organization.name, "member": payload.member}
                }
            )
        raise ValidationError(
            {"item": _("没有可用于督查发现的扣分指标 %(item)s。") % {"item": payload.item}}
        )
    finding = services.finding_record(
        actor=actor,
        inspection=found,
        member=member,
        item=item,
        evidence_text=payload.evidence_text,
        evidence_file=evidence_file,
    )
    return 201, finding_out(finding)
