from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token for programs using the JSON API (接口令牌).

    Only the SHA-256 of the token is stored; the raw token is shown once, when it is
    created (``kaoping create-api-token``). ``prefix`` (its first 8 characters) lets a
    person tell their tokens apart. A revoked token is kept, and refused.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    # The address of that use; both written at most once a minute (selectors.token_touch).
    last_used_ip = models.GenericIPAddressField(_("最近使用地址"), null=True, blank=True)
    # A read-only token reads only: any write with it is a 403 ``read_only_token``.
    read_only = models.BooleanField(_("只读"), default=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    # Refused from this moment on; tokens made before expiries existed never expire.
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name} ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class IdempotentAnswer(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key`` (docs/api.md), kept 24
    hours per (user, key): a retry of the same request (method, path, body hash) gets it
    again without the write running twice. ``status`` 0 while the first request runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotent_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}] {self.status}"
