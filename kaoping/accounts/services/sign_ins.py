"""Recording sign-ins (登录记录); called from the login signals."""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest
from django.utils import timezone

from ..models import SignIn


def _address(request: HttpRequest) -> str | None:
    address = get_client_ip_address(request)
    try:
        validate_ipv46_address(address or "")
    except ValidationError:
        return None
    return address


def sign_in_record(*, user: User, request: HttpRequest, succeeded: bool, method: str) -> SignIn:
    """One sign-in attempt of ``user``; rows older than ``KAOPING_SIGN_IN_DAYS`` go."""
    now = timezone.now()
    SignIn.objects.filter(
        user=user, at__lt=now - timedelta(days=settings.KAOPING_SIGN_IN_DAYS)
    ).delete()
    return SignIn.objects.create(
        user=user, at=now, ip_address=_address(request), succeeded=succeeded, method=method[:32]
    )
