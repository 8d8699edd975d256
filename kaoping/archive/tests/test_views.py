import datetime

import pytest
from django.urls import reverse

from kaoping.archive import services
from kaoping.archive.exports import COLUMNS_12371, XLSX
from kaoping.archive.models import MemberChange, MemberProfile
from kaoping.archive.services import ROSTER_HEADER
from kaoping.orgs.models import Member
from kaoping.sheets.xlsx import SheetRow
from kaoping.testing import sheets
from kaoping.testing.sheets import export_rows

pytestmark = pytest.mark.django_db
D = datetime.date
ID = "110105198005010011"
PHONE = "13800000001"


def with_profile(d):
    services.member_profile_update(
        actor=None, member=d.m1, values={"id_number": ID, "phone": PHONE, "gender": "male"}
    )


def xlsx_upload(rows, header=ROSTER_HEADER):
    return sheets.xlsx_upload(header, rows, "roster.xlsx", XLSX)


def row(code, name, **over):
    cells = dict(zip(ROSTER_HEADER, [code, name] + [""] * (len(ROSTER_HEADER) - 2), strict=True))
    cells.update(over)
    return [cells[h] for h in ROSTER_HEADER]


def sheet_rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [list(r) for r in export_rows(body)]


def test_masking_by_role(client, district):
    d = district
    with_profile(d)
    url = reverse("archive:member", args=["M1"])
    for user, full in [
        (d.admin, True),
        (d.orgdept, True),
        (d.sec1, True),  # the member's own secretary, on the member's own page
        (d.member1, True),  # the member themself
        (d.supervisor, None),  # B2 only: cannot see M1 at all
        (d.sec2, None),
        (d.member2, None),
    ]:
        client.force_login(user)
        page = client.get(url)
        if full is None:
            assert page.status_code == 404, user
            continue
        text = page.content.decode()
        assert (ID in text) is full and (PHONE in text) is full, user
    # lists and exports: the secretary sees masked values, the committee full ones
    client.force_login(d.sec1)
    text = client.get(reverse("archive:roster", args=["B1"])).content.decode()
    assert ID not in text and "1101**********0011" in text and "138****0001" in text
    cells = sheet_rows(client.get(reverse("archive:roster_export", args=["B1"])))
    assert "1101**********0011" in cells[1] and ID not in str(cells)
    assert client.get(reverse("archive:export_12371", args=["B1"])).status_code == 403
    # history rows of personal fields are masked for whoever sees masked values
    services.member_profile_update(actor=d.sec1, member=d.m1, values={"phone": "13900000002"})
    client.force_login(d.admin)
    cells = sheet_rows(client.get(reverse("archive:roster_export", args=["B1"])))
    assert ID in str(cells)
    sheet = sheet_rows(client.get(reverse("archive:export_12371", args=["W"])))
    assert tuple(sheet[0]) == COLUMNS_12371 and len(sheet) == 1 + Member.objects.count()
    assert any(ID in r for r in sheet)


def test_roster_import_preview_confirm_and_history(client, district):
    d = district
    with_profile(d)
    client.force_login(d.sec1)
    upload = xlsx_upload(
        [
            row(
                "M1",
                "张三",
                **{"联系电话": "138****0001", "公民身份号码": "1101**********0011", "民族": "汉族"},
            ),
            row("M9", "新党员", **{"性别": "女", "入党日期": "2020-07-01", "党员类别": "预备党员"}),
        ]
    )
    preview = client.post(reverse("archive:roster_import", args=["B1"]), {"file": upload})
    assert preview.status_code == 200
    assert not Member.objects.filter(code="M9").exists()  # nothing before confirming
    assert "新增 1 名党员，更新 1 名。" in preview.content.decode()
    done = client.post(
        preview.context["confirm_url"], {"token": preview.context["token"]}, follow=True
    )
    assert "已导入 2 名党员" in done.content.decode()
    new = Member.objects.get(code="M9")
    assert new.branch == d.b1 and new.membership == "probationary"
    assert new.profile.gender == "female" and new.profile.joined_on == D(2020, 7, 1)
    profile = MemberProfile.objects.get(member=d.m1)
    assert (profile.id_number, profile.phone, profile.ethnicity) == (ID, PHONE, "汉族")
    assert MemberChange.objects.filter(member=d.m1, source="import").count() == 1


def test_roster_import_with_a_bad_row_changes_nothing(client, district):
    d = district
    client.force_login(d.sec1)
    before = (Member.objects.count(), MemberChange.objects.count())
    upload = xlsx_upload(
        [
            row("M9", "新党员"),
            row("M1", "张三", **{"出生日期": "1980-13-01"}),
            row("M2", "王五"),
            row("", "无编号", **{"性别": "未知"}),
        ]
    )
    response = client.post(reverse("archive:roster_import", args=["B1"]), {"file": upload})
    assert response.status_code == 400
    text = "\n".join(str(e) for e in response.context["errors"])  # 行, 列, 问题 on the page
    assert "第3行 出生日期：应为 YYYY-MM-DD，收到“1980-13-01”。" in text
    assert "第4行 编号：编号“M2”属于第二党支部" in text
    assert "第5行 编号：不能为空。" in text and "第5行 性别" in text
    assert not response.context["token"]
    assert (Member.objects.count(), MemberChange.objects.count()) == before
    # the service itself refuses the whole file too
    fields = [f for f, _l in services.ROSTER_COLUMNS]
    rows = [
        SheetRow(2, dict(zip(fields, row("M9", "新党员"), strict=True))),
        SheetRow(3, dict(zip(fields, row("M2", "王五"), strict=True))),
    ]
    with pytest.raises(services.ValidationError):
        services.roster_import(actor=d.sec1, branch=d.b1, rows=rows)
    assert (Member.objects.count(), MemberChange.objects.count()) == before
    bad_header = xlsx_upload([row("M9", "x")], header=["编号", "名字"])
    response = client.post(reverse("archive:roster_import", args=["B1"]), {"file": bad_header})
    assert response.status_code == 400 and "第1行须为表头" in response.content.decode()
    assert Member.objects.count() == before[0]


