"""Issuing logins through HTTP: the confirmation, the slips' one-time downloads (PDF and
xlsx), a member signing in with a slip, scope refusals, the mobile-number rule."""

import io
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from kaoping.accounts.models import AccountPolicy, AccountState, SlipBatch
from kaoping.accounts.seal import passwords_unseal
from kaoping.archive.models import MemberProfile
from kaoping.audit.models import AuditEvent
from kaoping.orgs.models import Member
from kaoping.testing.factories import MemberFactory, OrganizationFactory
from kaoping.testing.sheets import export_rows

User = get_user_model()
HIDDEN = "（已发放，不再显示）"


@pytest.fixture
def b3(district):
    """A branch of 30 members without logins, and one who left."""
    branch = OrganizationFactory(code="B3", name="第三党支部", parent=district.p1)
    for n in range(30):
        MemberFactory(code=f"C{n:02d}", name=f"党员{n:02d}", branch=branch)
    MemberFactory(code="CX", name="已转出", branch=branch, status=Member.Status.TRANSFERRED_OUT)
    return branch


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def _xlsx_rows(content: bytes) -> list[tuple]:
    return export_rows(content)[1:]


def _issue(client, code="B3", **data):
    return client.post(f"/accounts/{code}/issue/", {"scope": "all", "confirm": "1", **data})


