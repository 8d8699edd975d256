"""The page of a login without any role and without a member record (issue 16): not an
empty site but who they are and whom to ask (the committee admins of the deployment)."""

from dataclasses import dataclass

from django.shortcuts import render

from kaoping.orgs.models import Member, RoleAssignment
from kaoping.orgs.selectors import scope_for

CONTACTS_MAX = 20


@dataclass(frozen=True)
class Contact:
    organization: str
    name: str


def has_no_access(actor) -> bool:
    """Signed in, not a superuser, no role and no member record."""
    scope = scope_for(actor)
    return (
        actor.is_authenticated
        and not scope.everything
        and not scope.roles
        and scope.member_id is None
    )


def committee_contacts() -> list[Contact]:
    """The committee admins (active logins) to ask, by their member name when they have
    one, else the name on the login; one query."""
    rows = (
        RoleAssignment.objects.filter(
            role=RoleAssignment.Role.COMMITTEE_ADMIN, user__is_active=True
        )
        .select_related("organization", "user", "user__member")
        .order_by("organization__path", "user__username")[:CONTACTS_MAX]
    )
    contacts = []
    for row in rows:
        user = row.user
        try:
            name = user.member.name
        except Member.DoesNotExist:
            name = user.get_full_name() or user.username
        contacts.append(Contact(organization=row.organization.name, name=name))
    return contacts


def no_access_page(request):
    context = {"contacts": committee_contacts(), "login_name": request.user.get_username()}
    return render(request, "web/no_role.html", context)
