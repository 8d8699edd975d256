"""The columns of the web's results spreadsheet (the ledger's are ``ledger.rows``)."""

RESULT_HEADERS = (
    "排名", "党员编号", "姓名", "扣分", "加分", "日常得分", "民主测评得票率",
    "民主测评得分", "综合得分", "等次", "标记",
)  # fmt: skip
