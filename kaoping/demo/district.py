"""The demo district's shape (演示数据): its organisations, which branches show the quota
tie and the supervision, the members with a special story, and the year's scheme."""

from __future__ import annotations

import copy

from kaoping.schemes.template import DEFAULT_ITEMS

ROOT = ("W", "区直机关工委")

# (code, name, kind, [(branch code, branch name, size, category)])
TREE: list[tuple[str, str, str, list[tuple[str, str, int, str]]]] = [
    (
        "P1",
        "区财政局机关党委",
        "party_committee",
        [
            ("B01", "区财政局预算股党支部", 30, "in_service"),
            ("B02", "区财政局国库集中支付中心党支部", 28, "in_service"),
            ("B03", "区财政局综合党支部", 26, "in_service"),
        ],
    ),
    (
        "P2",
        "区发改委机关党总支",
        "general_branch",
        [
            ("B04", "区发改委第一党支部", 32, "in_service"),
            ("B05", "区发改委第二党支部", 27, "in_service"),
        ],
    ),
    (
        "P3",
        "区人社局机关党委",
        "party_committee",
        [
            ("B06", "区人社局机关党支部", 30, "in_service"),
            ("B07", "区就业服务中心党支部", 25, "in_service"),
            ("B08", "区社会保险事业中心党支部", 27, "in_service"),
        ],
    ),
    (
        "P4",
        "区住建局机关党总支",
        "general_branch",
        [
            ("B09", "区住建局机关党支部", 28, "in_service"),
            ("B10", "区城建档案馆党支部", 9, "in_service"),
        ],
    ),
]
# Branches directly under the working committee.
DIRECT_BRANCHES: list[tuple[str, str, int, str]] = [
    ("B11", "区直机关工委机关党支部", 16, "in_service"),
    ("B12", "区直机关离退休干部党支部", 22, "retired"),
]

# Branches where members tie on the last excellent place: branch -> members above the tie.
TIE_BRANCHES = {"B05": 3, "B10": 0}
SUPERVISED_BRANCHES = ("B04", "B07")

# Special members, by branch and position in the branch (0-based, counted from the end
# with negative numbers so that the first members of every branch stay ordinary).
SPECIAL: dict[tuple[str, int], dict] = {
    ("B01", -1): {"status": "transferred_out", "profile": "transferred"},
    ("B02", -3): {"profile": "warning"},
    ("B03", -1): {"status": "lost_contact", "profile": "lost"},
    ("B04", -2): {"status": "under_investigation", "profile": "deferred"},
    ("B06", -1): {"status": "transferred_out", "profile": "transferred"},
    ("B06", 6): {"profile": "serious"},
    ("B07", -4): {"profile": "warning"},
    ("B07", -1): {"status": "lost_contact", "profile": "lost"},
    ("B08", -2): {"status": "under_investigation", "profile": "deferred"},
    ("B09", -1): {"status": "lost_contact", "profile": "lost"},
    ("B11", -1): {"status": "transferred_out", "profile": "transferred"},
    ("B12", -1): {"status": "deceased", "profile": "transferred"},
    ("B12", 3): {"exemption": 0},
    ("B12", 11): {"exemption": 1},
}


def scheme_settings() -> dict:
    return {
        "base_points": "70",
        "bonus_cap": "10",
        "democratic_share": "0.30",
        "excellent_threshold": "90",
        "qualified_threshold": "70",
        "basic_threshold": "60",
        "excellent_quota": "0.15",
        "quota_rounding": "floor",
        "ballot_options": {
            "excellent": "100",
            "qualified": "80",
            "basic": "60",
            "unqualified": "0",
        },
        "items": copy.deepcopy(DEFAULT_ITEMS),
    }


def organizations() -> tuple[list[dict], list[tuple[str, str, int, str]]]:
    orgs = [{"code": ROOT[0], "name": ROOT[1], "kind": "committee", "parent": None}]
    branches: list[tuple[str, str, int, str]] = []
    for code, name, kind, children in TREE:
        orgs.append({"code": code, "name": name, "kind": kind, "parent": ROOT[0]})
        for b_code, b_name, size, category in children:
            orgs.append(
                {
                    "code": b_code,
                    "name": b_name,
                    "kind": "branch",
                    "parent": code,
                    "category": category,
                }
            )
            branches.append((b_code, b_name, size, category))
    for b_code, b_name, size, category in DIRECT_BRANCHES:
        orgs.append(
            {
                "code": b_code,
                "name": b_name,
                "kind": "branch",
                "parent": ROOT[0],
                "category": category,
            }
        )
        branches.append((b_code, b_name, size, category))
    return orgs, branches
