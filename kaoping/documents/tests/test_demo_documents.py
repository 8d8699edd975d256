"""Every kind of document from the demo district (issue 22's tests): the demo's year as
`kaoping demo` loads it, a branch's results published, a meeting's minutes written and a
case proposed; each .docx, opened with python-docx, holds its member, grade and fields,
and LibreOffice prints it with its Chinese content."""

import datetime
import io
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from kaoping.documents.tests.test_registration_form import text_of
from kaoping.meetings.models import Meeting
from kaoping.meetings.services import meeting_minutes_record
from kaoping.orgs.models import Organization
from kaoping.publication.models import Publication
from kaoping.scoring.models import MemberResult
from kaoping.testing.api import session
from kaoping.testing.office import office_to_pdf, pdftotext
from kaoping.unqualified.services import case_propose

pytestmark = pytest.mark.django_db
YEAR = 2026


def test_every_document_kind_from_the_demo_district(office):
    call_command("demo", year=YEAR, stdout=StringIO())
    branch = Organization.objects.get(code="B01")
    secretary = get_user_model().objects.get(username="sec-b01")
    # B01 published as publishing leaves it: its stored results and the notice's record
    Publication.objects.create(
        year=YEAR, branch=branch, notice_until=timezone.now() + datetime.timedelta(days=5)
    )
    result = (
        MemberResult.objects.filter(year=YEAR, branch=branch, grade="qualified")
        .select_related("member")
        .order_by("rank")
        .first()
    )
    member = result.member
    meeting = Meeting.objects.filter(branch=branch, status="closed").order_by("starts_at").first()
    meeting_minutes_record(
        actor=secretary, meeting=meeting, host="支部书记", recorder="组织委员",
        minutes="传达学习上级会议精神。",
    )  # fmt: skip
    case = case_propose(
        actor=secretary, member=member, condition="7", year=YEAR,
        facts="因违法行为受到行政处罚。",
        files=[SimpleUploadedFile("facts.pdf", b"%PDF-1.4 evidence", "application/pdf")],
    )  # fmt: skip

    page = session(secretary)
    urls = {
        "form": f"/members/{member.code}/documents/{YEAR}/registration-form.docx",
        "notice": f"/branches/B01/documents/{YEAR}/results-notice.docx",
        "minutes": f"/meetings/{meeting.code}/minutes.docx",
        "report": f"/branches/B01/documents/{YEAR}/annual-report.docx",
        "case": f"/unqualified/{case.code}/documents.docx",
    }
    files = {}
    for kind, url in urls.items():
        answer = page.get(url)
        assert answer.status_code == 200, (kind, answer.status_code)
        files[kind] = answer.content
    text = {kind: text_of(content) for kind, content in files.items()}
    grade = result.get_grade_display()
    assert member.name in text["form"] and grade in text["form"]
    assert f"{YEAR}年度民主评议党员登记表" in text["form"] and member.code in text["form"]
    assert member.name in text["notice"] and grade in text["notice"]
    assert branch.name in text["minutes"] and meeting.topic in text["minutes"]
    assert "传达学习上级会议精神。" in text["minutes"] and "支部书记" in text["minutes"]
    assert (
        member.name in text["report"] and f"{branch.name} {YEAR} 年度党员考评报告" in text["report"]
    )
    assert member.name in text["case"] and "因违法行为受到行政处罚。" in text["case"]

    pdfs = office_to_pdf(office, files, suffix=".docx")
    for kind, pdf in pdfs.items():
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        assert 1 <= pages <= (4 if kind == "report" else 2), (kind, pages)
        printed = re.sub(r"\s+", "", pdftotext(pdf))
        assert re.sub(r"\s+", "", member.name if kind != "minutes" else meeting.topic) in printed
