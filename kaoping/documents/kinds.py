"""The kinds of official document (文书种类) and the fields each template may use.

A field list is the one description of a kind's data: the default template uses only
these names, ``docs/documents.md`` lists them (a test compares), and the context a
document is filled from has exactly these keys.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: its name in URLs, its title, its fields (name → meaning)."""

    slug: str
    title: Promise
    fields: dict[str, Promise]

    @property
    def filename_stem(self) -> str:
        return str(self.title)


# The fields most kinds share: the branch and the organisation above it (the 登记表 names
# them from the member's side), the year of a branch's results, and the day the file was
# made, which every kind ends with.
_BRANCH = {
    "organization": _("党组织名称（支部的上级党组织）"),
    "branch": _("党支部"),
}
_BRANCH_YEAR = {**_BRANCH, "year": _("考评年度")}
_GENERATED = {"generated_on": _("生成日期")}


REGISTRATION_FORM = DocumentKind(
    slug="registration-form",
    title=_("民主评议党员登记表"),
    fields={
        "organization": _("党组织名称（党员所在支部的上级党组织）"),
        "branch": _("所在党支部"),
        "year": _("评议年度"),
        "member_name": _("姓名"),
        "member_code": _("党员编号"),
        "gender": _("性别"),
        "ethnicity": _("民族"),
        "birth_date": _("出生日期"),
        "education": _("学历"),
        "joined_on": _("入党日期"),
        "job": _("工作岗位"),
        "self_problems": _("个人自评：查找的问题"),
        "self_causes": _("个人自评：原因分析"),
        "self_measures": _("个人自评：整改措施"),
        "peer_count": _("收到的互评意见条数"),
        "peer_summary": _("互评意见摘要（不署名）"),
        "secretary_comment": _("书记点评意见"),
        "secretary_requirements": _("整改要求"),
        "vote_percent": _("民主测评得分率（%，不含选票）"),
        "daily_score": _("日常量化得分"),
        "composite_score": _("综合得分"),
        "grade": _("评定等次"),
        "organization_opinion": _("党支部意见"),
        **_GENERATED,
    },
)

RESULTS_NOTICE = DocumentKind(
    slug="results-notice",
    title=_("党员考评结果公示"),
    fields={
        **_BRANCH_YEAR,
        "published_on": _("公示日期"),
        "notice_until": _("公示期至"),
        "rows": _(
            "公示的结果，每行有 rank（排名）、name（姓名）、deductions（扣分）、bonus（加分）、"
            "daily（日常）、democratic（民主测评）、composite（综合）、grade（等次）；"
            "在表格行中写 {%tr for r in rows %} … {{ r.name }} … {%tr endfor %}"
        ),
        **_GENERATED,
    },
)

MEETING_MINUTES = DocumentKind(
    slug="meeting-minutes",
    title=_("会议记录"),
    fields={
        **_BRANCH,
        "kind": _("会议类型"),
        "topic": _("议题"),
        "starts_at": _("会议时间"),
        "place": _("地点"),
        "host": _("主持人"),
        "recorder": _("记录人"),
        "expected_count": _("应到人数"),
        "present_count": _("实到人数"),
        "present": _("出席人员"),
        "leave_count": _("请假人数"),
        "on_leave": _("请假人员"),
        "absent_count": _("缺席人数"),
        "absent": _("缺席人员"),
        "unmarked": _("尚未登记考勤的人员"),
        "minutes": _("会议记录正文"),
        **_GENERATED,
    },
)

ANNUAL_REPORT = DocumentKind(
    slug="annual-report",
    title=_("支部年度考评报告"),
    fields={
        **_BRANCH_YEAR,
        "status": _("结果状态（某日公示，或实时结果尚未公示）"),
        "members_count": _("参评党员人数"),
        "ranked_count": _("结果表中的人数"),
        "deductions_total": _("扣分合计"),
        "grades": _("各等次人数（如“优秀 2 人、合格 20 人”）"),
        "ranking": _(
            "考评结果，每行有 rank、name、deductions、bonus、daily、democratic、composite、grade；"
            "在表格行中写 {%tr for r in ranking %} … {%tr endfor %}"
        ),
        "deduction_items": _("按指标的扣分，每行有 item（指标）、total（合计）"),
        "attendance": _(
            "会议出席（按月），每行有 month、total（应到人次）、present、leave、absent、rate"
        ),
        "dues": _(
            "党费交纳（按月），每行有 month、due（应交人数）、paid（按时足额）、late（逾期）、"
            "short（未足额）、unpaid（未交）、rate（按时足额比例）"
        ),
        **_GENERATED,
    },
)

UNQUALIFIED_CASE = DocumentKind(
    slug="unqualified-case",
    title=_("不合格党员处置文书"),
    fields={
        **_BRANCH,
        "year": _("年度"),
        "case_code": _("案件编号"),
        "member_name": _("党员姓名"),
        "member_code": _("党员编号"),
        "condition": _("情形"),
        "facts": _("事实"),
        "proposed_on": _("提出日期"),
        "proposal_opinion": _("支部提出处置意见时的说明"),
        "pre_review_committee": _("党工委预审意见（操作、日期、意见）"),
        "pre_review_org_department": _("组织部预审意见（操作、日期、意见）"),
        "vote_held_on": _("党员大会日期"),
        "vote_entitled": _("应到会有表决权党员人数"),
        "vote_present": _("到会有表决权党员人数"),
        "vote_in_favour": _("赞成票"),
        "vote_against": _("反对票"),
        "vote_abstaining": _("弃权票"),
        "vote_basis": _("通过规则"),
        "vote_result": _("表决结果"),
        "approval_committee": _("党工委审批意见"),
        "approval_org_department": _("组织部审批意见"),
        "determination": _("认定结果"),
        "closed_on": _("办结日期"),
        "handlings": _("后续处理（每项一行）"),
        **_GENERATED,
    },
)

KINDS = {
    kind.slug: kind
    for kind in (
        REGISTRATION_FORM,
        RESULTS_NOTICE,
        MEETING_MINUTES,
        ANNUAL_REPORT,
        UNQUALIFIED_CASE,
    )
}
