"""Single sign-on against a real slapd, through the login page (issue 16): the directory
checks the password, Kaoping maps the person to a login and never grants a role."""

import socket
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import override_settings

from kaoping.accounts.models import AccountPolicy, AccountState, SignIn
from kaoping.archive.models import MemberProfile
from kaoping.audit.models import AuditEvent
from kaoping.orgs.models import Member, RoleAssignment

from .ldap_helpers import directory_on, sign_in, signed_in_id

User = get_user_model()


@pytest.fixture
def ldap_on(slapd):
    with directory_on(slapd):
        yield slapd


@pytest.fixture
def roles_unchanged(district):
    before = set(RoleAssignment.objects.values_list("user_id", "organization_id", "role"))
    yield
    assert set(RoleAssignment.objects.values_list("user_id", "organization_id", "role")) == before


def test_employee_number_maps_to_the_members_login(client, district, ldap_on, roles_unchanged):
    page = sign_in(client, "zhangsan", ldap_on.users["zhangsan"].password)
    assert page.status_code == 302
    assert signed_in_id(client) == str(district.member1.pk)
    district.member1.refresh_from_db()
    assert district.member1.last_login is not None  # user_logged_in fired as usual
    page = client.get("/")
    assert page["Location"] == "/work/"
    me = client.get("/me/")
    assert me.status_code == 200
    assert "张三" in me.content.decode()
    assert AuditEvent.objects.filter(
        action="account.directory_sign_in", target_id=str(district.member1.pk)
    ).exists()


def test_a_member_without_login_gets_one_linked(client, district, ldap_on, roles_unchanged):
    users_before = User.objects.count()
    assert sign_in(client, "lisi", "dir-pass-lisi").status_code == 302
    district.m1b.refresh_from_db()
    user = district.m1b.user
    assert user is not None and signed_in_id(client) == str(user.pk)
    assert user.username == "M1B"
    assert not user.has_usable_password()  # the password stays in the directory
    assert AccountState.objects.get(user=user).must_change_password is False
    assert AuditEvent.objects.filter(action="account.directory_create").count() == 1
    assert AuditEvent.objects.filter(action="member.link_user", target_id=str(district.m1b.pk))
    assert "李四" in client.get("/me/").content.decode()
    # The next sign-in finds the same login.
    client.logout()
    assert sign_in(client, "lisi", "dir-pass-lisi").status_code == 302
    assert signed_in_id(client) == str(user.pk)
    assert User.objects.count() == users_before + 1


def test_mobile_maps_through_the_archive(client, district, slapd, roles_unchanged):
    MemberProfile.objects.create(member=district.m2, phone="138-0000-0002")
    with directory_on(slapd, KAOPING_LDAP_MATCH="mobile"):
        assert sign_in(client, "wangwu", "dir-pass-wangwu").status_code == 302
        assert signed_in_id(client) == str(district.member2.pk)
        assert "王五" in client.get("/me/").content.decode()


def test_username_match_maps_to_the_same_username(client, district, slapd, roles_unchanged):
    with directory_on(slapd, KAOPING_LDAP_MATCH="username"):
        assert sign_in(client, "member1", "dir-pass-member1").status_code == 302
    assert signed_in_id(client) == str(district.member1.pk)


def test_same_name_without_employee_number_takes_over_nothing(
    client, district, ldap_on, roles_unchanged
):
    """Matching by employee number, the directory's ``member1`` (no employee number) is
    not Kaoping's member1: they get a login of their own without access."""
    assert sign_in(client, "member1", "dir-pass-member1").status_code == 302
    user = User.objects.get(pk=signed_in_id(client))
    assert user.username == "member1@ldap" and user != district.member1
    district.member1.refresh_from_db()
    assert district.member1.first_name != "同名者"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_wrong_directory_password_fails_and_is_counted(client, district, ldap_on):
    page = sign_in(client, "zhangsan", "not-the-password")
    assert page.status_code == 200
    assert signed_in_id(client) is None
    assert AccessAttempt.objects.get(username="zhangsan").failures_since_start == 1
    for _ in range(2):
        page = sign_in(client, "zhangsan", "not-the-password")
    assert "账号已暂时锁定" in page.content.decode()
    # Locked out: even the directory's right password is refused.
    page = sign_in(client, "zhangsan", "dir-pass-zhangsan")
    assert "账号已暂时锁定" in page.content.decode()
    assert signed_in_id(client) is None


@override_settings(AXES_ENABLED=True)
def test_directory_sign_in_passes_axes(client, district, ldap_on):
    assert sign_in(client, "zhangsan", "dir-pass-zhangsan").status_code == 302
    assert signed_in_id(client) == str(district.member1.pk)


def test_unmatched_directory_user_gets_the_whom_to_ask_page(
    client, district, ldap_on, roles_unchanged
):
    assert sign_in(client, "stranger", "dir-pass-stranger").status_code == 302
    user = User.objects.get(pk=signed_in_id(client))
    assert user.username == "stranger@ldap" and user.first_name == "路人甲"
    assert not Member.objects.filter(user=user).exists()
    assert not user.is_staff and not user.is_superuser
    page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "尚未关联" in body and "admin（区直机关工委）" in body
    assert "stranger@ldap" in body
    # Signing in again is the same login.
    client.logout()
    sign_in(client, "stranger", "dir-pass-stranger")
    assert signed_in_id(client) == str(user.pk)
    assert User.objects.filter(username__endswith="@ldap").count() == 1


