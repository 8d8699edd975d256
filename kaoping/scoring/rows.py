"""Results as spreadsheet rows (考评结果): the columns and one member's result as a row,
shared by the branch page's export (live results, with their flags) and the year's
archive (the published ones)."""

from .models import Grade

RESULT_HEADERS = (
    "排名", "党员编号", "姓名", "扣分", "加分", "日常得分", "民主测评得票率", "民主测评得分",
    "综合得分", "等次",
)  # fmt: skip
GRADE_LABELS = dict(Grade.choices)


def grade_label(value) -> str:
    """A grade's name (优秀共产党员 …); a value that is no grade as it is."""
    return str(GRADE_LABELS.get(str(value), value))


def result_row(r, *, code: str, name: str) -> tuple:
    """One member's result: ``r`` is the engine's result or a stored ``MemberResult``
    (the same figures under the same names); the member's code and name as the caller
    has them."""
    return (
        r.rank,
        code,
        name,
        r.deductions,
        r.bonus,
        r.daily,
        r.democratic_pct,
        r.democratic,
        r.composite,
        grade_label(r.grade),
    )
