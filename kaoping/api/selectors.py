"""Small reads the API needs that the lower apps do not offer (yet)."""

import hashlib
from datetime import timedelta
from typing import Any

from django.utils import timezone

from kaoping.annotations import Actor
from kaoping.orgs.models import Member, RoleAssignment

from .models import ApiToken

# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def roles_of(*, actor: Actor) -> list[tuple[str, str]]:
    """(role, organisation code) pairs of ``actor`` itself."""
    if actor is None or not actor.is_authenticated:
        return []
    return list(
        RoleAssignment.objects.filter(user=actor)
        .order_by("organization__path", "role")
        .values_list("role", "organization__code")
    )


def member_code_of(*, actor: Actor) -> str | None:
    """The code of ``actor``'s own member record, if they have one."""
    if actor is None or not actor.is_authenticated:
        return None
    return Member.objects.filter(user=actor).values_list("code", flat=True).first()


def user_for_token(raw: str) -> Any:
    """The active user a raw bearer token belongs to, or ``None`` (unknown, revoked,
    inactive user). Marks the token as used."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
