"""Reads of the accounts app, scoped by ``actor``."""

from django.db.models import QuerySet

from kaoping.orgs.models import RoleAssignment

from .models import AccountState, SignIn

SIGN_INS_SHOWN = 20
# The session key saying this session must change its password first (middleware.py).
MUST_CHANGE_KEY = "kaoping_must_change_password"


def must_change_password(user) -> bool:
    """Whether ``user`` must set their own password before anything else."""
    return AccountState.objects.filter(user=user, must_change_password=True).exists()


def own_roles(*, actor) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user=actor)
        .select_related("organization")
        .order_by("organization__path", "role")
    )


def own_sign_ins(*, actor) -> QuerySet[SignIn]:
    return SignIn.objects.filter(user=actor).order_by("-at", "-id")[:SIGN_INS_SHOWN]
