"""Writes of API tokens: create one (the raw token is returned once) and revoke one; and the
stored answers of writes sent with an ``Idempotency-Key`` (``idempotency.py``)."""

import datetime
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record

from .errors import ApiError
from .models import ApiToken, IdempotentAnswer
from .selectors import token_hash

TOKEN_PREFIX = "kp_"  # noqa: S105 - a marker, not a secret


def _require_owner_or_superuser(actor: Actor, user: User) -> None:
    """``actor=None`` is the system itself (the management command)."""
    if actor is None:
        return
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("您只能管理自己的 API 令牌。"))


@transaction.atomic
def api_token_create(
    *,
    actor: Actor,
    user: User,
    name: str,
    expires_at: datetime.datetime | None = None,
    read_only: bool = False,
) -> tuple[ApiToken, str]:
    """Create a bearer token for ``user``; returns the token and the raw key, which is
    stored nowhere and cannot be shown again. From ``expires_at`` on it is refused; a
    ``read_only`` token is refused on every write."""
    _require_owner_or_superuser(actor, user)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("API 令牌须填写名称。")})
    if not user.is_active:
        raise ValidationError(
            {"user": _("用户“%(username)s”已停用。") % {"username": user.get_username()}}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("有效期须晚于现在。")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        key_hash=token_hash(raw),
        prefix=raw[:8],
        expires_at=expires_at,
        read_only=read_only,
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        action="api_token.create",
        target=token,
        after={"user": user.get_username(), "name": name, "prefix": token.prefix}
        | ({"expires_at": expires_at.isoformat()} if expires_at else {})
        | ({"read_only": True} if read_only else {}),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token: it is kept (for the record) and refused from now on."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _require_owner_or_superuser(actor, token.user)
    if token.revoked_at is not None:
        raise ValidationError(
            {"token": _("令牌 %(prefix)s… 已经撤销。") % {"prefix": token.prefix}}
        )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        target=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at.isoformat(), "prefix": token.prefix},
    )
    return token


# --------------------------------------------------------------------------- idempotency

IDEMPOTENCY_TTL = datetime.timedelta(hours=24)
# A first request that has not answered after this long died (a worker killed mid-write):
# its key may be claimed again.
IDEMPOTENCY_ABANDONED = datetime.timedelta(minutes=10)


def idempotent_claim(
    *, actor: User, key: str, method: str, path: str, body_hash: str
) -> tuple[IdempotentAnswer | None, IdempotentAnswer | None]:
    """Claim ``key`` for this request: ``(claim, None)`` when the request is the first (the
    write runs, then ``idempotent_keep`` stores its answer on the claim), ``(None, stored)``
    when it is a retry of an answered request. A key of another request is a 422
    ``idempotency_key_reused``; one whose first request is still running a 409
    ``conflict``. Expired answers (24 hours) are deleted here, before any claim."""
    now = timezone.now()
    IdempotentAnswer.objects.filter(created_at__lt=now - IDEMPOTENCY_TTL).delete()
    IdempotentAnswer.objects.filter(
        user=actor, key=key, status=0, created_at__lt=now - IDEMPOTENCY_ABANDONED
    ).delete()
    try:
        with transaction.atomic():
            claim = IdempotentAnswer.objects.create(
                user=actor, key=key, method=method, path=path, body_hash=body_hash
            )
    except IntegrityError:
        stored = IdempotentAnswer.objects.get(user=actor, key=key)
    else:
        return claim, None
    if (stored.method, stored.path, stored.body_hash) != (method, path, body_hash):
        raise ApiError(
            422,
            "idempotency_key_reused",
            _("这个 Idempotency-Key 已用于另一个请求；请为新的请求换一个键。"),
        )
    if stored.status == 0:
        raise ApiError(
            409, "conflict", _("使用这个 Idempotency-Key 的请求仍在处理中，请稍后再查看结果。")
        )
    return None, stored


def idempotent_keep(
    *, claim: IdempotentAnswer, status: int, content_type: str, body: bytes
) -> None:
    """Store the first answer on its claim; a server error is not kept (the claim is
    released, so a retry runs the write again)."""
    if status >= 500:
        IdempotentAnswer.objects.filter(pk=claim.pk).delete()
        return
    IdempotentAnswer.objects.filter(pk=claim.pk).update(
        status=status, content_type=content_type, body=body
    )
