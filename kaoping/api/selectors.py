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


def token_for_raw(raw: str) -> ApiToken | None:
    """The active token (not revoked, not expired, of an active user) a raw bearer token
    is, or ``None``."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    return token


def user_for_token(raw: str) -> Any:
    """The active user a raw bearer token belongs to, or ``None`` (unknown, revoked,
    expired, inactive user)."""
    token = token_for_raw(raw)
    return token.user if token is not None else None


def token_touch(token: ApiToken, ip: str | None) -> None:
    """Mark the token used now from ``ip``: at most once a minute per token (not a write
    per request); bookkeeping of the authentication, not an audited change."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