def test_admin_issues_a_branch_of_30_and_the_slips_show_passwords_once(
    district, b3, django_assert_max_num_queries
):
    admin = _client(district.admin)
    with django_assert_max_num_queries(12):
        page = admin.get("/accounts/")
    assert page.status_code == 200
    row = page.content.decode().split("第三党支部")[1].split("</tr>")[0]
    assert ">0<" in row and ">30<" in row  # with and without a login (the one who left: none)

    users_before = User.objects.count()
    confirm = admin.post("/accounts/B3/issue/", {"scope": "all"})
    assert confirm.status_code == 200 and "确认开通 30 个账号" in confirm.content.decode()
    assert User.objects.count() == users_before  # the confirmation step changes nothing

    done = _issue(admin)
    batch = SlipBatch.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/accounts/batches/{batch.pk}/"
    assert batch.lines.count() == 30 and not Member.objects.get(code="CX").user_id
    passwords = passwords_unseal(batch.sealed)
    assert len(passwords) == 30 and len(set(passwords.values())) == 30
    for member in Member.objects.filter(branch=b3, user__isnull=False).select_related("user"):
        user = member.user
        assert user.username == member.code
        assert (
            user.password != passwords[member.code] and passwords[member.code] not in user.password
        )
        assert user.check_password(passwords[member.code])
        assert AccountState.objects.get(user=user).must_change_password
    events = AuditEvent.objects.filter(
        actor=district.admin, action__in=["member.link_user", "accounts.logins_issue"]
    )
    assert events.count() == 31
    assert not any(p in str(e.after) for e in events for p in passwords.values())

    page = admin.get(f"/accounts/batches/{batch.pk}/")
    assert page.status_code == 200 and "第一次下载" in page.content.decode()

    text = _pdf_text(admin.post(f"/accounts/batches/{batch.pk}/slips.pdf"))
    assert all(p in text for p in passwords.values())
    assert all(code in text for code in passwords)
    assert SlipBatch.objects.get().sealed is not None  # the xlsx is still to come

    rows = _xlsx_rows(admin.post(f"/accounts/batches/{batch.pk}/slips.xlsx").content)
    assert len(rows) == 30
    assert {r[1]: r[4] for r in rows} == passwords
    batch.refresh_from_db()
    assert batch.sealed is None and batch.pdf_downloaded_at and batch.xlsx_downloaded_at

    again = _pdf_text(admin.post(f"/accounts/batches/{batch.pk}/slips.pdf"))
    assert all(code in again for code in passwords)
    assert not any(p in again for p in passwords.values())
    rows = _xlsx_rows(admin.post(f"/accounts/batches/{batch.pk}/slips.xlsx").content)
    assert len(rows) == 30 and {r[4] for r in rows} == {HIDDEN}

    # a member signs in with the username and password of their slip
    member = Client()
    answer = member.post("/login/", {"username": "C07", "password": passwords["C07"]})
    assert answer.status_code == 302
    assert member.session.get("_auth_user_id") == str(User.objects.get(username="C07").pk)
    # ... must choose their own password before anything else, then sees their own page
    assert member.get("/me/")["Location"] == "/account/password/"
    new_password = "Zhuo-Yue-2026-lu"
    changed = member.post(
        "/account/password/",
        {
            "old_password": passwords["C07"],
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert changed.status_code == 302
    own = member.get("/me/")
    assert own.status_code == 200 and "党员07" in own.content.decode()


def test_the_seal_expires(district, b3, settings):
    settings.KAOPING_SLIP_TTL_MINUTES = 0
    admin = _client(district.admin)
    _issue(admin)
    batch = SlipBatch.objects.get()
    rows = _xlsx_rows(admin.post(f"/accounts/batches/{batch.pk}/slips.xlsx").content)
    assert {r[4] for r in rows} == {HIDDEN}
    batch.refresh_from_db()
    assert batch.sealed is None


def test_selected_members_only_and_refusals_name_the_member(district, b3):
    admin = _client(district.admin)
    assert _issue(admin, scope="selected", members=["C01", "C02"]).status_code == 302
    assert set(
        Member.objects.filter(user__isnull=False, branch=b3).values_list("code", flat=True)
    ) == {
        "C01",
        "C02",
    }
    users = User.objects.count()
    for members, message in (
        (["C03", "C01"], "党员01（C01） 已有账号"),
        (["C03", "CX"], "已转出（CX） 已转出或去世"),
        (["C03", "M1B"], "M1B 不是 第三党支部 的党员"),
    ):
        answer = _issue(admin, scope="selected", members=members)
        assert answer.status_code == 302
        assert message in str(list(answer.wsgi_request._messages))
        assert User.objects.count() == users and not Member.objects.get(code="C03").user_id
    assert _issue(admin).status_code == 302
    again = _issue(admin)
    assert "第三党支部 没有需要开通账号的党员" in str(list(again.wsgi_request._messages))
    assert SlipBatch.objects.count() == 2


def test_secretary_issues_for_their_branch_only(district, b3):
    sec1 = _client(district.sec1)
    assert sec1.get("/accounts/").status_code == 200
    assert sec1.get("/accounts/B1/").status_code == 200
    users = User.objects.count()
    for code in ("B2", "B3"):  # not theirs: the same 404 as a missing branch
        assert sec1.get(f"/accounts/{code}/").status_code == 404
        assert _issue(sec1, code).status_code == 404
    assert _client(district.orgdept).get("/accounts/B1/").status_code == 403
    assert _client(district.supervisor).get("/accounts/").status_code == 403
    assert _client(district.member1).get("/accounts/").status_code == 404
    assert User.objects.count() == users and not SlipBatch.objects.exists()

    assert _issue(sec1, "B1").status_code == 302
    district.m1b.refresh_from_db()
    assert district.m1b.user.username == "M1B"
    batch = SlipBatch.objects.get()
    assert sec1.get(f"/accounts/batches/{batch.pk}/").status_code == 200
    assert _client(district.sec2).get(f"/accounts/batches/{batch.pk}/").status_code == 404
    assert _client(district.sec2).post(f"/accounts/batches/{batch.pk}/slips.pdf").status_code == 404
    batch.refresh_from_db()
    assert batch.pdf_downloaded_at is None


def test_the_service_refuses_a_secretary_outside_their_branch(district, b3):
    from django.core.exceptions import PermissionDenied

    from kaoping.accounts.services.logins import logins_issue

    with pytest.raises(PermissionDenied):
        logins_issue(actor=district.sec1, organization=district.b2)
    assert not SlipBatch.objects.exists()


def test_mobile_rule_refuses_a_missing_phone_naming_the_member(district, b3):
    admin = _client(district.admin)
    assert admin.post("/accounts/", {"username_rule": "mobile"}).status_code == 302
    assert AccountPolicy.objects.get().username_rule == "mobile"
    for n in range(30):
        if n != 11:
            MemberProfile.objects.create(
                member=Member.objects.get(code=f"C{n:02d}"), phone=f"139 0000 {n:04d}"
            )
    users = User.objects.count()
    answer = _issue(admin)
    assert "党员11（C11） 没有登记手机号码" in str(list(answer.wsgi_request._messages))
    assert User.objects.count() == users and not SlipBatch.objects.exists()

    MemberProfile.objects.create(member=Member.objects.get(code="C11"), phone="13900000001")
    answer = _issue(admin)  # C01 has the same number
    assert "党员01（C01）、党员11（C11） 的用户名（手机号码）相同" in str(
        list(answer.wsgi_request._messages)
    )
    MemberProfile.objects.filter(member__code="C11").update(phone="13800000011")
    assert _issue(admin).status_code == 302
    assert Member.objects.get(code="C05").user.username == "13900000005"


def test_cli_writes_the_slips_of_30(district, b3, tmp_path, capsys):
    path = tmp_path / "slips.xlsx"
    call_command("accounts_issue", branch="B3", output=str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = _xlsx_rows(path.read_bytes())
    assert len(rows) == 30
    user = User.objects.get(username=rows[0][3])
    assert user.check_password(rows[0][4])
    assert SlipBatch.objects.get().sealed is None
    assert "30" in capsys.readouterr().err


def test_cli_prints_the_slips_without_output(district, b3, capsys):
    call_command("accounts_issue", branch="B3")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 31 and lines[0].startswith("姓名")


def test_the_branch_list_does_not_query_per_member(district):
    from kaoping.orgs.services import member_link_user
    from kaoping.testing.factories import UserFactory
    from kaoping.testing.queries import branch_member_added, page_query_counts

    made: list = []

    def grow(n: int) -> None:
        while len(made) < n:
            member = branch_member_added(district, made, "列表")
            if len(made) % 2:
                user = UserFactory(username=f"u-{member.code}")
                AccountState.objects.create(user=user, must_change_password=True)
                member_link_user(actor=None, member=member, user=user)

    counts, text = page_query_counts(_client(district.admin), "/accounts/B1/", grow)
    assert counts[0] == counts[1], counts
    assert "列表011" in text and "u-B1-010" in text and "须改密码" in text
