"""The demo's logins (演示账号): one per role worth looking at, printed by ``demo``."""

from __future__ import annotations

from dataclasses import dataclass

from .district import SUPERVISED_BRANCHES, TIE_BRANCHES


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # a RoleAssignment role, "member", or "" for none
    organizations: tuple[str, ...]  # organisation codes (the member's code for "member")
    label: str  # the role as people say it
    look_at: str  # what this login is good for in the demo
    superuser: bool = False


def demo_logins(bundle: dict) -> list[DemoLogin]:
    """The demo's logins: admin, org department, a secretary per branch, a supervisor
    and the first three members of the first branch."""
    branches = [o for o in bundle["organizations"] if o["kind"] == "branch"]
    root = next(o["code"] for o in bundle["organizations"] if o["kind"] == "committee")
    logins = [
        DemoLogin(
            "admin",
            "committee_admin",
            (root,),
            "机关工委管理员 committee admin (superuser)",
            "全区结果、方案、台账、/admin/ · all branches, scheme, results",
            superuser=True,
        ),
        DemoLogin(
            "orgdept",
            "org_department",
            (root,),
            "组织部审核人 org. department",
            "不合格党员预审与审批 · co-reviews unqualified proposals",
        ),
    ]
    branch_of = {m["id"]: m["branch"] for m in bundle["members"]}
    warning_branches = {
        branch_of[h["member"]] for h in bundle["history"] if h["grade"] == "warning"
    }
    for org in branches:
        notes = []
        if org["code"] in TIE_BRANCHES:
            notes.append("优秀名额并列待认定 quota tie (pending)")
        if org["code"] in warning_branches:
            notes.append("连续两年警示 candidate:8")
        if org.get("category") == "retired":
            notes.append("离退休支部、健康免考 retired branch, exemptions")
        logins.append(
            DemoLogin(
                f"sec-{org['code'].lower()}",
                "secretary",
                (org["code"],),
                "支部书记 secretary",
                f"{org['name']}" + (" · " + "; ".join(notes) if notes else ""),
            )
        )
    supervised = "、".join(SUPERVISED_BRANCHES)
    logins.append(
        DemoLogin(
            "supervisor",
            "supervisor",
            SUPERVISED_BRANCHES,
            "专项督查组 supervisor",
            f"督查 {supervised} · inspection findings",
        )
    )
    first = branches[0]["code"]
    for m in [m for m in bundle["members"] if m["branch"] == first][:3]:
        logins.append(
            DemoLogin(
                f"member-{m['id'].lower()}",
                "member",
                (m["id"],),
                f"党员 member {m['name']}",
                "本人台账与得分 · own ledger and score",
            )
        )
    return logins
