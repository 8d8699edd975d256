"""Every kind of document from the records, opened in a real office client (LibreOffice
Writer, as a stand-in for Word and WPS) and printed to PDF (issue 22's tests): each
prints on the expected number of pages and poppler's pdftotext finds its Chinese
content, so the .docx is a document an office can open, not only a zip python-docx
reads."""

import io
import re

import pytest
from pypdf import PdfReader

from kaoping.documents.tests.test_registration_form import evaluated
from kaoping.meetings.services import meeting_minutes_record
from kaoping.testing.api import session
from kaoping.testing.office import office_to_pdf, pdftotext
from kaoping.unqualified.tests.test_services import propose

pytestmark = pytest.mark.django_db


def test_every_document_prints_in_an_office_client(office, district, meeting):
    d = district
    evaluated(d)
    case = propose(d)
    meeting_minutes_record(
        actor=d.sec1, meeting=meeting, host="李书记", recorder="王委员", minutes="学习了党章。"
    )
    page = session(d.sec1)
    files = {
        "form": page.get("/members/M1/documents/2026/registration-form.docx").content,
        "notice": page.get("/branches/B1/documents/2026/results-notice.docx").content,
        "minutes": page.get(f"/meetings/{meeting.code}/minutes.docx").content,
        "report": page.get("/branches/B1/documents/2026/annual-report.docx").content,
        "case": page.get(f"/unqualified/{case.code}/documents.docx").content,
    }
    pdfs = office_to_pdf(office, files, suffix=".docx")
    pages = {name: len(PdfReader(io.BytesIO(pdf)).pages) for name, pdf in pdfs.items()}
    assert pages["form"] == pages["notice"] == pages["minutes"] == 1, pages
    assert 1 <= pages["report"] <= 3 and 1 <= pages["case"] <= 2, pages
    # pdftotext -layout spaces runs apart ("2026 年度"): compare without whitespace
    text = {name: re.sub(r"\s+", "", pdftotext(pdf)) for name, pdf in pdfs.items()}
    assert "2026年度民主评议党员登记表" in text["form"] and "张三" in text["form"]
    assert "理论学习不系统" in text["form"]
    assert "党员考评结果公示" in text["notice"] and "李四" in text["notice"]
    assert "第一党支部会议记录" in text["minutes"] and "李书记" in text["minutes"]
    assert "学习了党章" in text["minutes"] and "周七" in text["minutes"]
    assert "年度党员考评报告" in text["report"] and "张三" in text["report"]
    assert "不合格党员处置文书" in text["case"] and "受到行政处罚" in text["case"]
