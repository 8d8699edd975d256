"""The rows of the web's spreadsheets: the ledger's columns and one entry as a row, shared
by the page's export and the background export of every visible branch."""

ENTRY_HEADERS = (
    "记录编号", "日期", "党员编号", "姓名", "指标代码", "指标", "加扣分", "次数", "分值",
    "冲销记录", "被冲销于", "来源", "说明", "佐证", "录入人", "录入时间",
)  # fmt: skip
RESULT_HEADERS = (
    "排名", "党员编号", "姓名", "扣分", "加分", "日常得分", "民主测评得票率",
    "民主测评得分", "综合得分", "等次", "标记",
)  # fmt: skip


def entry_row(e) -> tuple:
    return (
        e.code,
        e.date,
        e.member.code,
        e.member.name,
        e.item.code,
        e.item.name,
        e.item.get_kind_display(),
        e.occurrences,
        e.points,
        e.reverses.code if e.reverses_id else "",
        e.reversed_by.code if getattr(e, "reversed_by", None) else "",
        e.get_source_display(),
        e.note,
        e.evidence,
        e.recorded_by.get_username() if e.recorded_by_id else "系统",
        e.recorded_at,
    )
