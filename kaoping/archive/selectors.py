"""Reads of the member archive, scoped by the actor, with personal data masked unless the
actor's role needs it (``personal_data_full``; docs/archive.md)."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.models import Member, Organization, RoleAssignment
from kaoping.orgs.roles import secretary_paths
from kaoping.orgs.selectors import (
    member_access_by_code,
    members_visible,
    scope_for,
)
from kaoping.schemes.models import ItemExemption, Scheme, SchemeItem

from .masking import masked
from .models import (
    PERSONAL_FIELDS,
    PROFILE_FIELDS,
    Investigation,
    LostContact,
    MemberChange,
    MemberProfile,
    Transfer,
)

Role = RoleAssignment.Role
FULL_ROLES = frozenset({Role.COMMITTEE_ADMIN, Role.ORG_DEPARTMENT})


def personal_data_full(
    *, actor: Actor, member: Member | None = None, own_page: bool = False
) -> bool:
    """Whether ``actor`` sees ID and phone numbers in full.

    Committee admins and the organisation department: everywhere they can read. The
    member's own branch secretary, and the member themself: on the member's own archive
    page only. Everyone else, and every list and export of a secretary: masked. This is
    the secretary personally (``Role.SECRETARY``): a 支委 keeps the branch but sees the
    personal data masked.
    """
    scope = scope_for(actor)
    if scope.everything:
        return True
    full_paths = _paths_with_roles(actor, FULL_ROLES)
    if member is None:
        return bool(full_paths)
    path = member.branch.path
    if any(path.startswith(p) for p in full_paths):
        return True
    if own_page:
        return scope.member_id == member.id or (
            Role.SECRETARY in scope.roles
            and any(path.startswith(p) for p in secretary_paths(actor))
        )
    return False


def _paths_with_roles(actor: Actor, roles: Any) -> set[str]:
    cached: set[str] | None = getattr(actor, "_kaoping_full_paths", None)
    if cached is None:
        cached = set(
            RoleAssignment.objects.filter(user=actor, role__in=roles).values_list(
                "organization__path", flat=True
            )
        )
        setattr(actor, "_kaoping_full_paths", cached)  # noqa: B010 - not a User field
    return cached


def organization_full_for(*, actor: Actor, org: Organization) -> bool:
    """Whether ``actor`` sees personal data in full across ``org`` (lists and exports)."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    return any(org.path.startswith(p) for p in _paths_with_roles(actor, FULL_ROLES))


def member_for_archive(*, actor: Actor, code: str, manage: bool = False) -> Member:
    return member_access_by_code(actor=actor, code=code, manage=manage)


