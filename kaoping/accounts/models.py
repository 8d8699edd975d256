"""Logins of an organisation (账号): who may sign in, with which initial password, and how a
forgotten password is reset. Roles stay in ``orgs.RoleAssignment``; the person is ``Member``.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField
from kaoping.kit.users import author_field
from kaoping.orgs.models import Member, Organization


class AccountPolicy(models.Model):
    """账号规则: the deployment's login rules, chosen at setup (one row, for the committee)."""

    class UsernameRule(models.TextChoices):
        MEMBER_CODE = "member_code", _("党员编号")
        MOBILE = "mobile", _("手机号码")

    committee = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="account_policy"
    )
    username_rule = PlainCharField(
        _("用户名规则"),
        max_length=16,
        choices=UsernameRule.choices,
        default=UsernameRule.MEMBER_CODE,
    )

    def __str__(self) -> str:
        return self.get_username_rule_display()


class AccountState(models.Model):
    """账号状态: what Kaoping knows of a login beyond Django's user row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state"
    )
    # Set when the password was given by someone else (initial password, reset code):
    # nothing but the change-password page answers until the user chooses their own.
    must_change_password = models.BooleanField(default=False)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.user)


class SlipBatch(models.Model):
    """账号条批次: the logins issued in one action. The initial passwords are kept sealed
    (encrypted) only until the slips are downloaded, then erased; the hashes stay on the
    users as their passwords."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="slip_batches"
    )
    issued_by = author_field()
    issued_at = models.DateTimeField(auto_now_add=True)
    sealed = models.BinaryField(null=True, blank=True)
    expires_at = models.DateTimeField()
    pdf_downloaded_at = models.DateTimeField(null=True, blank=True)
    xlsx_downloaded_at = models.DateTimeField(null=True, blank=True)

    # Not stored: the logins ``logins_issue`` just made, with their passwords, on the batch
    # it returns (accounts.services.logins.IssuedLogin), once.
    issued: list[Any]

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.organization} {self.issued_at:%Y-%m-%d %H:%M}"


class SlipLine(models.Model):
    """One member's slip in a batch (without the password)."""

    batch = models.ForeignKey(SlipBatch, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    username = PlainCharField(max_length=150)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "member"], name="slip_line_once_per_batch")
        ]

    def __str__(self) -> str:
        return self.username


class ResetCode(models.Model):
    """重置码: a one-time code that lets a user set a new password; only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reset_codes"
    )
    code_hash = PlainCharField(max_length=128, unique=True)
    issued_by = author_field()
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")), name="reset_code_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%Y-%m-%d %H:%M}"


class SignIn(models.Model):
    """登录记录: one attempt to sign in, successful or not, shown to the user on /account/.
    Kept ``KAOPING_SIGN_IN_DAYS`` days."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins"
    )
    at = models.DateTimeField(_("时间"), db_index=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    succeeded = models.BooleanField(_("成功"))
    method = PlainCharField(_("方式"), max_length=32)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="sign_in_user_at")]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"
