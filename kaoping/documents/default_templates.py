"""The default template of each kind (默认模板), built with python-docx rather than kept
as a binary file: what it holds is reviewable here, and an organisation downloads it from
the documents page to make its own version in Word.

Each ``{{ field }}`` is written as one run, as docxtpl needs."""

import io
from collections.abc import Callable

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "宋体"


def _document():
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.5)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return document


def _title(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(16)


def _cell(cell, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold


def _rows(document, rows: list[list[str]], widths: int) -> None:
    """A bordered table; a row shorter than ``widths`` has its last cell span the rest.
    Labels (every other cell) are bold."""
    table = document.add_table(rows=0, cols=widths)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for texts in rows:
        cells = table.add_row().cells
        if len(texts) < widths:
            cells[len(texts) - 1].merge(cells[widths - 1])
        for i, text in enumerate(texts):
            _cell(cells[i], text, bold=i % 2 == 0)


def _signed_off(document, footer: str) -> bytes:
    """The document's bytes, closed by its small ``footer`` line (when it was made)."""
    document.add_paragraph(footer).runs[0].font.size = Pt(9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def registration_form() -> bytes:
    """民主评议党员登记表: one member, one year."""
    document = _document()
    _title(document, "{{ year }}年度民主评议党员登记表")
    paragraph = document.add_paragraph()
    paragraph.add_run("党组织：{{ organization }}　　党支部：{{ branch }}")
    _rows(
        document,
        [
            ["姓名", "{{ member_name }}", "性别", "{{ gender }}", "民族", "{{ ethnicity }}"],
            ["出生日期", "{{ birth_date }}", "学历", "{{ education }}"]
            + ["入党日期", "{{ joined_on }}"],
            ["党员编号", "{{ member_code }}", "工作岗位", "{{ job }}"],
            ["查找的问题", "{{ self_problems }}"],
            ["原因分析", "{{ self_causes }}"],
            ["整改措施", "{{ self_measures }}"],
            ["互评意见（{{ peer_count }}条）", "{{ peer_summary }}"],
            ["书记点评", "{{ secretary_comment }}"],
            ["整改要求", "{{ secretary_requirements }}"],
            ["民主测评得分率", "{{ vote_percent }}", "日常量化得分", "{{ daily_score }}"],
            ["综合得分", "{{ composite_score }}", "评定等次", "{{ grade }}"],
            ["党支部意见", "{{ organization_opinion }}"],
        ],
        widths=6,
    )
    document.add_paragraph()
    document.add_paragraph("党支部书记（签字）：＿＿＿＿＿＿　　党支部（盖章）")
    document.add_paragraph("日期：＿＿＿＿年＿＿月＿＿日")
    document.add_paragraph("上级党组织意见：")
    document.add_paragraph("签字（盖章）：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日")
    return _signed_off(document, "本表由考评系统于 {{ generated_on }} 生成。")


def _loop_table(document, columns, rows: str) -> None:
    """A table with a header row and one row per item of the field ``rows``. The loop's
    opening and closing tags each take a row of their own, which docxtpl removes; the
    middle row repeats once per item."""
    table = document.add_table(rows=3, cols=len(columns))
    table.style = "Table Grid"
    for i, (label, _name) in enumerate(columns):
        _cell(table.rows[0].cells[i], label, bold=True)
    _cell(table.rows[1].cells[0], "{%tr for r in " + rows + " %}")
    for i, (_label, name) in enumerate(columns):
        _cell(table.rows[2].cells[i], "{{ r." + name + " }}")
    closing = table.add_row().cells
    _cell(closing[0], "{%tr endfor %}")


NOTICE_COLUMNS = (
    ("排名", "rank"),
    ("姓名", "name"),
    ("扣分", "deductions"),
    ("加分", "bonus"),
    ("日常", "daily"),
    ("民主测评", "democratic"),
    ("综合", "composite"),
    ("等次", "grade"),
)


def results_notice() -> bytes:
    """党员考评结果公示: a branch's published results, one table row per member (docxtpl's
    ``{%tr %}`` row loop)."""
    document = _document()
    _title(document, "{{ branch }} {{ year }} 年度党员考评结果公示")
    document.add_paragraph("{{ organization }}")
    document.add_paragraph("公示日期：{{ published_on }}　公示期至：{{ notice_until }}")
    _loop_table(document, NOTICE_COLUMNS, "rows")
    document.add_paragraph("如有异议，请在公示期内通过系统提出申诉。")
    return _signed_off(document, "本公示由考评系统于 {{ generated_on }} 生成。")


def meeting_minutes() -> bytes:
    """会议记录: one meeting of a branch."""
    document = _document()
    _title(document, "{{ branch }}会议记录")
    document.add_paragraph("{{ organization }}")
    _rows(
        document,
        [
            ["会议类型", "{{ kind }}", "会议时间", "{{ starts_at }}"],
            ["议题", "{{ topic }}"],
            ["地点", "{{ place }}"],
            ["主持人", "{{ host }}", "记录人", "{{ recorder }}"],
            ["应到人数", "{{ expected_count }}", "实到人数", "{{ present_count }}"],
            ["出席人员", "{{ present }}"],
            ["请假人员（{{ leave_count }}人）", "{{ on_leave }}"],
            ["缺席人员（{{ absent_count }}人）", "{{ absent }}"],
            ["未登记", "{{ unmarked }}"],
            ["会议内容", "{{ minutes }}"],
        ],
        widths=4,
    )
    document.add_paragraph()
    document.add_paragraph("主持人（签字）：＿＿＿＿＿＿　　记录人（签字）：＿＿＿＿＿＿")
    return _signed_off(document, "本记录由考评系统于 {{ generated_on }} 生成。")


def annual_report() -> bytes:
    """支部年度考评报告: the branch dashboard's figures as tables."""
    document = _document()
    _title(document, "{{ branch }} {{ year }} 年度党员考评报告")
    document.add_paragraph("{{ organization }} · {{ status }}")
    _rows(
        document,
        [
            ["参评党员", "{{ members_count }}", "扣分合计", "{{ deductions_total }}"],
            ["等次分布", "{{ grades }}"],
        ],
        widths=4,
    )
    document.add_heading("考评结果（{{ ranked_count }}人）", level=2)
    _loop_table(document, NOTICE_COLUMNS, "ranking")
    document.add_heading("扣分（按指标）", level=2)
    _loop_table(document, (("指标", "item"), ("合计", "total")), "deduction_items")
    document.add_heading("会议出席", level=2)
    attendance = (
        ("月份", "month"),
        ("应到人次", "total"),
        ("出席", "present"),
        ("请假", "leave"),
        ("缺席", "absent"),
        ("出席率", "rate"),
    )
    _loop_table(document, attendance, "attendance")
    document.add_heading("党费交纳", level=2)
    dues = (
        ("月份", "month"),
        ("应交人数", "due"),
        ("按时足额", "paid"),
        ("逾期", "late"),
        ("未足额", "short"),
        ("未交", "unpaid"),
        ("按时足额比例", "rate"),
    )
    _loop_table(document, dues, "dues")
    document.add_paragraph()
    document.add_paragraph("支部书记签字：＿＿＿＿＿＿　　支部（盖章）　　日期：＿＿＿＿＿＿")
    return _signed_off(document, "本报告由考评系统于 {{ generated_on }} 生成。")


def _both_bodies(document, heading: str, committee: str, org_department: str) -> None:
    """A section of the opinions of the two bodies a case passes twice (pre-review, then
    approval): the working committee (党工委) and the organisation department (组织部)."""
    document.add_heading(heading, level=2)
    rows = [["区直机关党工委", committee], ["区委组织部", org_department]]
    _rows(document, rows, widths=2)


def unqualified_case() -> bytes:
    """不合格党员处置文书: the proposal, both pre-reviews, the vote, both approvals and the
    determination of one case, each a section with its signature line."""
    document = _document()
    _title(document, "不合格党员处置文书")
    document.add_paragraph("{{ organization }}　{{ branch }}　{{ year }}年度　编号 {{ case_code }}")
    document.add_heading("一、处置意见（党支部提出）", level=2)
    _rows(
        document,
        [
            ["党员", "{{ member_name }}（{{ member_code }}）", "提出日期", "{{ proposed_on }}"],
            ["情形", "{{ condition }}"],
            ["事实", "{{ facts }}"],
            ["说明", "{{ proposal_opinion }}"],
        ],
        widths=4,
    )
    _both_bodies(
        document, "二、预审意见", "{{ pre_review_committee }}", "{{ pre_review_org_department }}"
    )
    document.add_heading("三、党员大会表决记录", level=2)
    _rows(
        document,
        [
            ["会议日期", "{{ vote_held_on }}", "通过规则", "{{ vote_basis }}"],
            ["应到会有表决权党员", "{{ vote_entitled }}", "到会", "{{ vote_present }}"],
            ["赞成", "{{ vote_in_favour }}", "反对", "{{ vote_against }}"],
            ["弃权", "{{ vote_abstaining }}", "表决结果", "{{ vote_result }}"],
        ],
        widths=4,
    )
    _both_bodies(
        document, "四、审批意见", "{{ approval_committee }}", "{{ approval_org_department }}"
    )
    document.add_heading("五、认定结果", level=2)
    _rows(
        document,
        [
            ["认定结果", "{{ determination }}", "办结日期", "{{ closed_on }}"],
            ["后续处理", "{{ handlings }}"],
        ],
        widths=4,
    )
    document.add_paragraph()
    document.add_paragraph("经办人（签字）：＿＿＿＿＿＿　　（盖章）　　日期：＿＿＿＿＿＿")
    return _signed_off(document, "本文书由考评系统于 {{ generated_on }} 生成。")


DEFAULT_TEMPLATES: dict[str, Callable[[], bytes]] = {
    "registration-form": registration_form,
    "results-notice": results_notice,
    "meeting-minutes": meeting_minutes,
    "annual-report": annual_report,
    "unqualified-case": unqualified_case,
}
