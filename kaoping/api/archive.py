"""The archive through the API: a member's archive (党员台账), a branch roster (党员名册)
and the members out of contact, masked as their pages mask them."""

from ninja import Router
from ninja.pagination import paginate

from kaoping.archive.selectors import (
    lost_contacts_open,
    member_archive,
    member_for_archive,
    roster_lines,
)
from kaoping.orgs.selectors import branch_for_staff

from .auth import AuthedRequest
from .common import READ_ERRORS
from .pagination import Page
from .schemas import Code, ErrorOut, MemberArchiveOut, OpenLostContactOut, RosterLineOut

router = Router()

_PROFILE_DATES = frozenset({"birth_date", "joined_on", "full_member_on"})


def _profile_row(values: dict, profile) -> dict:
    """``values`` as ``archive.selectors.profile_values`` made them for this reader (masked
    there or not at all), dates as dates and the gender also as its code."""
    row = {f: (v or None) if f in _PROFILE_DATES else v for f, v in values.items()}
    row["gender_label"] = row["gender"]
    row["gender"] = profile.gender if profile is not None else ""
    return row


def _member_row(member) -> dict:
    return {
        "code": member.code,
        "name": member.name,
        "branch": member.branch.code,
        "membership": member.membership,
        "status": member.status,
    }


@router.get(
    "/members/{code}/archive", response={200: MemberArchiveOut, **READ_ERRORS}, tags=["archive"]
)
def member_archive_view(request: AuthedRequest, code: Code):
    """A member's archive (党员台账), for whoever may open its page and masked as there."""
    return archive_out(request.auth, member_for_archive(actor=request.auth, code=code))


def archive_out(actor, subject) -> dict:
    """A member's archive as ``MemberArchiveOut``, as ``actor`` may see it (also the
    answer of the archive's writes in ``kaoping/archive/api.py``)."""
    archive = member_archive(actor=actor, member=subject)
    return _member_row(subject) | {
        "personal_data_full": archive.full,
        "profile": _profile_row(archive.values, archive.profile),
        "changes": archive.changes,
        "transfers": archive.transfers,
        "lost_contacts": archive.lost_contacts,
        "investigations": archive.investigations,
        "exemptions": archive.exemptions,
    }


@router.get(
    "/branches/{code}/roster", response={200: list[RosterLineOut], **READ_ERRORS}, tags=["archive"]
)
@paginate(Page)
def roster(request: AuthedRequest, code: Code):
    """A branch roster (党员名册) for those who keep or read the branch as staff, masked
    as the roster page masks it (in full for the committee and the org department)."""
    branch = branch_for_staff(actor=request.auth, code=code)
    return [
        _member_row(line.member)
        | {"profile": _profile_row(line.values, getattr(line.member, "profile", None))}
        for line in roster_lines(actor=request.auth, org=branch)
    ]


@router.get(
    "/archive/lost-contact",
    response={200: list[OpenLostContactOut], 403: ErrorOut, **READ_ERRORS},
    tags=["archive"],
)
@paginate(Page)
def lost_contacts(request: AuthedRequest):
    """Members out of contact now (失联党员) in the user's scope, longest first; staff only."""
    return lost_contacts_open(actor=request.auth)