def _display(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def profile_values(profile: MemberProfile | None, *, full: bool) -> dict:
    """The profile's fields as display text, personal fields masked unless ``full``."""
    values = {}
    for f in PROFILE_FIELDS:
        value = getattr(profile, f, None) if profile is not None else None
        if f == "gender" and value and profile is not None:
            value = profile.get_gender_display()
        text = _display(value)
        values[f] = text if full else masked(f, text)
    return values


@dataclass
class MemberArchive:
    member: Member
    profile: MemberProfile | None
    values: dict
    full: bool
    changes: list = field(default_factory=list)
    transfers: list = field(default_factory=list)
    lost_contacts: list = field(default_factory=list)
    investigations: list = field(default_factory=list)
    exemptions: list = field(default_factory=list)


def member_archive(*, actor: Actor, member: Member) -> MemberArchive:
    """Everything of one member's archive page; the caller has checked access."""
    full = personal_data_full(actor=actor, member=member, own_page=True)
    profile = MemberProfile.objects.filter(member=member).first()
    changes = list(MemberChange.objects.filter(member=member).select_related("actor")[:500])
    for change in changes:
        if change.field in PERSONAL_FIELDS and not full:
            change.old = masked(change.field, change.old)
            change.new = masked(change.field, change.new)
    return MemberArchive(
        member=member,
        profile=profile,
        values=profile_values(profile, full=full),
        full=full,
        changes=changes,
        transfers=list(
            Transfer.objects.filter(member=member).select_related("from_branch", "to_branch")
        ),
        lost_contacts=list(LostContact.objects.filter(member=member)),
        investigations=list(Investigation.objects.filter(member=member)),
        exemptions=_with_item_names(
            list(ItemExemption.objects.filter(member=member).order_by("item_code"))
        ),
    )


def open_lost_contact(member: Member) -> LostContact | None:
    return LostContact.objects.filter(member=member, found_on=None).first()


def open_investigation(member: Member) -> Investigation | None:
    return Investigation.objects.filter(member=member, decided_on=None).first()


def roster_members(*, actor: Actor, org: Organization) -> QuerySet[Member]:
    """Members of ``org`` and its subtree that ``actor`` may see, with their profiles."""
    return (
        members_visible(actor=actor)
        .filter(branch__path__startswith=org.path)
        .select_related("branch", "profile")
        .order_by("branch__path", "code")
    )


@dataclass(frozen=True)
class RosterLine:
    member: Member
    values: dict


def roster_lines(*, actor: Actor, org: Organization) -> list[RosterLine]:
    """The roster of ``org`` for a page or an export, masked unless the role needs it."""
    full = organization_full_for(actor=actor, org=org)
    return [
        RosterLine(m, profile_values(getattr(m, "profile", None), full=full))
        for m in roster_members(actor=actor, org=org)
    ]


def branch_exemptions(*, actor: Actor, branch: Organization) -> list[ItemExemption]:
    """Who in the branch is exempt from what (the branch page's list)."""
    if not scope_for(actor).reads(branch.path):
        return []
    return _with_item_names(
        list(
            ItemExemption.objects.filter(member__branch=branch)
            .select_related("member")
            .order_by("member__code", "item_code")
        )
    )


def _with_item_names(exemptions: list[ItemExemption]) -> list[ItemExemption]:
    """Exemptions name an item by code; show the name it has in the latest scheme."""
    scheme = Scheme.objects.order_by("-year").first()
    names = {}
    if scheme is not None and exemptions:
        names = dict(
            SchemeItem.objects.filter(
                scheme=scheme, code__in={e.item_code for e in exemptions}
            ).values_list("code", "name")
        )
    for e in exemptions:
        setattr(e, "item_name", names.get(e.item_code, ""))  # noqa: B010 - for the page
    return exemptions


def exemption_access_by_id(*, actor: Actor, id: int) -> ItemExemption:  # noqa: A002 - house style
    exemption = ItemExemption.objects.select_related("member__branch").filter(pk=id).first()
    if exemption is None:
        raise Http404(_("找不到这条免予考评记录。"))
    member_access_by_code(actor=actor, code=exemption.member.code, manage=True)
    return exemption


def lost_contacts_open(*, actor: Actor) -> list[LostContact]:
    """Members out of contact now, in the actor's scope (the committee's list)."""
    if not scope_for(actor).is_staff_role:
        raise PermissionDenied(_("只有党组织工作人员可以查看失联党员名单。"))
    visible = members_visible(actor=actor).values("id")
    return list(
        LostContact.objects.filter(found_on=None, member__in=visible)
        .select_related("member__branch")
        .order_by("since", "member__code")
    )


def lost_since(*, actor: Actor, org: Organization) -> dict:
    """member id -> the day an open lost-contact record began, within ``org``."""
    visible = roster_members(actor=actor, org=org).values("id")
    return dict(
        LostContact.objects.filter(found_on=None, member__in=visible).values_list(
            "member_id", "since"
        )
    )


def transfer_branches() -> QuerySet[Organization]:
    """The branches a member may be transferred to (the transfer form's and the API's)."""
    return Organization.objects.filter(kind=Organization.Kind.BRANCH).order_by("path")


def exemption_items() -> QuerySet[SchemeItem]:
    """The items a member may be exempted from: the deductions of the latest scheme."""
    scheme = Scheme.objects.order_by("-year").first()
    if scheme is None:
        return SchemeItem.objects.none()
    return SchemeItem.objects.filter(scheme=scheme, kind=SchemeItem.Kind.DEDUCTION)


def exemption_of(*, member: Member, item_code: str) -> ItemExemption:
    """The member's exemption from an item (one per item), for a manager who has the
    member already (``member_for_archive(manage=True)``); 404 when there is none."""
    exemption = (
        ItemExemption.objects.select_related("member__branch")
        .filter(member=member, item_code=item_code)
        .first()
    )
    if exemption is None:
        raise Http404(_("找不到这条免予考评记录。"))
    return exemption
