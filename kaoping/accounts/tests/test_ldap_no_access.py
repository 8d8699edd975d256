"""The "whom to ask" page: a login without role and member record, local or from the
directory, sees who to ask (the committee admins) instead of an empty site."""

from kaoping.orgs.models import Member, RoleAssignment
from kaoping.orgs.services import member_link_user
from kaoping.testing.factories import MemberFactory, UserFactory, grant


def test_a_local_login_without_access_sees_whom_to_ask(
    client, district, django_assert_max_num_queries
):
    client.force_login(district.outsider)
    with django_assert_max_num_queries(8):
        page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "尚未关联" in body
    assert "admin（区直机关工委）" in body  # the committee admin, by login name
    assert 'action="/logout/"' in body
    for secret in ("张三", "李四", "王五", "sec1", "第一党支部"):
        assert secret not in body
    me = client.get("/me/")
    assert me.status_code == 200 and "尚未关联" in me.content.decode()


def test_the_admin_is_named_by_their_member_record(client, district):
    admin_member = MemberFactory(code="A1", name="陈管理", branch=district.b2)
    member_link_user(actor=None, member=admin_member, user=district.admin)
    grant(
        UserFactory(username="gone", is_active=False),
        district.root,
        RoleAssignment.Role.COMMITTEE_ADMIN,
    )
    client.force_login(district.outsider)
    body = client.get("/").content.decode()
    assert "陈管理（区直机关工委）" in body
    assert "gone" not in body


def test_roles_or_a_member_record_lead_elsewhere(client, district):
    for user, target in ((district.member1, "/work/"), (district.sec1, "/work/")):
        client.force_login(user)
        assert client.get("/")["Location"] == target
    client.force_login(district.sec1)
    assert client.get("/me/").status_code == 404  # a role, no member record: not this page
    assert not Member.objects.filter(user=district.outsider).exists()
