"""Reads for the dashboards, one module a dashboard (``member``, ``branch``,
``committee`` with the big screen), what they share in ``common`` and who lands where in
``access``: a fixed number of set-based queries per page (never one per member or per
branch), built on the apps' own selectors, which decide access.

Every public function takes the ``actor``; the ``*_access_*`` ones raise the same 404 for
"missing" and "not yours" (through ``kaoping.orgs.selectors``)."""

from .access import dashboard_home, member_access_for_dashboard
from .branch import branch_dashboard, branch_report
from .committee import PROGRESS_STEPS, committee_dashboard, screen_dashboard
from .common import GRADES, MONTHS, TOP_ITEMS, DuesTally
from .member import member_dashboard, member_ledger

__all__ = [
    "DuesTally",
    "GRADES",
    "MONTHS",
    "PROGRESS_STEPS",
    "TOP_ITEMS",
    "branch_dashboard",
    "branch_report",
    "committee_dashboard",
    "dashboard_home",
    "member_access_for_dashboard",
    "member_dashboard",
    "member_ledger",
    "screen_dashboard",
]