def test_roster_pages_access(client, district, django_assert_max_num_queries):
    d = district
    client.force_login(d.sec2)
    assert client.get(reverse("archive:roster", args=["B1"])).status_code == 404
    assert client.post(reverse("archive:roster_import", args=["B1"])).status_code == 404
    client.force_login(d.supervisor)
    assert client.get(reverse("archive:roster", args=["B2"])).status_code == 200
    assert client.post(reverse("archive:roster_import", args=["B2"])).status_code == 403
    client.force_login(d.member1)
    assert client.get(reverse("archive:roster", args=["B1"])).status_code == 404
    assert client.get(reverse("archive:roster_template")).status_code == 403
    assert client.get(reverse("archive:lost_contacts")).status_code == 403
    client.force_login(d.sec1)
    template = client.get(reverse("archive:roster_template"))
    assert tuple(sheet_rows(template)[0]) == ROSTER_HEADER
    for n in range(10):
        Member.objects.create(code=f"X{n}", name=f"党员{n}", branch=d.b1)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("archive:roster", args=["B1"]))
    assert page.status_code == 200 and "党员9" in page.content.decode()


def test_member_forms_over_http(client, district):
    d = district
    client.force_login(d.sec1)
    base = reverse("archive:member", args=["M1"])
    assert client.get(base).status_code == 200
    r = client.post(
        reverse("archive:profile", args=["M1"]),
        {
            "name": "张三",
            "membership": "full",
            "gender": "male",
            "ethnicity": "汉族",
            "id_number": "bad",
        },
    )
    assert r.status_code == 400 and "公民身份号码应为18位" in r.content.decode()
    r = client.post(
        reverse("archive:profile", args=["M1"]),
        {"name": "张三", "membership": "full", "gender": "male", "ethnicity": "汉族"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("archive:investigation_start", args=["M1"]),
        {"body": "区纪委监委", "started_on": "2026-04-01"},
    )
    assert r.status_code == 302
    d.m1.refresh_from_db()
    assert d.m1.status == "under_investigation"
    member_page = client.get(reverse("web:member", args=["M1"])).content.decode()
    assert "暂不纳入考评" in member_page and reverse("archive:member", args=["M1"]) in member_page
    r = client.post(
        reverse("archive:investigation_decide", args=["M1"]),
        {"decided_on": "2026-05-01", "decision": "不予处分"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("archive:lost", args=["M1B"]), {"since": "2026-02-01", "efforts": "多次电话"}
    )
    assert r.status_code == 302
    client.force_login(d.admin)
    lost = client.get(reverse("archive:lost_contacts")).content.decode()
    assert "李四" in lost and "多次电话" in lost
    client.force_login(d.sec1)
    r = client.post(reverse("archive:found", args=["M1B"]), {"found_on": "2026-03-01"})
    assert r.status_code == 302
    r = client.post(
        reverse("archive:transfer", args=["M1"]),
        {"to_branch": d.b2.pk, "date": "2026-06-01", "reason": "工作调动"},
    )
    assert r.status_code == 302
    d.m1.refresh_from_db()
    assert d.m1.branch == d.b2
    client.force_login(d.sec2)
    history = client.get(base).content.decode()
    for text in ("汉族", "工作调动", "区纪委监委", "不予处分", "接受调查（暂不纳入）"):
        assert text in history, text
    # B1's secretary no longer manages M1, and nobody else can use the forms
    client.force_login(d.sec1)
    assert client.get(reverse("archive:transfer", args=["M1"])).status_code == 404
    client.force_login(d.member1)  # the member sees their archive but cannot edit it
    assert client.get(base).status_code == 200
    assert client.get(reverse("archive:profile", args=["M1"])).status_code == 403


def test_exemptions_page_and_branch_list(client, district):
    d = district
    client.force_login(d.sec1)
    from kaoping.schemes.models import SchemeItem

    d01 = SchemeItem.objects.get(scheme=d.scheme, code="D01")
    r = client.post(reverse("archive:exemption_add", args=["M1"]), {"item": d01.pk, "reason": ""})
    assert r.status_code == 400
    r = client.post(
        reverse("archive:exemption_add", args=["M1"]),
        {"item": d01.pk, "reason": "身体原因，2026年全年", "starts_on": "2026-01-01"},
    )
    assert r.status_code == 302
    branch = client.get(reverse("web:branch", args=["B1"])).content.decode()
    listing = reverse("archive:branch_exemptions", args=["B1"])
    assert listing in branch
    part = client.get(listing, headers={"HX-Request": "true"})
    assert "身体原因，2026年全年" in part.content.decode() and "<html" not in part.content.decode()
    assert d01.name in part.content.decode()
    client.force_login(d.sec2)
    assert client.get(listing).status_code == 404
    client.force_login(d.admin)
    assert "身体原因" in client.get(listing).content.decode()
    client.force_login(d.sec1)
    exemption = d.m1.exemptions.get()
    client.force_login(d.sec2)
    assert client.post(reverse("archive:exemption_remove", args=[exemption.pk])).status_code == 404
    client.force_login(d.sec1)
    client.post(reverse("archive:exemption_remove", args=[exemption.pk]))
    assert not d.m1.exemptions.exists()
