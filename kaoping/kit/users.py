"""The user a record names as its author."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def user_or_none(actor):
    """``actor`` when it is a signed-in user; None for a system job or an anonymous caller
    (records keep "by whom" only for real users)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def author_field() -> "models.ForeignKey[User | None, User | None]":
    """The field of a record naming who made, marked or decided it (``user_or_none``):
    empty for a system job, kept when the login is deleted, no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
