"""Display helpers: scores with one decimal place, grade and flag names, the header's roles."""

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.kit.decimals import money_text, points_text, score_text
from kaoping.onboarding.templatetags.onboarding import user_setup_link
from kaoping.orgs.models import RoleAssignment
from kaoping.orgs.selectors import scope_for
from kaoping.scoring.models import Grade
from kaoping.scoring.rows import grade_label

from ..forms import BALLOT_LABELS, GROUP_LABELS
from ..navigation import menu_for

register = template.Library()

FLAG_LABELS = {
    "disqualified": gettext_lazy("取消评优资格"),
    "quota_tie": gettext_lazy("优秀名额并列，待组织认定"),
    "quota_decision_invalid": gettext_lazy("认定人数超过名额"),
    "candidate:8": gettext_lazy("连续两年警示（不合格第8条候选）"),
}
QUOTA_TIE_DECIDED = gettext_lazy("优秀名额并列，已认定")
ROLE_LABELS = dict(RoleAssignment.Role.choices)


@register.filter
def score(value) -> str:
    """A score with one decimal place (rules.md §5), or a dash when there is none."""
    return score_text(value)


@register.filter
def money(value) -> str:
    """An amount in yuan with two decimals (``¥12.00``), or a dash when there is none."""
    return money_text(value)


@register.filter
def points(value, kind=None) -> str:
    """Points with their sign and at least one decimal (``+1.0``, ``−2.0``); with an item's
    kind (``{{ e.points|points:e.item.kind }}``) a deduction's points are negative."""
    return points_text(value, kind or None)


@register.filter
def pct(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


@register.filter
def exact(value) -> str:
    """An exact decimal without trailing zeros (item points, settings)."""
    if value is None or value == "":
        return "—"
    return format(Decimal(str(value)).normalize(), "f")


@register.filter
def percent_of(value) -> str:
    """A share such as 0.3000 as "30%"."""
    return f"{format((Decimal(str(value)) * 100).normalize(), 'f')}%"


register.filter(grade_label)


@register.filter
def flag_label(value, grade=None) -> str:
    """A flag's name; with the member's grade, a tie already decided no longer says it is
    awaiting the determination (``{{ f|flag_label:r.grade }}``)."""
    if value == "quota_tie" and grade not in (None, "", Grade.PENDING):
        return str(QUOTA_TIE_DECIDED)
    return str(FLAG_LABELS.get(value, value))


@register.filter
def group_label(value) -> str:
    return str(GROUP_LABELS.get(value, value)) if value else "—"


@register.filter
def ballot_label(value) -> str:
    return str(BALLOT_LABELS.get(value, value))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def user_roles(user) -> str:
    """The user's roles in words, for the header."""
    if not getattr(user, "is_authenticated", False):
        return ""
    scope = scope_for(user)
    names = [str(ROLE_LABELS[r]) for r in RoleAssignment.Role.values if r in scope.roles]
    if scope.member_id is not None:
        names.append(_("党员"))
    if not names:
        names.append(_("无角色"))
    return "、".join(names)


@register.inclusion_tag("web/_branch_tabs.html", takes_context=True)
def branch_tabs(context, branch, active: str) -> dict:
    """The tabs of a branch's pages (支部工作): the same eight on each, the current marked.
    Everyone who reads the branch page may open each of them (the access matrix)."""
    scheme = context.get("scheme")
    year = getattr(scheme, "year", None) or timezone.localdate().year
    code = branch.code
    tabs = [
        ("overview", _("成员与台账"), reverse("web:branch", args=[code])),
        ("meetings", _("会议"), reverse("meetings:branch", args=[code])),
        ("dues", _("党费"), reverse("dues:branch", args=[code])),
        ("tasks", _("任务"), reverse("tasks:branch", args=[code])),
        ("claims", _("加分"), reverse("claims:branch", args=[code])),
        ("evaluation", _("评议"), reverse("evaluation:round", args=[code, year])),
        ("publication", _("公示"), reverse("publication:branch", args=[code, year])),
        ("reports", _("报表"), reverse("dashboards:branch", args=[code])),
    ]
    return {"branch": branch, "tabs": tabs, "active": active}


@register.simple_tag
def side_menu(user):
    """The side menu's groups for ``user`` (``navigation.menu_for``)."""
    return menu_for(user)


@register.simple_tag
def nav_key(user) -> str:
    """Everything the navigation depends on besides the language and the unread count,
    as the key of its cached fragment (``web/_nav.html``): ``navigation.menu_for`` reads
    the scope (the managed branches by their paths), except the setup guide's condition,
    offered only to a user with no role."""
    scope = scope_for(user)
    return ".".join(
        [
            "".join(sorted(scope.roles)),
            hashlib.sha256("|".join(sorted(scope.manage_paths)).encode()).hexdigest()[:12],
            str(len(scope.read_paths)),
            "".join(
                "1" if flag else "0"
                for flag in (
                    scope.everything,
                    scope.read_paths,
                    scope.manage_paths,
                    scope.admin_paths,
                    scope.member_id is not None,
                    user_setup_link(user),
                )
            ),
        ]
    )


@register.simple_tag
def user_scope(user):
    """What the navigation offers: officer pages, scheme editing, the member's own page."""
    scope = scope_for(user)
    return {
        "staff": scope.is_staff_role,
        "admin": scope.is_scheme_admin,
        "manager": scope.everything or bool(scope.manage_paths),
        "member": scope.member_id is not None,
    }


@register.filter
def depth(path: str) -> int:
    """Depth of an organisation in the tree from its path (``/W/P1/B1/`` → 2)."""
    return max(0, path.count("/") - 2)


# chrome: breadcrumbs (面包屑). A trail of (label, url) pairs, the last the page itself.
def _crumbs(parts) -> list[tuple[str, str | None]]:
    """``label, url, label, url, …, label``: pairs, the last label without a url (the page
    itself, ``aria-current``). A url may be empty (a label that links nowhere)."""
    parts = list(parts)
    trail: list[tuple[str, str | None]] = []
    while len(parts) >= 2:
        label, url = parts.pop(0), parts.pop(0)
        trail.append((str(label), str(url) if url else None))
    if parts:
        trail.append((str(parts[0]), None))
    return trail


@register.inclusion_tag("web/_breadcrumbs.html")
def breadcrumbs(*parts) -> dict:
    """``{% breadcrumbs _("方案") url _("2026 年度") %}``: 工作台 first, then the pairs."""
    return {"trail": [(_("工作台"), reverse("workbench:home")), *_crumbs(parts)]}


@register.inclusion_tag("web/_breadcrumbs.html", takes_context=True)
def branch_crumbs(context, branch, *parts) -> dict:
    """A branch's page: 工作台 › the branch › ``parts`` (as ``breadcrumbs``). With no
    ``parts`` the branch page itself ends the trail. One who does not read the branch (a
    member on a meeting or a task of theirs) gets 工作台 › the page: no link they cannot
    open."""
    home = (_("工作台"), reverse("workbench:home"))
    user = context.get("user")
    if parts and not (user is not None and scope_for(user).reads(branch.path)):
        return {"trail": [home, *_crumbs(parts)[-1:]]}
    trail: list[tuple[str, str | None]] = [home]
    if parts:
        trail.append((branch.name, reverse("web:branch", args=[branch.code])))
        trail.extend(_crumbs(parts))
    else:
        trail.append((branch.name, None))
    return {"trail": trail}
