"""Writes of the web app: a user's two-factor (TOTP) device (两步验证).

A device is created unconfirmed when the user opens the enrolment page, and counts only
once a token from the authenticator app confirms it. Tokens are checked outside the
transaction, so django-otp's failure throttle is kept even when the service refuses.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record

from .selectors import two_factor_allowed, two_factor_device

DEVICE_NAME = "authenticator"


def _require_allowed(actor: Actor) -> None:
    if not two_factor_allowed(actor):
        raise PermissionDenied(_("两步验证只供党组织工作人员使用。"))


def _checked(device: TOTPDevice, token: str) -> None:
    token = (token or "").strip()
    if not token.isdigit() or not device.verify_token(token):
        raise ValidationError({"token": _("动态口令不正确或已过期，请输入验证器上的最新口令。")})


def totp_device_pending(*, actor: Actor) -> TOTPDevice:
    """The user's unconfirmed device for enrolment (a new secret the first time)."""
    _require_allowed(actor)
    if two_factor_device(actor) is not None:
        raise ValidationError(_("已启用两步验证。"))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, actor: Actor, token: str) -> TOTPDevice:
    """Enrolment: the first token from the app confirms the device; from now on the
    login asks for a token."""
    device = totp_device_pending(actor=actor)
    _checked(device, token)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        audit_record(actor=actor, action="two_factor.enable", target=actor)
    return device


def totp_device_remove(*, actor: Actor, token: str) -> None:
    """Turn two-factor login off, proven by a current token."""
    device = two_factor_device(actor)
    if device is None:
        raise ValidationError(_("尚未启用两步验证。"))
    _checked(device, token)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        audit_record(actor=actor, action="two_factor.disable", target=actor)
