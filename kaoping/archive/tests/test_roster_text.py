"""Issue 15 items 6 and 10 on the roster import: a code like a path, a name starting like
a formula and a control character are refused by row and column, and nothing changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaoping.archive.models import MemberChange
from kaoping.archive.services import ROSTER_HEADER
from kaoping.orgs.models import Member
from kaoping.testing.sheets import xlsx_upload

pytestmark = pytest.mark.django_db


def _upload(rows) -> SimpleUploadedFile:
    padding = [""] * (len(ROSTER_HEADER) - 4)
    cells = [[code, name, "", ethnicity, *padding] for code, name, ethnicity in rows]
    return xlsx_upload(ROSTER_HEADER, cells, "roster.xlsx")


def test_roster_import_refuses_bad_codes_names_and_control_characters(client, district):
    client.force_login(district.sec1)
    before = (Member.objects.count(), MemberChange.objects.count())
    upload = _upload(
        [
            ("../../etc", "新党员", ""),
            ("M9", "'=cmd", ""),  # a leading apostrophe is text typed to look like a formula
            ("M10", "+cmd", ""),
            ("M11", "钱七", "汉族\x7f"),
        ]
    )
    response = client.post(reverse("archive:roster_import", args=["B1"]), {"file": upload})
    assert response.status_code == 400
    text = "\n".join(str(e) for e in response.context["errors"])  # 行, 列, 问题 on the page
    assert "第2行 编号：“编号”只能由字母、数字和 . _ - 组成" in text
    assert "第4行 姓名：“姓名”不能以 = + - @" in text
    assert "第5行 民族：“民族”含有不允许的控制字符" in text
    assert "第3行" not in text  # "'=cmd" does not start like a formula
    assert (Member.objects.count(), MemberChange.objects.count()) == before
