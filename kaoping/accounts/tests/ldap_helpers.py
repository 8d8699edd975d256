"""Pointing the settings at the test directory (kaoping/testing/slapd.py), built by the same
function base.py uses on the environment."""

from django.conf import settings
from django.test import override_settings

from config.settings.directory import directory_backends, directory_settings
from kaoping.testing.slapd import Directory


def directory_on(slapd: Directory, **env: str) -> override_settings:
    values = {"KAOPING_LDAP_URL": slapd.url, "KAOPING_LDAP_SEARCH_BASE": slapd.search_base}
    values.update(env)
    return override_settings(
        AUTHENTICATION_BACKENDS=directory_backends(settings.AUTHENTICATION_BACKENDS, True),
        **directory_settings(values),
    )


def sign_in(client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def signed_in_id(client) -> str | None:
    return client.session.get("_auth_user_id")
