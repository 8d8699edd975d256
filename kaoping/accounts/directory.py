"""Single sign-on: the authentication backend that checks a password against the LDAP /
Active Directory server (django-python3-ldap, docs/decisions.md) and maps the directory
user to a Kaoping login (``services.directory.directory_sign_in``).

django-python3-ldap binds as the user (which checks the password), rebinds as the service
account when one is configured, and searches the user's entry; the library's own step
that creates or updates a Django user by the directory username is not used, since
Kaoping maps by employee number, mobile or username and never lets the directory rename
or take over an existing login.
"""

import logging
import re

from asgiref.sync import sync_to_async
from django.conf import settings
from django_python3_ldap import ldap
from django_python3_ldap.auth import LDAPBackend
from django_python3_ldap.utils import (
    format_username_active_directory,
    format_username_openldap,
)

from .services.directory import DirectoryEntry, directory_sign_in

logger = logging.getLogger(__name__)

# A directory login name as people type it: letters (any script), digits and . _ @ + -.
# Anything else (a DN, a filter, DOMAIN\\user) is refused before the directory is asked.
LOGIN_NAME = re.compile(r"[\w.@+-]{1,64}")
NAME_MAX = 150


def bind_name(model_fields: dict) -> str:
    """The name django-python3-ldap binds with (LDAP_AUTH_FORMAT_USERNAME): the service
    account's DN as configured, a user as DOMAIN\\name on Active Directory or as
    ``<attribute>=<name>,<search base>`` on OpenLDAP."""
    name = model_fields["username"]
    if name and name == settings.LDAP_AUTH_CONNECTION_USERNAME:
        return name
    if settings.LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN:
        return format_username_active_directory(model_fields)
    return format_username_openldap(model_fields)


def _first(attributes: dict, name: str) -> str:
    value = attributes.get(name)
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value or "").strip()


def directory_entry(login: str, password: str) -> DirectoryEntry | None:
    """The directory's entry of ``login`` if ``password`` is its password, else None."""
    with ldap.connection(username=login, password=password) as conn:
        if conn is None:  # unreachable, or the bind (the password) was refused
            return None
        if not conn.has_user(username=login):
            return None
        # has_user leaves the found entry as the connection's response.
        attributes = conn._connection.response[0]["attributes"]
    login_attribute = settings.LDAP_AUTH_USER_FIELDS["username"]
    return DirectoryEntry(
        # The directory's own spelling: logins are case-insensitive there.
        login=_first(attributes, login_attribute)[:64] or login,
        match_value=_first(attributes, settings.KAOPING_LDAP_MATCH_ATTRIBUTE)[:NAME_MAX],
        display_name=(_first(attributes, "displayName") or _first(attributes, "cn"))[:NAME_MAX],
    )


class DirectoryBackend(LDAPBackend):
    """After django-axes, before the local passwords (config/settings/directory.py)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not getattr(settings, "KAOPING_LDAP_URL", "") or not password:
            return None
        if not isinstance(username, str) or not LOGIN_NAME.fullmatch(username):
            return None
        try:
            entry = directory_entry(username, password)
        except Exception:  # noqa: BLE001 - a broken directory must not stop local logins
            logger.exception("directory login of %s failed", username)
            return None
        if entry is None:
            return None
        user = directory_sign_in(entry=entry)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )
