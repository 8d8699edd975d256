"""会议记录 (issue 22): the secretary writes a meeting's minutes (a new field, with its
chair and recorder) on the page or through the API, audited; the record comes out as a
Word file and an archival PDF with the time, place, chair, recorder, who was present, on
leave and absent, and the minutes as typed. Attendees see the meeting, not its record."""

import pytest

from kaoping.audit.models import AuditEvent
from kaoping.documents.default_templates import meeting_minutes
from kaoping.documents.generate import DOCX
from kaoping.documents.kinds import MEETING_MINUTES
from kaoping.documents.rendering import template_fields
from kaoping.documents.tests.test_registration_form import SNEAKY, pdf_text_and_fonts, text_of
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

pytestmark = pytest.mark.django_db


def test_the_default_template_uses_exactly_the_kinds_fields():
    assert template_fields(meeting_minutes()) == set(MEETING_MINUTES.fields)


def test_the_secretary_writes_the_minutes_on_the_page_and_downloads_them(district, meeting):
    page = session(district.sec1)
    detail = page.get(f"/meetings/{meeting.code}/").content.decode()
    assert f'href="/meetings/{meeting.code}/minutes/"' in detail
    assert f'href="/meetings/{meeting.code}/minutes.docx"' in detail
    assert page.get(f"/meetings/{meeting.code}/minutes/").status_code == 200
    minutes = "一、学习党章第一章。\n二、讨论：" + SNEAKY
    answer = page.post(
        f"/meetings/{meeting.code}/minutes/",
        {"host": "李书记", "recorder": "王委员", "minutes": minutes},
    )
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.host, meeting.recorder) == ("李书记", "王委员")
    assert meeting.minutes == minutes.replace("\n", "\r\n") or meeting.minutes == minutes
    event = AuditEvent.objects.get(action="meeting.minutes")
    assert event.target_id == meeting.code and event.after["host"] == "李书记"
    assert "李书记" in page.get(f"/meetings/{meeting.code}/").content.decode()

    word = page.get(f"/meetings/{meeting.code}/minutes.docx")
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    text = text_of(word.content)
    for expected in ("第一党支部会议记录", "学习党章", "三楼会议室", "李书记", "王委员"):
        assert expected in text
    assert "李四" in text and "张三" in text and "周七" in text
    assert "请假人员（1人）\n张三" in text and "缺席人员（1人）\n周七" in text
    assert SNEAKY in text and "一、学习党章第一章。" in text

    pdf = page.get(f"/meetings/{meeting.code}/minutes.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pdf_text, fonts = pdf_text_and_fonts(pdf.content)
    assert "第一党支部会议记录" in pdf_text and "李书记" in pdf_text and "周七" in pdf_text
    assert SNEAKY in pdf_text.replace("\n", "")
    assert fonts and all(embedded for _name, embedded in fonts)


def test_the_minutes_through_the_api(district, meeting):
    api = bearer(district.sec1)
    url = f"/api/meetings/{meeting.code}/minutes"
    body = {"host": "李书记", "recorder": "王委员", "minutes": "决定：开展志愿服务。"}
    answer = send(api, "PUT", url, body)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"meeting": meeting.code, **body}
    assert api.get(url).json()["minutes"] == "决定：开展志愿服务。"
    word = api.get(f"/api/meetings/{meeting.code}/documents/minutes")
    assert word["Content-Type"] == DOCX and "开展志愿服务" in text_of(word.content)
    pdf = api.get(f"/api/meetings/{meeting.code}/documents/minutes?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "host" in invalid(api, "PUT", url, {**body, "host": "长" * 51})
    assert "minutes" in invalid(api, "PUT", url, {**body, "minutes": "坏\x00"})


def test_only_the_branchs_officers_write_and_read_the_record(district, meeting):
    d = district
    url = f"/api/meetings/{meeting.code}/minutes"
    body = {"host": "某人", "recorder": "", "minutes": "改写"}
    # an attendee sees the meeting but neither reads nor writes its record
    assert_statuses("PUT", url, {d.member1: 403, d.sec2: 404}, body=body)
    assert_statuses("GET", url, {d.member1: 404, d.sec2: 404, d.admin: 200, d.sec1: 200})
    for path in ("minutes.docx", "minutes.pdf"):
        assert session(d.member1).get(f"/meetings/{meeting.code}/{path}").status_code == 404
        assert session(d.sec2).get(f"/meetings/{meeting.code}/{path}").status_code == 404
        assert session(d.admin).get(f"/meetings/{meeting.code}/{path}").status_code == 200
    assert session(d.member1).get(f"/meetings/{meeting.code}/minutes/").status_code == 403
    member_page = session(d.member1).get(f"/meetings/{meeting.code}/").content.decode()
    assert "minutes.docx" not in member_page
    meeting.refresh_from_db()
    assert meeting.host == "" and not AuditEvent.objects.filter(action="meeting.minutes")
