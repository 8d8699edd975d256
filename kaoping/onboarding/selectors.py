"""Reads of the guided start (首次使用向导): how far the installation is set up and who may
run the guide.

Who: a superuser, a committee admin, or, while no organisation exists at all, the first
user of the installation (the lowest id: the account made with ``kaoping createsuperuser``
or the first one created), who becomes the committee's admin when creating it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Exists
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import Scheme

# A branch's roster page with its import form, once the archive app provides it.
ROSTER_IMPORT = "archive:roster"


@dataclass(frozen=True)
class SetupState:
    committee: Organization | None
    branches: list[Organization]
    scheme: Scheme | None
    members: int

    @property
    def complete(self) -> bool:
        return bool(self.committee and self.branches and self.scheme)


def setup_state() -> SetupState:
    committee = Organization.objects.filter(kind=Organization.Kind.COMMITTEE).order_by("pk").first()
    branches = list(Organization.objects.filter(kind=Organization.Kind.BRANCH).order_by("path"))
    return SetupState(
        committee=committee,
        branches=branches,
        scheme=Scheme.objects.order_by("-year").first(),
        members=Member.objects.count(),
    )


def setup_complete() -> bool:
    """One query: a branch exists and a scheme exists."""
    return (
        Organization.objects.filter(kind=Organization.Kind.BRANCH)
        .filter(Exists(Scheme.objects.all()))
        .exists()
    )


def _is_first_user(actor: User) -> bool:
    first = get_user_model().objects.order_by("pk").values_list("pk", flat=True).first()
    return first == actor.pk


def may_run_setup(*, actor: Actor) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser or scope_for(actor).is_scheme_admin:
        return True
    return not Organization.objects.exists() and _is_first_user(actor)


def setup_access(*, actor: Actor) -> None:
    """The guide for whoever may run it; the same 404 as a missing page for everybody else."""
    if not may_run_setup(actor=actor):
        raise Http404(_("找不到这个页面。"))


def setup_needed(*, actor: Actor) -> bool:
    """Send ``actor`` to the guide: they may run it and it is not finished."""
    scope = scope_for(actor)
    if getattr(actor, "is_superuser", False) or scope.is_scheme_admin:
        return not setup_complete()
    if scope.is_staff_role or scope.member_id is not None:
        return False
    return may_run_setup(actor=actor)


def roster_urls(state: SetupState) -> list[tuple[Organization, str]]:
    """Per branch: the archive's roster import page once that app provides it, else the
    branch page's add-member form."""
    links = []
    for branch in state.branches:
        try:
            url = reverse(ROSTER_IMPORT, args=[branch.code])
        except NoReverseMatch:
            url = reverse("web:branch", args=[branch.code]) + "#add-member"
        links.append((branch, url))
    return links


def default_year() -> int:
    return timezone.localdate().year
