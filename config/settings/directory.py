"""Single sign-on against an LDAP / Active Directory server (docs/accounts.md "Single
sign-on"), read from the environment. Off unless ``KAOPING_LDAP_URL`` is set.

``directory_settings`` returns the Django settings for a given environment, so base.py
and the tests (pointing at their own slapd) build them the same way.
"""

import ssl
from collections.abc import Mapping
from pathlib import Path

import ldap3
from django.core.exceptions import ImproperlyConfigured

BACKEND = "kaoping.accounts.directory.DirectoryBackend"
MATCHES = {"employee_number": "employeeNumber", "mobile": "mobile", "username": ""}
TRUE = {"1", "true", "yes", "on"}


def directory_settings(env: Mapping[str, str]) -> dict:
    url = env.get("KAOPING_LDAP_URL", "").strip()
    if not url:
        return {"KAOPING_LDAP_URL": ""}
    search_base = env.get("KAOPING_LDAP_SEARCH_BASE", "").strip()
    if not search_base:
        raise ImproperlyConfigured(
            "KAOPING_LDAP_URL needs KAOPING_LDAP_SEARCH_BASE (ou=people,dc=example,dc=org)"
        )
    ad_domain = env.get("KAOPING_LDAP_AD_DOMAIN", "").strip() or None
    user_attribute = env.get("KAOPING_LDAP_USER_ATTRIBUTE", "").strip() or (
        "sAMAccountName" if ad_domain else "uid"
    )
    match = env.get("KAOPING_LDAP_MATCH", "employee_number").strip()
    if match not in MATCHES:
        raise ImproperlyConfigured(
            f"KAOPING_LDAP_MATCH is one of {', '.join(MATCHES)}, not {match!r}"
        )
    match_attribute = (
        env.get("KAOPING_LDAP_MATCH_ATTRIBUTE", "").strip() or MATCHES[match] or user_attribute
    )
    bind_dn = env.get("KAOPING_LDAP_BIND_DN", "").strip() or None
    ca_file = env.get("KAOPING_LDAP_CA_FILE", "").strip() or None
    if ca_file and not Path(ca_file).is_file():
        raise ImproperlyConfigured(f"KAOPING_LDAP_CA_FILE {ca_file!r} is not a file")
    # The server's certificate is always checked, against KAOPING_LDAP_CA_FILE or the
    # system's CAs (ldap3 would check nothing by default): passwords cross this line.
    tls_args = {"validate": ssl.CERT_REQUIRED, "ca_certs_file": ca_file}
    return {
        "KAOPING_LDAP_URL": url,
        "KAOPING_LDAP_MATCH": match,
        "KAOPING_LDAP_MATCH_ATTRIBUTE": match_attribute,
        # django-python3-ldap's own settings (its connection, bind and search).
        "LDAP_AUTH_URL": [u.strip() for u in url.split(",") if u.strip()],
        "LDAP_AUTH_USE_TLS": env.get("KAOPING_LDAP_START_TLS", "").strip().lower() in TRUE,
        "LDAP_AUTH_TLS_ARGS": tls_args,  # StartTLS
        "LDAP_AUTH_TLS_CIPHERS": None,  # Python's defaults, not the library's "ALL"
        "LDAP_AUTH_TLS_VERSION": ssl.PROTOCOL_TLS_CLIENT,
        "LDAP_AUTH_CONNECT_ARGS": {"tls": ldap3.Tls(**tls_args)},  # ldaps://
        "LDAP_AUTH_SEARCH_BASE": search_base,
        "LDAP_AUTH_OBJECT_CLASS": env.get("KAOPING_LDAP_OBJECT_CLASS", "").strip()
        or ("user" if ad_domain else "inetOrgPerson"),
        "LDAP_AUTH_USER_FIELDS": {"username": user_attribute},
        "LDAP_AUTH_USER_LOOKUP_FIELDS": ("username",),
        "LDAP_AUTH_FORMAT_USERNAME": "kaoping.accounts.directory.bind_name",
        "LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN": ad_domain,
        "LDAP_AUTH_CONNECTION_USERNAME": bind_dn,
        "LDAP_AUTH_CONNECTION_PASSWORD": env.get("KAOPING_LDAP_BIND_PASSWORD") or None,
        "LDAP_AUTH_CONNECT_TIMEOUT": 5,
        "LDAP_AUTH_RECEIVE_TIMEOUT": 10,
        # One round over the servers, not ldap3's endless retry: a directory that is down
        # fails the directory login at once and leaves the local passwords working.
        "LDAP_AUTH_POOL_ACTIVE": 1,
    }


def directory_backends(backends: list[str], configured: bool) -> list[str]:
    """The directory's backend after django-axes (which refuses during a lockout) and
    before Django's own (local passwords keep working beside it)."""
    backends = [b for b in backends if b != BACKEND]
    if not configured:
        return backends
    at = next(
        (i for i, b in enumerate(backends) if b == "django.contrib.auth.backends.ModelBackend"),
        len(backends),
    )
    return [*backends[:at], BACKEND, *backends[at:]]