def test_a_deactivated_login_is_refused(client, district, ldap_on):
    User.objects.filter(pk=district.member2.pk).update(is_active=False)
    page = sign_in(client, "leaver", "dir-pass-leaver")
    assert page.status_code == 200
    assert signed_in_id(client) is None
    assert AuditEvent.objects.filter(action="account.directory_refused").exists()


def test_a_departed_member_without_login_gets_none(client, district, ldap_on):
    Member.objects.filter(pk=district.m1b.pk).update(status=Member.Status.TRANSFERRED_OUT)
    users_before = User.objects.count()
    assert sign_in(client, "lisi", "dir-pass-lisi").status_code == 200
    assert signed_in_id(client) is None
    assert User.objects.count() == users_before


def test_local_login_still_works(client, district, ldap_on):
    with override_settings(AXES_ENABLED=True):
        assert sign_in(client, "sec1", "pass-for-tests-1").status_code == 302
    assert signed_in_id(client) == str(district.sec1.pk)


def test_a_service_account_searches_for_the_user(client, district, slapd):
    with directory_on(
        slapd,
        KAOPING_LDAP_BIND_DN=slapd.admin_dn,
        KAOPING_LDAP_BIND_PASSWORD=slapd.admin_password,
    ):
        assert sign_in(client, "zhangsan", "dir-pass-zhangsan").status_code == 302
        assert signed_in_id(client) == str(district.member1.pk)
        client.logout()
        assert sign_in(client, "zhangsan", "wrong").status_code == 200
        assert signed_in_id(client) is None


@pytest.mark.parametrize("username", ["uid=zhangsan,ou=people", "zhang*", "a" * 65, ""])
def test_odd_login_names_never_reach_the_directory(client, district, ldap_on, username):
    assert sign_in(client, username, "dir-pass-zhangsan").status_code == 200
    assert signed_in_id(client) is None


def test_without_the_setting_the_directory_is_not_asked(client, district, slapd):
    assert sign_in(client, "zhangsan", "dir-pass-zhangsan").status_code == 200
    assert signed_in_id(client) is None


def test_a_directory_that_is_down_leaves_local_logins_working(client, district, slapd):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"ldap://127.0.0.1:{sock.getsockname()[1]}"
    with directory_on(slapd, KAOPING_LDAP_URL=closed):
        started = time.monotonic()
        assert sign_in(client, "zhangsan", "dir-pass-zhangsan").status_code == 200
        assert signed_in_id(client) is None
        assert sign_in(client, "sec1", "pass-for-tests-1").status_code == 302
        assert time.monotonic() - started < 10
    assert signed_in_id(client) == str(district.sec1.pk)


def test_the_directory_never_signs_in_a_superuser(client, district, slapd):
    User.objects.filter(pk=district.member1.pk).update(is_superuser=True)
    with directory_on(slapd, KAOPING_LDAP_MATCH="username"):
        assert sign_in(client, "member1", "dir-pass-member1").status_code == 200
        assert signed_in_id(client) is None
        assert sign_in(client, "member1", "pass-for-tests-1").status_code == 302  # local


def test_the_directorys_spelling_names_the_unmatched_login(client, district, ldap_on):
    assert sign_in(client, "Stranger", "dir-pass-stranger").status_code == 302
    client.logout()
    assert sign_in(client, "STRANGER", "dir-pass-stranger").status_code == 302
    assert list(
        User.objects.filter(username__endswith="@ldap").values_list("username", flat=True)
    ) == ["stranger@ldap"]


def test_start_tls_checks_the_servers_certificate(client, district, slapd):
    with directory_on(slapd, KAOPING_LDAP_START_TLS="1", KAOPING_LDAP_CA_FILE=slapd.ca_file):
        assert sign_in(client, "zhangsan", "dir-pass-zhangsan").status_code == 302
        assert signed_in_id(client) == str(district.member1.pk)
    client.logout()
    # Signed by a CA the machine does not trust: no password is sent.
    with directory_on(slapd, KAOPING_LDAP_START_TLS="1"):
        assert sign_in(client, "zhangsan", "dir-pass-zhangsan").status_code == 200
        assert signed_in_id(client) is None


def test_a_new_login_follows_the_username_rule(client, district, ldap_on):
    AccountPolicy.objects.create(
        committee=district.root, username_rule=AccountPolicy.UsernameRule.MOBILE
    )
    MemberProfile.objects.create(member=district.m1b, phone="139 0000 0001")
    assert sign_in(client, "lisi", "dir-pass-lisi").status_code == 302
    district.m1b.refresh_from_db()
    assert district.m1b.user.username == "13900000001"


def test_a_taken_username_is_not_taken_over(client, district, ldap_on):
    other = User.objects.create_user(username="M1B", password="pass-for-tests-1")
    assert sign_in(client, "lisi", "dir-pass-lisi").status_code == 302
    district.m1b.refresh_from_db()
    assert district.m1b.user.username == "lisi@ldap" and district.m1b.user != other


def test_a_directory_sign_in_is_not_sent_to_change_the_local_password(
    client, district, ldap_on, roles_unchanged
):
    """A member who still has an unused slip (must change the initial password) but signs
    in through the directory uses the directory's password: no forced local change; the
    password login with the slip still must change it."""
    AccountState.objects.update_or_create(
        user=district.member1, defaults={"must_change_password": True}
    )
    assert sign_in(client, "zhangsan", ldap_on.users["zhangsan"].password).status_code == 302
    assert client.get("/me/").status_code == 200
    assert AccountState.objects.get(user=district.member1).must_change_password is True
    assert SignIn.objects.filter(user=district.member1, method="ldap", succeeded=True).exists()
