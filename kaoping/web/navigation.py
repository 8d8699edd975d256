"""The side menu (导航菜单): each person sees only what they can use, grouped by their work.

One definition for every page (``web/_nav.html`` renders it, cached per role). The
conditions are the apps' own predicates on the cached scope, so building the menu costs
no query, except the secretary's branch names (one, on a cache miss) and the setup guide's
check, which only a user with no role pays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kaoping.onboarding.templatetags.onboarding import user_setup_link
from kaoping.orgs.selectors import branches_kept, scope_for
from kaoping.planning.selectors import may_plan
from kaoping.unqualified.selectors import acts_anywhere

BRANCH_MENU_MAX = 5  # beyond this many branches a secretary reaches them from 总览


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str


@dataclass
class MenuGroup:
    """A heading of the side menu and its links, in the order of the person's work."""

    label: str
    links: list[MenuLink] = field(default_factory=list)


def menu_for(user) -> list[MenuGroup]:
    """The groups of the side menu for ``user``; empty groups are left out."""
    scope = scope_for(user)
    groups: list[MenuGroup] = [MenuGroup("", [MenuLink(_("工作台"), reverse("workbench:home"))])]
    if scope.member_id is not None:
        groups.append(
            MenuGroup(
                _("我的"),
                [
                    MenuLink(_("我的考评"), reverse("web:me")),
                    MenuLink(_("会议与请假"), reverse("web:me") + "#daily"),
                    MenuLink(_("加分申报"), reverse("claims:mine")),
                    MenuLink(_("我的任务"), reverse("tasks:mine")),
                ],
            )
        )
    branches = branches_kept(actor=user, limit=BRANCH_MENU_MAX)
    for branch in branches:
        code = branch.code
        groups.append(
            MenuGroup(
                branch.name,
                [
                    MenuLink(_("支部概况"), reverse("web:branch", args=[code])),
                    MenuLink(_("会议"), reverse("meetings:branch", args=[code])),
                    MenuLink(_("党费"), reverse("dues:branch", args=[code])),
                    MenuLink(_("任务"), reverse("tasks:branch", args=[code])),
                    MenuLink(_("加分审核"), reverse("claims:branch", args=[code])),
                    MenuLink(_("看板"), reverse("dashboards:branch", args=[code])),
                    MenuLink(
                        _("监测预警"),
                        reverse("monitoring:index") + "?" + urlencode({"branch": code}),
                    ),
                ],
            )
        )
    committee = MenuGroup(_("组织工作"))
    if scope.is_staff_role and (
        scope.everything or scope.admin_paths or len(scope.read_paths) > 1 or not scope.manage_paths
    ):
        committee.links += [
            MenuLink(_("总览"), reverse("web:overview")),
            MenuLink(_("看板"), reverse("dashboards:home")),
            MenuLink(_("数据大屏"), reverse("dashboards:screen")),
            MenuLink(_("专项督查"), reverse("inspections:groups")),
            MenuLink(_("失联党员"), reverse("archive:lost_contacts")),
            MenuLink(_("监测预警"), reverse("monitoring:index")),
        ]
    elif not branches and (scope.member_id is not None or scope.is_staff_role):
        committee.links.append(MenuLink(_("看板"), reverse("dashboards:home")))
    if acts_anywhere(user):
        committee.links.append(MenuLink(_("不合格党员处置"), reverse("unqualified:index")))
    groups.append(committee)
    scheme = MenuGroup(_("考评方案"))
    if scope.is_staff_role:
        scheme.links.append(MenuLink(_("考评方案"), reverse("web:schemes")))
    if may_plan(actor=user):
        scheme.links.append(MenuLink(_("方案谋划"), reverse("planning:drafts")))
    groups.append(scheme)
    system = MenuGroup(_("系统"))
    if scope.everything or scope.manage_paths:
        system.links.append(MenuLink(_("账号管理"), reverse("accounts:index")))
    if scope.is_staff_role:
        system.links.append(MenuLink(_("后台任务"), reverse("jobs:list")))
    if scope.is_scheme_admin:
        system.links.append(MenuLink(_("审计日志"), reverse("web:audit")))
        system.links.append(MenuLink(_("发送失败"), reverse("delivery:failures")))
    if user_setup_link(user):
        system.links.append(MenuLink(_("设置向导"), reverse("onboarding:start")))
    groups.append(system)
    return [g for g in groups if g.links]
