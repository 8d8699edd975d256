"""The branch's annual report (支部年度考评报告), the member's ledger and the 不合格党员
case documents (issue 22): Word files filled from the records and the print pages as
archival PDFs rendered on the server (organisation and year in the header, page numbers,
fonts embedded), each to the readers of the page it comes from."""

import datetime

import pytest

from kaoping.documents.default_templates import annual_report, unqualified_case
from kaoping.documents.generate import DOCX
from kaoping.documents.kinds import ANNUAL_REPORT, UNQUALIFIED_CASE
from kaoping.documents.rendering import template_fields
from kaoping.documents.tests.test_registration_form import (
    SNEAKY,
    evaluated,
    pdf_text_and_fonts,
    text_of,
)
from kaoping.scoring.models import MemberResult
from kaoping.testing.api import bearer, session
from kaoping.unqualified.tests.test_services import full_members, propose, to_vote, vote

pytestmark = pytest.mark.django_db

REPORT = "/branches/B1/documents/2026/annual-report"
LEDGER = "/members/M1/documents/2026/ledger"


def assert_archival(content: bytes, *expected: str) -> str:
    """An A4 PDF/A whose fonts are all embedded, with the organisation and year in its
    running header, page numbers and ``expected`` in its text; its text."""
    text, fonts = pdf_text_and_fonts(content)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert "1 / " in text or "第 1 页 / 共" in text  # page numbers
    for part in expected:
        assert part in text, part
    return text


@pytest.mark.parametrize("make", [annual_report, unqualified_case])
def test_the_default_templates_use_exactly_their_kinds_fields(make):
    kind = ANNUAL_REPORT if make is annual_report else UNQUALIFIED_CASE
    assert template_fields(make()) == set(kind.fields)


def test_the_annual_report_as_word_and_pdf(district):
    evaluated(district)
    page = session(district.sec1)
    word = page.get(REPORT + ".docx")
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    text = text_of(word.content)
    result = MemberResult.objects.get(member=district.m1, year=2026)
    assert "第一党支部 2026 年度党员考评报告" in text
    assert "区财政局机关党委" in text and "公示" in text
    assert "张三" in text and result.get_grade_display() in text
    assert "考评结果（8人）" in text
    pdf = page.get(REPORT + ".pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert_archival(pdf.content, "第一党支部 · 2026年度", "年度党员考评报告", "张三")
    dashboard = page.get("/dash/branches/B1/?year=2026").content.decode()
    assert f'href="{REPORT}.docx"' in dashboard and f'href="{REPORT}.pdf"' in dashboard
    api = bearer(district.sec1)
    assert api.get("/api" + REPORT)["Content-Type"] == DOCX
    assert api.get("/api" + REPORT + "?format=pdf")["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "user, report, ledger",
    [
        ("member1", 404, 200),  # a member: their own ledger, not the branch's report
        ("member2", 404, 404),
        ("sec1", 200, 200),
        ("sec2", 404, 404),
        ("admin", 200, 200),
    ],
)
def test_who_may_download_the_report_and_the_ledger(district, user, report, ledger):
    person = getattr(district, user)
    assert session(person).get(REPORT + ".pdf").status_code == report
    assert bearer(person).get("/api" + REPORT).status_code == report
    assert session(person).get(LEDGER + ".pdf").status_code == ledger
    assert bearer(person).get("/api" + LEDGER).status_code == ledger


def test_the_members_ledger_as_an_archival_pdf(district):
    evaluated(district)
    answer = session(district.member1).get(LEDGER + ".pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert_archival(answer.content, "第一党支部 · 2026年度", "张三")
    mine = session(district.member1).get("/dash/me/?year=2026").content.decode()
    assert f'href="{LEDGER}.pdf"' in mine


def determined_case(d):
    full_members(d, 8)
    case = to_vote(d)
    case = vote(d, case, 10, 8, 6, 1, 1)
    from kaoping.unqualified import services
    from kaoping.unqualified.models import CaseStep

    services.case_approve(actor=d.admin, case=case, body=CaseStep.Body.COMMITTEE, approve=True)
    case = services.case_approve(
        actor=d.orgdept, case=case, body=CaseStep.Body.ORG_DEPARTMENT, approve=True,
        reason="同意认定" + SNEAKY,
    )  # fmt: skip
    services.case_handling_record(
        actor=d.sec1, case=case, kind="correction", decided_on=datetime.date(2026, 4, 1),
        due_on=datetime.date(2026, 10, 1),
    )  # fmt: skip
    return case


def test_the_case_documents_hold_every_step(district):
    case = determined_case(district)
    page = session(district.sec1)
    word = page.get(f"/unqualified/{case.code}/documents.docx")
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    text = text_of(word.content)
    assert "不合格党员处置文书" in text and case.code in text and "张三（M1）" in text
    assert "2026年1月因违法行为受到行政处罚。" in text  # the proposal's facts
    assert text.count("同意（") >= 4  # both pre-reviews and both approvals
    assert "同意认定" + SNEAKY in text  # as typed
    assert "2026-03-01" in text and "表决结果\n表决通过" in text  # the vote record
    assert "已认定为不合格党员" in text and "限期改正" in text
    pdf = page.get(f"/unqualified/{case.code}/documents.pdf")
    assert pdf.status_code == 200
    pdf_text = assert_archival(pdf.content, "不合格党员处置文书", "第一党支部 · 2026年度")
    assert "已认定为不合格党员" in pdf_text
    detail = page.get(f"/unqualified/{case.code}/").content.decode()
    assert f'href="/unqualified/{case.code}/documents.docx"' in detail
    assert f'href="/unqualified/{case.code}/case-file.pdf"' in detail
    # the case file's print page, rendered on the server: every step of the history
    case_file = page.get(f"/unqualified/{case.code}/case-file.pdf")
    assert case_file.status_code == 200
    text = assert_archival(case_file.content, "不合格党员处置案卷", "第一党支部 · 2026年度")
    assert "办理过程" in text and "限期改正" in text
    api = bearer(district.admin).get(f"/api/unqualified-cases/{case.code}/documents/case-file")
    assert api["Content-Type"] == "application/pdf"


def test_the_case_documents_only_to_the_bodies_of_the_case(district):
    case = propose(district)
    for user, status in (("sec1", 200), ("admin", 200), ("orgdept", 200), ("member1", 404)):
        person = getattr(district, user)
        assert session(person).get(f"/unqualified/{case.code}/documents.docx").status_code == (
            status
        )
        api = bearer(person).get(f"/api/unqualified-cases/{case.code}/documents?format=pdf")
        assert api.status_code == status
    assert session(district.sec2).get(f"/unqualified/{case.code}/documents.pdf").status_code == 404
    assert session(district.member1).get(f"/unqualified/{case.code}/case-file.pdf").status_code == (
        404
    )
    # before the reviews, the later sections are empty, the state says where it stands
    text = text_of(session(district.sec1).get(f"/unqualified/{case.code}/documents.docx").content)
    assert "尚未办结（预审中）" in text
