"""民主评议党员登记表 as a Word file: filled from the member's records, shown only to
those who may see them (the member, the branch's officers, the committee), scores only
once published, and user text that cannot change the document."""

import io
import re
from pathlib import Path

import pytest
from docx import Document

from kaoping.documents.default_templates import registration_form
from kaoping.documents.generate import DOCX
from kaoping.documents.kinds import KINDS, REGISTRATION_FORM
from kaoping.documents.rendering import docx_render, template_fields
from kaoping.evaluation.models import EvaluationRound, PeerComment
from kaoping.evaluation.services import (
    paper_tally_enter,
    round_advance,
    secretary_comment_save,
    vote_publish,
)
from kaoping.evaluation.tests.support import branch_of, open_round, self_evaluate
from kaoping.publication.services import publication_publish
from kaoping.scoring.models import MemberResult
from kaoping.testing.api import bearer, session

pytestmark = pytest.mark.django_db

PAGE = "/members/M1/documents/2026/registration-form.docx"
API = "/api/members/M1/documents/2026/registration-form"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "documents.md"
SNEAKY = "{{ year }}{% if true %}坏{% endif %}<w:t>&amp;</w:t>"


def text_of(content: bytes) -> str:
    """Every paragraph's and table cell's text of a .docx (a merged cell once)."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    parts.append(cell.text)
    return "\n".join(parts)


def evaluated(d, *, publish: bool = True, members: int = 8):
    """B1 of 8 (or ``members``) through its round: M1's self-evaluation (with template-like
    text), one peer comment on M1, the secretary's comment, a paper vote; published if
    asked."""
    size = members
    members = branch_of(d, size)
    round_ = open_round(d, vote_method=EvaluationRound.VoteMethod.PAPER)
    self_evaluate(
        d.member1,
        round_,
        problems=SNEAKY,
        causes="理论学习不系统",
        measures="每周读书",
        submit=True,
    )
    round_ = round_advance(actor=d.sec1, round_=round_)
    author = next(m for m in members if m != d.m1)
    PeerComment.objects.create(
        round=round_, author=author, subject=d.m1, strengths="乐于助人", suggestions="多发言"
    )
    round_ = round_advance(actor=d.sec1, round_=round_)
    secretary_comment_save(
        actor=d.sec1, round_=round_, member=d.m1, comment="工作积极", requirements="加强学习"
    )
    round_ = round_advance(actor=d.sec1, round_=round_)
    best = max(1, size * 15 // 100)  # the quota's worth of excellent votes, no tie
    counts = {
        m.code: {"excellent" if i < best else "qualified": size - (i if i < best else 0)}
        for i, m in enumerate(members)
    }
    paper_tally_enter(actor=d.sec1, round_=round_, counts=counts)
    paper_tally_enter(actor=d.admin, round_=round_, counts=counts)
    vote_publish(actor=d.sec1, round_=round_)
    if publish:
        publication_publish(actor=d.sec1, branch=d.b1, year=2026)
    return author


def test_the_default_template_uses_exactly_the_kinds_fields_and_the_docs_list_them():
    assert template_fields(registration_form()) == set(REGISTRATION_FORM.fields)
    listed = set(re.findall(r"^\| `(\w+)` \|", DOCS.read_text(), re.MULTILINE))
    for kind in KINDS.values():
        assert set(kind.fields) <= listed, kind.slug


def test_the_member_downloads_their_own_form_filled_from_the_records(district):
    author = evaluated(district)
    answer = session(district.member1).get(PAGE)
    assert answer.status_code == 200
    assert answer["Content-Type"] == DOCX
    assert "attachment" in answer["Content-Disposition"]
    text = text_of(answer.content)
    result = MemberResult.objects.get(member=district.m1, year=2026)
    assert "2026年度民主评议党员登记表" in text
    assert "张三" in text and "M1" in text
    assert "理论学习不系统" in text and "读书" in text
    assert "1. 优点：乐于助人；建议：多发言" in text
    assert author.name not in text  # peer comments go in without their authors
    assert "工作积极" in text and "加强学习" in text
    assert result.get_grade_display() in text
    assert f"{result.democratic_pct.quantize(1)}" in text.replace(".0%", "%")
    assert "经党支部民主评议，评定为" in text


def test_user_text_stays_text_and_cannot_inject_template_code(district):
    evaluated(district)
    text = text_of(session(district.member1).get(PAGE).content)
    assert SNEAKY in text  # as typed: not evaluated, not turned into XML


def test_control_characters_are_dropped_and_newlines_break_lines():
    fields = dict.fromkeys(REGISTRATION_FORM.fields, "")
    fields["self_problems"] = "第一行\n第二行\x00\x01\x07\x0b\x0c\x1f{{ 1 + 1 }}\t完"
    text = text_of(docx_render(registration_form(), fields))
    assert "第一行\n第二行{{ 1 + 1 }}\t完" in text
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


def test_before_publication_the_form_has_no_score_or_grade(district):
    evaluated(district, publish=False)
    text = text_of(session(district.sec1).get(PAGE).content)
    assert "工作积极" in text
    assert text.count("（结果尚未公示）") == 4  # vote, daily, composite, grade
    assert "评定为" not in text


@pytest.mark.parametrize(
    "user, status",
    [
        ("member1", 200),
        ("member2", 404),  # another member
        ("sec1", 200),  # the branch's secretary
        ("sec2", 404),  # another branch's
        ("admin", 200),  # the committee
    ],
)
def test_who_may_download_it_page_and_api(district, user, status):
    evaluated(district)
    person = getattr(district, user)
    assert session(person).get(PAGE).status_code == status
    answer = bearer(person).get(API)
    assert answer.status_code == status
    if status == 200:
        assert answer["Content-Type"] == DOCX and "张三" in text_of(answer.content)


def test_strangers_are_sent_to_sign_in_and_missing_members_get_404(client, district):
    assert client.get(PAGE).status_code == 302
    assert client.get(API).status_code == 401
    missing = "/members/NOPE/documents/2026/registration-form.docx"
    assert session(district.admin).get(missing).status_code == 404


def test_the_member_page_and_the_evaluation_page_link_to_it(district):
    evaluated(district)
    link = 'href="/members/M1/documents/2026/registration-form.docx"'
    assert link in session(district.member1).get("/eval/2026/mine/").content.decode()
    assert link in session(district.sec1).get("/members/M1/?year=2026").content.decode()


def pdf_text_and_fonts(content: bytes) -> tuple[str, set[tuple[str, bool]]]:
    """The PDF's text and its fonts, each with whether it is embedded."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            inner = font.get("/DescendantFonts")
            descriptor = (inner[0].get_object() if inner else font)["/FontDescriptor"]
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add((str(font["/BaseFont"]), embedded))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, fonts


def test_the_archival_pdf_holds_the_same_form_a4_numbered_with_fonts_embedded(district):
    evaluated(district)
    answer = session(district.member1).get(PAGE.replace(".docx", ".pdf"))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(answer.content))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in metadata and b"3" in metadata  # PDF/A-3 identification
    text, fonts = pdf_text_and_fonts(answer.content)
    assert "2026年度民主评议党员登记表" in text and "张三" in text
    assert "区财政局机关党委 · 2026年度" in text  # the header
    assert "1 / 1" in text or "1 / 2" in text  # page numbers
    assert "工作积极" in text and SNEAKY in text.replace("\n", "")
    assert fonts and all(embedded for _name, embedded in fonts)
    assert any("CJK" in name for name, _embedded in fonts)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    # The API gives the same with format=pdf, to the same readers only.
    assert bearer(district.member1).get(API + "?format=pdf")["Content-Type"] == "application/pdf"
    assert bearer(district.member2).get(API + "?format=pdf").status_code == 404
    assert session(district.member2).get(PAGE.replace(".docx", ".pdf")).status_code == 404
