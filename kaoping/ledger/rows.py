"""The ledger as spreadsheet rows (评分台账): its columns and one entry as a row, shared by
the branch page's export, the background export of every visible branch and the year's
archive (documents)."""

ENTRY_HEADERS = (
    "记录编号", "日期", "党员编号", "姓名", "指标代码", "指标", "加扣分", "次数", "分值",
    "冲销记录", "被冲销于", "来源", "说明", "佐证", "录入人", "录入时间",
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
