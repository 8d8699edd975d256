"""The directory settings from the environment (config/settings/directory.py): off without
a URL, refused when incomplete, Active Directory defaults, the backends' order."""

import ssl

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from config.settings.directory import BACKEND, directory_backends, directory_settings
from kaoping.accounts.directory import bind_name

BASE = {"KAOPING_LDAP_URL": "ldap://dir.example:389", "KAOPING_LDAP_SEARCH_BASE": "ou=p,dc=x"}
DEFAULT_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]


def test_off_without_a_url():
    assert directory_settings({}) == {"KAOPING_LDAP_URL": ""}
    assert directory_backends(DEFAULT_BACKENDS, False) == DEFAULT_BACKENDS


def test_backend_between_axes_and_local_passwords():
    assert directory_backends(DEFAULT_BACKENDS, True) == [
        DEFAULT_BACKENDS[0],
        BACKEND,
        DEFAULT_BACKENDS[1],
    ]


def test_openldap_defaults():
    conf = directory_settings(BASE)
    assert conf["LDAP_AUTH_URL"] == ["ldap://dir.example:389"]
    assert conf["LDAP_AUTH_USER_FIELDS"] == {"username": "uid"}
    assert conf["LDAP_AUTH_OBJECT_CLASS"] == "inetOrgPerson"
    assert conf["KAOPING_LDAP_MATCH"] == "employee_number"
    assert conf["KAOPING_LDAP_MATCH_ATTRIBUTE"] == "employeeNumber"
    assert conf["LDAP_AUTH_USE_TLS"] is False
    assert conf["LDAP_AUTH_CONNECTION_USERNAME"] is None
    assert conf["LDAP_AUTH_TLS_ARGS"]["validate"] == ssl.CERT_REQUIRED
    assert conf["LDAP_AUTH_CONNECT_ARGS"]["tls"].validate == ssl.CERT_REQUIRED


def test_active_directory_defaults():
    conf = directory_settings(
        BASE
        | {
            "KAOPING_LDAP_AD_DOMAIN": "GOV",
            "KAOPING_LDAP_MATCH": "mobile",
            "KAOPING_LDAP_START_TLS": "1",
        }
    )
    assert conf["LDAP_AUTH_USER_FIELDS"] == {"username": "sAMAccountName"}
    assert conf["LDAP_AUTH_OBJECT_CLASS"] == "user"
    assert conf["KAOPING_LDAP_MATCH_ATTRIBUTE"] == "mobile"
    assert conf["LDAP_AUTH_USE_TLS"] is True
    with override_settings(**conf):
        assert bind_name({"username": "zhangsan"}) == "GOV\\zhangsan"


def test_username_match_uses_the_login_attribute_and_the_service_dn_is_kept():
    conf = directory_settings(
        BASE
        | {
            "KAOPING_LDAP_MATCH": "username",
            "KAOPING_LDAP_BIND_DN": "cn=reader,dc=x",
            "KAOPING_LDAP_BIND_PASSWORD": "s",
        }
    )
    assert conf["KAOPING_LDAP_MATCH_ATTRIBUTE"] == "uid"
    with override_settings(**conf):
        assert bind_name({"username": "cn=reader,dc=x"}) == "cn=reader,dc=x"
        assert bind_name({"username": "zhangsan"}) == "uid=zhangsan,ou=p,dc=x"


@pytest.mark.parametrize(
    "env",
    [
        {"KAOPING_LDAP_URL": "ldap://dir.example"},
        BASE | {"KAOPING_LDAP_MATCH": "email"},
        BASE | {"KAOPING_LDAP_CA_FILE": "/nonexistent/ca.pem"},
    ],
)
def test_incomplete_settings_are_refused(env):
    with pytest.raises(ImproperlyConfigured):
        directory_settings(env)


def test_without_slapd_the_tests_skip_but_fail_in_ci(monkeypatch):
    from kaoping.testing import slapd

    monkeypatch.setattr(slapd, "slapd_binary", lambda: None)
    monkeypatch.delenv("KAOPING_REQUIRE_LDAP", raising=False)
    with pytest.raises(pytest.skip.Exception):
        slapd.require_slapd()
    monkeypatch.setenv("KAOPING_REQUIRE_LDAP", "1")
    with pytest.raises(pytest.fail.Exception):
        slapd.require_slapd()
