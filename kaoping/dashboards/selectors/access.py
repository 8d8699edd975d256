"""Whose dashboard a user may see, and which one they land on."""

from __future__ import annotations

from kaoping.annotations import Actor
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import branches_visible, member_access_by_code, own_member, scope_for


def member_access_for_dashboard(*, actor: Actor, code: str | None) -> Member:
    """The member (own dashboard when ``code`` is None): the member themself or an officer
    who reads their branch; 404 for everybody else."""
    if code is None:
        return own_member(actor=actor)
    return member_access_by_code(actor=actor, code=code)


def dashboard_home(*, actor: Actor) -> tuple[str, str | None]:
    """Which dashboard a user lands on: ("committee"|"branch"|"member"|"none", branch code)."""
    scope = scope_for(actor)
    if scope.is_staff_role:
        codes = list(
            branches_visible(actor=actor).order_by("path").values_list("code", flat=True)[:2]
        )
        if len(codes) == 1:
            return "branch", codes[0]
        return "committee", None
    if scope.member_id is not None:
        return "member", None
    return "none", None
