"""The default scheme template (考评方案模板): the source's items with example values.

The source fixes only the serious-violation deduction (10 points, disqualifies); every
other value is an example each organisation changes at year start.
"""

DEFAULT_ITEMS: list[dict] = [
    {
        "code": "D01",
        "kind": "deduction",
        "group": "obligations",
        "name": "无故缺席三会一课",
        "points": "2",
    },
    {
        "code": "D02",
        "kind": "deduction",
        "group": "obligations",
        "name": "无故不完成学习任务",
        "points": "1",
    },
    {
        "code": "D03",
        "kind": "deduction",
        "group": "obligations",
        "name": "无故缺席组织生活",
        "points": "2",
    },
    {
        "code": "D04",
        "kind": "deduction",
        "group": "obligations",
        "name": "不按时足额交纳党费",
        "points": "2",
    },
    {
        "code": "D05",
        "kind": "deduction",
        "group": "obligations",
        "name": "无故不完成党组织交办任务",
        "points": "2",
    },
    {
        "code": "D06",
        "kind": "deduction",
        "group": "duties",
        "name": "无故不能按时完成岗位职责任务",
        "points": "1.5",
    },
    {
        "code": "D07",
        "kind": "deduction",
        "group": "duties",
        "name": "履职中出现组织确认的失误",
        "points": "3",
    },
    {
        "code": "D08",
        "kind": "deduction",
        "group": "duties",
        "name": "庸懒散拖（迟到早退、上班做与工作无关的事）",
        "points": "0.5",
    },
    {
        "code": "D09",
        "kind": "deduction",
        "group": "other",
        "name": "履职行为被上级通报",
        "points": "3",
    },
    {
        "code": "D10",
        "kind": "deduction",
        "group": "other",
        "name": "严重损害公务员形象",
        "points": "10",
        "disqualifies": True,
    },
    {"code": "B01", "kind": "bonus", "group": "awards", "name": "区级工作性奖励", "points": "2"},
    {"code": "B02", "kind": "bonus", "group": "awards", "name": "市级工作性奖励", "points": "3"},
    {
        "code": "B06",
        "kind": "bonus",
        "group": "awards",
        "name": "省级及以上工作性奖励",
        "points": "5",
    },
    {
        "code": "B03",
        "kind": "bonus",
        "group": "volunteer",
        "name": "党员志愿服务活动",
        "points": "0.5",
    },
    {
        "code": "B04",
        "kind": "bonus",
        "group": "products",
        "name": "调研报告、理论文章等履职成果被采用或获批示",
        "points": "1.5",
    },
    {
        "code": "B05",
        "kind": "bonus",
        "group": "activities",
        "name": "参加党组织活动获奖",
        "points": "1",
    },
    {
        "code": "R01",
        "kind": "deduction",
        "group": "obligations",
        "name": "无故缺席离退休支部活动",
        "points": "1",
        "categories": ["retired"],
    },
]

GROUP_NAMES = {
    "obligations": "履行党员基本义务",
    "duties": "履行岗位职责",
    "other": "其它扣分项目",
    "awards": "各级工作性奖励",
    "activities": "参加党组织活动获奖",
    "volunteer": "党员志愿服务活动",
    "products": "履职成果采用及获批示",
}
