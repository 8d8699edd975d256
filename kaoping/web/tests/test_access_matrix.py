"""The access matrix: every URL pattern and every API operation, called as every role, on
an object of the role's own branch and of another branch.

HOW TO ADD A ROW (a new URL or API operation fails ``test_every_route_has_a_row`` /
``test_every_api_operation_has_a_row`` until it has one):

1. Pages go in ``PAGES``, keyed by the URL name (``"claims:detail"``); API operations go in
   ``API``, keyed by ``"METHOD /api/path/{param}"`` exactly as in ``/api/openapi.json``.
2. ``kwargs`` (``params`` for the API) is a function of a ``Side`` (``matrix_data.py``): the
   codes of B1's objects (``s.branch``, ``s.member``, ``s.meeting``, ``s.claim`` ...). The
   test calls it with B1's side. If your object is missing, add it to ``matrix_data._side``
   (with the branch's marker text in its free text), for both branches.
3. ``get`` (and ``post`` for a view that writes) are eight statuses, one per role in the
   order of ``ROLES``::

       anon  member  member_other  secretary  secretary_other  supervisor  admin  orgdept

   "member"/"secretary" belong to B1 (the object's branch); "member_other",
   "secretary_other" and "supervisor" (assigned to B2 only) to B2; admin and orgdept see
   everything (orgdept reads only). Anonymous page requests expect 302 (checked to go to
   the login page); anonymous API requests 401. Decide the statuses from rules.md §1 and
   the view, not by copying what the test prints: a wrong row hides a hole.
   A POST is sent with ``data(data, side)`` (default: an empty form) and is rolled back
   afterwards; for those who may write, the expected status is what that body gets
   (200 for a form shown again with its errors, 302 after success, 400 ...).
4. ``sup_in``: for an object of a branch, also the supervisor's (GET, POST) statuses on
   B2's mirror object, where the supervisor is in scope.
5. Every body is also searched for data of other branches (names of their members, their
   objects' marker text): a role of B1 must never see B2's, nor the reverse.

Write ``"?"`` for a status while building a row: the failure message prints what each
role got. ``EXCLUDED`` lists what is deliberately not in the matrix, with the reason.
"""

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix_data import B1_MARK, B2_MARK, MatrixData, Side, build

ROLES = (
    "anon",
    "member",
    "member_other",
    "secretary",
    "secretary_other",
    "supervisor",
    "admin",
    "orgdept",
)
USERNAMES = {
    "anon": None,
    "member": "member1",
    "member_other": "member2",
    "secretary": "sec1",
    "secretary_other": "sec2",
    "supervisor": "supervisor",
    "admin": "admin",
    "orgdept": "orgdept",
}
B1_SECRETS = ("张三", "李四", B1_MARK)
B2_SECRETS = ("王五", "钱七", B2_MARK)
R1_SECRETS = ("赵六",)
# What must never appear in a body shown to the role.
FORBIDDEN = {
    "anon": B1_SECRETS + B2_SECRETS + R1_SECRETS,
    "member": B2_SECRETS + R1_SECRETS,
    "secretary": B2_SECRETS + R1_SECRETS,
    "member_other": B1_SECRETS + R1_SECRETS,
    "secretary_other": B1_SECRETS + R1_SECRETS,
    "supervisor": B1_SECRETS + R1_SECRETS,
    "admin": (),
    "orgdept": (),
}

EXCLUDED = {
    # Django's admin: superusers only, its own permission system, tested by Django.
    "admin": "Django admin site (superusers only)",
    # The language switch: no data, open to everyone by design.
    "set_language": "Django's language switch (no data, public)",
}

Kwargs = Callable[[Side], dict]
Body = Callable[[MatrixData, Side], dict]


@dataclass(frozen=True)
class Row:
    get: str
    kwargs: Kwargs = lambda s: {}  # noqa: E731
    post: str | None = None
    data: Body | None = None
    sup_in: tuple[int | None, int | None] | None = None


def _b(s: Side) -> dict:
    return {"code": s.branch}


def _by(year: bool = False, **fields: str) -> Kwargs:
    """kwargs from the side's fields: ``_by(code="meeting")`` -> {"code": s.meeting}."""

    def make(s: Side) -> dict:
        out = {k: getattr(s, v) for k, v in fields.items()}
        if year:
            out["year"] = 2026
        return out

    return make


def _year(s: Side) -> dict:
    return {"year": 2026}


def _pub(s: Side) -> dict:
    return {"code": s.branch, "year": 2026}


def _settings_body(d: MatrixData, s: Side) -> dict:
    """The scheme's current settings: valid, so only the access check can refuse."""
    from kaoping.web.forms import SchemeSettingsForm

    return {k: str(v) for k, v in SchemeSettingsForm.initial_for(d.d.scheme).items()}


def _item_body(d: MatrixData, s: Side) -> dict:
    return {"code": "X99", "kind": "deduction", "name": "矩阵", "points": "1"}


def _reason(d: MatrixData, s: Side) -> dict:
    return {"reason": "矩阵"}


PAGES: dict[str, Row] = {
    # staff only; an empty POST is a form error (400), members have no such page
    "web:two_factor": Row(
        get="302 404 404 200 200 200 200 200", post="302 404 404 400 400 400 400 400"
    ),
    # archive: a member's archive, its forms (managers of the member's branch), the roster
    "archive:member": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="member"), sup_in=(200, None)
    ),
    **{
        f"archive:{name}": Row(
            get="302 403 404 200 404 404 200 403",
            kwargs=_by(code="member"),
            post="302 403 404 400 404 404 400 403",
            sup_in=(403, 403),
        )
        for name in (
            "profile",
            "transfer",
            "lost",
            "found",
            "investigation_start",
            "investigation_decide",
            "exemption_add",
        )
    },
    "archive:exemption_remove": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(pk="exemption"),
        post="302 403 404 302 404 404 302 403",
        sup_in=(405, 403),
    ),
    "archive:roster": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)),
    "archive:branch_exemptions": Row(
        get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)
    ),
    "archive:roster_export": Row(
        get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)
    ),
    "archive:roster_import": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 400 404 404 400 403",
        sup_in=(405, 403),
    ),
    # confirming needs a preview's signed token: 404 without one for those who may import
    "archive:roster_import_confirm": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 404 404 404 404 403",
        sup_in=(405, 403),
    ),
    "archive:roster_template": Row(get="302 403 403 200 200 200 200 200"),
    # the 12371 sheet carries full ID numbers: committee and org department only
    "archive:export_12371": Row(
        get="302 404 404 403 404 404 200 200", kwargs=_b, sup_in=(403, None)
    ),
    "archive:lost_contacts": Row(get="302 403 403 200 200 200 200 200"),
    "dashboards:home": Row(get="302 302 302 302 302 302 302 302"),
    "dashboards:mine": Row(get="302 200 200 404 404 404 404 404"),
    "dashboards:committee": Row(get="302 404 404 200 200 200 200 200"),
    "dashboards:screen": Row(get="302 404 404 200 200 200 200 200"),
    "dashboards:member": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="member"), sup_in=(200, None)
    ),
    "dashboards:ledger_print": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="member"), sup_in=(200, None)
    ),
    "dashboards:branch": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)),
    "dashboards:report_print": Row(
        get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)
    ),
    "claims:xlsx": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)),
    "dues:xlsx": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)),
    "inspections:xlsx": Row(
        get="302 404 404 404 404 404 200 404", kwargs=_by(code="group"), sup_in=(200, None)
    ),
    "meetings:attendance_xlsx": Row(
        get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)
    ),
    "web:entries_xlsx": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)),
    "web:results_xlsx": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)),
    "api:api-root": Row(get="404 404 404 404 404 404 404 404"),
    "api:openapi-json": Row(get="200 200 200 200 200 200 200 200"),
    # Probes for load balancers: open to all, JSON without any data (kaoping/ops); read only.
    "ops:healthz": Row(
        get="200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405"
    ),
    "ops:readyz": Row(
        get="200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405"
    ),
    "api:openapi-view": Row(get="200 200 200 200 200 200 200 200"),
    "web:home": Row(get="302 302 302 302 302 302 302 302"),
    "web:login": Row(get="200 302 302 302 302 302 302 302", post="200 302 302 302 302 302 302 302"),
    "web:manifest": Row(
        get="200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405"
    ),
    "web:service_worker": Row(
        get="200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405"
    ),
    "web:offline": Row(
        get="200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405"
    ),
    "web:logout": Row(
        get="405 405 405 405 405 405 405 405", post="302 302 302 302 302 302 302 302"
    ),
    "web:me": Row(get="302 200 200 404 404 404 404 404"),
    "web:member": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="member"), sup_in=(200, None)
    ),
    "web:member_edit": Row(
        get="302 403 404 200 404 404 200 403",
        kwargs=_by(code="member"),
        post="302 403 404 200 404 404 200 403",
        sup_in=(403, 403),
    ),
    "web:tally": Row(
        get="302 403 404 200 404 404 200 403",
        kwargs=_by(code="member"),
        post="302 403 404 200 404 404 200 403",
        sup_in=(403, 403),
    ),
    "web:decision": Row(
        get="302 403 404 200 404 404 200 403",
        kwargs=_by(code="member"),
        post="302 403 404 200 404 404 200 403",
        sup_in=(403, 403),
    ),
    "web:branch": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)),
    "web:ledger_publications": Row(
        get="302 200 404 200 404 404 200 200",
        kwargs=_b,
        post="302 403 404 200 404 404 200 403",
        sup_in=(200, 403),
    ),
    "web:ledger_publication": Row(
        get="302 200 404 200 404 404 200 200",
        kwargs=_by(code="branch", pk="ledger_publication"),
        sup_in=(200, None),
    ),
    "web:entry_create": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 200 404 404 200 403",
        sup_in=(405, 403),
    ),
    "web:member_create": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 200 404 404 200 403",
        sup_in=(405, 403),
    ),
    "web:entry_reverse": Row(
        get="302 403 404 200 404 404 200 403",
        kwargs=_by(code="entry"),
        post="302 403 404 302 404 404 302 403",
        sup_in=(403, 403),
        data=_reason,
    ),
    "web:overview": Row(get="302 404 404 200 200 200 200 200"),
    "web:audit": Row(get="302 404 404 404 404 404 200 404"),
    "web:organization_create": Row(
        get="302 405 405 405 405 405 405 405", post="302 404 404 403 403 403 200 403"
    ),
    "web:organization_edit": Row(
        get="302 404 404 403 404 404 200 403",
        kwargs=_b,
        post="302 404 404 403 404 404 200 403",
        sup_in=(403, 403),
    ),
    "web:schemes": Row(
        get="302 404 404 200 200 200 200 200",
        post="302 404 404 403 403 403 302 403",
        data=lambda d, s: {"year": "2031", "source": "empty"},
    ),
    "web:scheme": Row(get="302 404 404 200 200 200 200 200", kwargs=_year),
    "web:scheme_settings": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_year,
        post="302 404 404 403 403 403 302 403",
        data=_settings_body,
    ),
    "web:scheme_item_create": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_year,
        post="302 404 404 403 403 403 302 403",
        data=_item_body,
    ),
    "web:scheme_item": Row(
        get="302 404 404 403 403 403 200 403",
        kwargs=_by(year=True, code="item"),
        post="302 404 404 403 403 403 302 403",
        data=_item_body,
    ),
    # planning: a branch's draft is its secretaries' and the committee admins' (404 for the
    # rest, orgdept and supervisors included: they do not draft); adopting is admins' (403).
    "planning:drafts": Row(
        get="302 404 404 200 200 404 200 404", post="302 404 404 400 400 404 400 404"
    ),
    "planning:draft": Row(
        get="302 404 404 200 404 404 200 404", kwargs=_by(pk="draft"), sup_in=(404, None)
    ),
    "planning:draft_settings": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(pk="draft"),
        post="302 404 404 302 404 404 302 404",
        data=_settings_body,
        sup_in=(405, 404),
    ),
    "planning:draft_items": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(pk="draft"),
        post="302 404 404 400 404 404 400 404",
        sup_in=(405, 404),
    ),
    "planning:draft_adopt": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(pk="draft"),
        post="302 404 404 403 404 404 302 404",
        sup_in=(405, 404),
    ),
    # the guided start: once set up, committee admins only (404 for the rest).
    "onboarding:start": Row(get="302 404 404 404 404 404 200 404"),
    "onboarding:committee": Row(
        get="302 405 405 405 405 405 405 405", post="302 404 404 404 404 404 400 404"
    ),
    "onboarding:branch": Row(
        get="302 405 405 405 405 405 405 405", post="302 404 404 404 404 404 400 404"
    ),
    "onboarding:scheme": Row(
        get="302 405 405 405 405 405 405 405", post="302 404 404 404 404 404 400 404"
    ),
    "onboarding:username_rule": Row(
        get="302 405 405 405 405 405 405 405", post="302 404 404 404 404 404 400 404"
    ),
    # accounts: for those who keep a roster (admins, secretaries); other officers 403,
    # members 404. The username rule (POST on the index) is the committee admin's.
    "accounts:index": Row(
        get="302 404 404 200 200 403 200 403", post="302 404 404 403 403 403 400 403"
    ),
    "accounts:branch": Row(get="302 404 404 200 404 403 200 403", kwargs=_b, sup_in=(403, None)),
    # an empty POST asks to confirm (nothing done yet)
    "accounts:issue": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 200 404 403 200 403",
        sup_in=(405, 403),
    ),
    "accounts:batch": Row(
        get="302 404 404 200 404 404 200 403", kwargs=_by(pk="slip_batch"), sup_in=(403, None)
    ),
    **{
        f"accounts:{name}": Row(
            get="302 405 405 405 405 405 405 405",
            kwargs=_by(pk="slip_batch"),
            post="302 404 404 200 404 404 200 403",
            sup_in=(405, 403),
        )
        for name in ("slips_pdf", "slips_xlsx")
    },
    "notifications:inbox": Row(get="302 200 200 200 200 200 200 200"),
    "workbench:home": Row(get="302 200 200 200 200 200 200 200"),
    "notifications:mark_read": Row(
        get="405 405 405 405 405 405 405 405", post="302 302 302 302 302 302 302 302"
    ),
    "meetings:branch": Row(
        get="302 404 404 200 404 404 200 200",
        kwargs=_b,
        post="302 404 404 200 404 404 200 403",
        sup_in=(200, 403),
    ),
    "meetings:member_daily": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="member"), sup_in=(200, None)
    ),
    "meetings:detail": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="meeting"), sup_in=(200, None)
    ),
    "meetings:attendance": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(code="meeting"),
        post="302 403 404 302 404 404 302 403",
        sup_in=(405, 403),
    ),
    "meetings:close": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(code="meeting"),
        post="302 403 404 302 404 404 302 403",
        sup_in=(405, 403),
    ),
    "meetings:reopen": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(code="meeting"),
        post="302 403 404 400 404 404 400 403",
        sup_in=(405, 403),
        data=_reason,
    ),
    "meetings:leave": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(code="meeting"),
        post="302 400 404 403 404 404 403 403",
        sup_in=(405, 403),
        data=_reason,
    ),
    "meetings:leave_decide": Row(
        get="302 404 404 200 404 404 200 404",
        kwargs=_by(code="leave"),
        post="302 403 404 302 404 404 302 403",
        sup_in=(404, 403),
        data=lambda d, s: {"decision": "approve"},
    ),
    "tasks:branch": Row(
        get="302 404 404 200 404 404 200 200",
        kwargs=_b,
        post="302 404 404 400 404 404 400 403",
        sup_in=(200, 403),
    ),
    "tasks:mine": Row(get="302 200 200 404 404 404 404 404"),
    "tasks:detail": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="task"), sup_in=(200, None)
    ),
    "tasks:submit": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(code="task"),
        post="302 400 404 403 404 404 403 403",
        sup_in=(405, 403),
    ),
    "tasks:mark": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(code="task"),
        post="302 403 404 302 404 404 302 403",
        sup_in=(405, 403),
        data=lambda d, s: {"member": s.other_member, "status": "excused", "reason": "矩阵"},
    ),
    "tasks:close": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(code="task"),
        post="302 403 404 302 404 404 302 403",
        sup_in=(405, 403),
    ),
    "tasks:file": Row(
        get="302 200 404 200 404 404 200 200",
        kwargs=_by(code="task", member="member"),
        sup_in=(200, None),
    ),
    "dues:branch": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)),
    "dues:payment": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 400 404 404 400 403",
        sup_in=(405, 403),
    ),
    "dues:rate": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 400 404 404 400 403",
        sup_in=(405, 403),
    ),
    "dues:settings": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 400 404 404 400 403",
        sup_in=(405, 403),
    ),
    # Closing a month shows its consequences first (a POST without confirm: 200).
    "dues:close": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 200 404 404 200 403",
        sup_in=(405, 403),
    ),
    "dues:import": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 400 404 404 400 403",
        sup_in=(405, 403),
    ),
    "dues:template": Row(get="302 200 200 200 200 200 200 200"),
    # Confirming an import needs the signed token of a preview: without one, 404 for those
    # who may import, and the usual refusals for the others.
    "dues:import_confirm": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 404 404 404 404 403",
        sup_in=(405, 403),
    ),
    "web:entries_import": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 400 404 404 400 403",
        sup_in=(405, 403),
    ),
    "web:entries_import_confirm": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 404 404 404 404 403",
        sup_in=(405, 403),
    ),
    "web:entries_template": Row(get="302 200 200 200 200 200 200 200"),
    # Jobs: an officer exports what they read; only a committee admin recomputes the year.
    "web:entries_export": Row(
        get="302 405 405 405 405 405 405 405", post="302 404 404 302 302 302 302 302"
    ),
    "web:results_compute": Row(
        get="302 405 405 405 405 405 405 405", post="302 404 404 403 403 403 302 403"
    ),
    # A job is seen by whoever started it and by the admins of its organisation.
    "jobs:list": Row(get="302 200 200 200 200 200 200 200"),
    "jobs:detail": Row(
        get="302 404 404 200 404 404 200 404", kwargs=_by(pk="job"), sup_in=(404, None)
    ),
    "jobs:file": Row(
        get="302 404 404 200 404 404 200 404", kwargs=_by(pk="job"), sup_in=(404, None)
    ),
    "inspections:groups": Row(
        get="302 404 404 200 200 200 200 200", post="302 404 404 403 403 403 400 403"
    ),
    "inspections:group": Row(
        get="302 404 404 404 404 404 200 404",
        kwargs=_by(code="group"),
        post="302 404 404 404 404 404 400 404",
        sup_in=(200, 400),
    ),
    "inspections:detail": Row(
        get="302 404 404 404 404 404 200 404",
        kwargs=_by(code="inspection"),
        post="302 404 404 404 404 404 400 404",
        sup_in=(200, 400),
    ),
    "inspections:file": Row(
        get="302 404 404 404 404 404 200 404", kwargs=_by(pk="finding"), sup_in=(200, None)
    ),
    # roles: staff who read the organisation see its page; granting beyond one's rights
    # is a 403 wherever it aims (a secretary grants only 支委 in their branch)
    "accounts:roles": Row(
        get="302 404 404 200 404 404 200 200",
        kwargs=_b,
        post="302 403 403 400 403 403 400 403",
        sup_in=(200, 403),
    ),
    "accounts:role_revoke": Row(
        get="302 404 404 200 404 404 200 403",
        kwargs=_by(code="branch", pk="role_assignment"),
        post="302 404 404 200 404 404 200 403",
        sup_in=(403, 403),
    ),
    # a group's members: the committee admin only (the group's members see its page)
    "inspections:member_add": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(code="group"),
        post="302 404 404 404 404 404 400 404",
        sup_in=(405, 403),
    ),
    "inspections:member_remove": Row(
        get="302 404 404 404 404 404 200 404",
        kwargs=_by(code="group", pk="group_member"),
        post="302 404 404 404 404 404 200 404",
        sup_in=(403, 403),
    ),
    "claims:mine": Row(
        get="302 200 200 404 404 404 404 404", post="302 400 400 404 404 404 404 404"
    ),
    "claims:branch": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)),
    "claims:detail": Row(
        get="302 200 404 200 404 404 200 200",
        kwargs=_by(code="claim"),
        post="302 403 404 302 404 404 302 403",
        sup_in=(200, 403),
        data=lambda d, s: {"decision": "approve"},
    ),
    "claims:proof": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="claim"), sup_in=(200, None)
    ),
    "evaluation:round": Row(get="302 404 404 200 404 404 200 200", kwargs=_pub, sup_in=(200, None)),
    "evaluation:round_open": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_pub,
        post="302 404 404 200 404 404 200 403",
        sup_in=(405, 403),
    ),
    # Advancing shows its consequences first (GET, or a POST without confirm: 200).
    "evaluation:round_action": Row(
        get="302 404 404 200 404 404 200 403",
        kwargs=lambda s: {"code": s.branch, "year": 2026, "action": "advance"},
        post="302 404 404 200 404 404 200 403",
        sup_in=(403, 403),
    ),
    "evaluation:comment": Row(
        get="302 404 404 200 404 404 200 403",
        kwargs=lambda s: {"code": s.branch, "year": 2026, "member_code": s.member},
        post="302 404 404 200 404 404 200 403",
        sup_in=(403, 403),
    ),
    "evaluation:paper_codes": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_pub,
        post="302 404 404 302 404 404 302 403",
        sup_in=(405, 403),
    ),
    "evaluation:paper_tally": Row(
        get="302 404 404 200 404 404 200 403",
        kwargs=_pub,
        post="302 404 404 200 404 404 200 403",
        sup_in=(403, 403),
    ),
    "evaluation:paper_template": Row(
        get="302 404 404 200 404 404 200 403", kwargs=_pub, sup_in=(403, None)
    ),
    "evaluation:paper_import": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_pub,
        post="302 404 404 400 404 404 400 403",
        sup_in=(405, 403),
    ),
    "evaluation:paper_import_confirm": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_pub,
        post="302 404 404 404 404 404 404 403",
        sup_in=(405, 403),
    ),
    # The sealed vote (issue 17): the round is at the self-evaluation, so writes are
    # refused by the service (400) for those who may make them.
    "evaluation:vote_open": Row(
        get="302 404 404 200 404 404 200 403",
        kwargs=_pub,
        post="302 404 404 400 404 404 400 403",
        sup_in=(403, 403),
    ),
    "evaluation:count": Row(
        get="302 404 404 200 404 404 200 403",
        kwargs=_pub,
        post="302 404 404 400 404 404 400 403",
        sup_in=(403, 403),
    ),
    # The ballot box: every member of the branch, and those who read it.
    "evaluation:box": Row(get="302 200 404 200 404 404 200 200", kwargs=_pub, sup_in=(200, None)),
    # Not counted yet: nothing to download, for anyone.
    "evaluation:box_download": Row(
        get="302 404 404 404 404 404 404 404",
        kwargs=lambda s: {"code": s.branch, "year": 2026, "fmt": "json"},
        sup_in=(404, None),
    ),
    "evaluation:recount": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_pub,
        post="302 302 404 302 404 404 302 302",
        sup_in=(405, 302),
    ),
    "evaluation:rerun": Row(
        get="302 404 404 200 404 404 200 403",
        kwargs=_pub,
        post="302 404 404 400 404 404 400 403",
        sup_in=(403, 403),
    ),
    "evaluation:to_paper": Row(
        get="302 404 404 200 404 404 200 403",
        kwargs=_pub,
        post="302 404 404 400 404 404 400 403",
        sup_in=(403, 403),
    ),
    "evaluation:mine": Row(get="302 200 200 404 404 404 404 404", kwargs=_year),
    "evaluation:self": Row(
        get="302 405 405 405 405 405 405 405", kwargs=_year, post="302 302 302 404 404 404 404 404"
    ),
    "evaluation:peer": Row(
        get="302 200 404 404 404 404 404 404",
        kwargs=lambda s: {"year": 2026, "member_code": s.other_member},
        post="302 200 404 404 404 404 404 404",
        sup_in=(404, 404),
    ),
    "evaluation:vote": Row(
        get="302 200 200 404 404 404 404 404", kwargs=_year, post="302 400 400 404 404 404 404 404"
    ),
    "evaluation:vote_code": Row(
        get="200 200 200 200 200 200 200 200", post="200 200 200 200 200 200 200 200"
    ),
    "evaluation:receipt": Row(
        get="200 200 200 200 200 200 200 200", post="200 200 200 200 200 200 200 200"
    ),
    "publication:branch": Row(
        get="302 404 404 200 404 404 200 200", kwargs=_pub, sup_in=(200, None)
    ),
    "publication:publish": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_pub,
        post="302 404 404 302 404 404 302 403",
        sup_in=(405, 403),
    ),
    "publication:print": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_pub, sup_in=(200, None)
    ),
    "publication:finalise": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_pub,
        post="302 404 404 302 404 404 302 403",
        sup_in=(405, 403),
    ),
    "publication:reopen": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_pub,
        post="302 403 404 403 404 404 302 403",
        sup_in=(405, 403),
    ),
    "publication:appeal_new": Row(
        get="302 200 200 404 404 404 404 404", kwargs=_year, post="302 200 200 404 404 404 404 404"
    ),
    "publication:appeal_answer": Row(
        get="302 404 404 200 404 404 200 404",
        kwargs=_by(code="appeal"),
        post="302 404 404 200 404 404 200 404",
        sup_in=(404, 404),
    ),
    "publication:member_panel": Row(
        get="302 200 404 200 404 404 200 200",
        kwargs=lambda s: {"code": s.member, "year": 2026},
        sup_in=(200, None),
    ),
    # the early warnings: officers see their branches' (a member none); the thresholds are
    # the working committee's
    "monitoring:index": Row(get="302 404 404 200 200 200 200 200"),
    "monitoring:settings": Row(
        get="302 404 404 404 404 404 200 404",
        kwargs=_year,
        post="302 404 404 404 404 404 302 404",
        data=lambda d, s: {
            "general_every": "3",
            "committee_every": "1",
            "group_every": "1",
            "lecture_every": "3",
            "absence_months": "3",
            "dues_months": "2",
            "evaluation_deadline": "2026-12-15",
            "appeal_days": "2",
        },
    ),
    "unqualified:index": Row(get="302 404 404 200 200 404 200 200"),
    "unqualified:settings": Row(
        get="302 404 404 404 404 404 200 404",
        kwargs=_year,
        post="302 404 404 404 404 404 302 404",
        data=lambda d, s: {"vote_basis": "entitled", "absence_months": "6", "dues_months": "3"},
    ),
    "unqualified:branch": Row(
        get="302 404 404 200 404 404 200 200",
        kwargs=_b,
        post="302 404 404 400 404 404 403 403",
        sup_in=(404, 404),
    ),
    "unqualified:panel": Row(get="302 404 404 200 404 404 200 200", kwargs=_b, sup_in=(404, None)),
    "unqualified:candidate": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_b,
        post="302 404 404 302 404 404 403 403",
        sup_in=(405, 404),
        data=lambda d, s: {
            "member": s.other_member,
            "condition": "8",
            "year": "2026",
            "action": "dismiss",
            "reason": "矩阵",
        },
    ),
    "unqualified:member_panel": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="member"), sup_in=(200, None)
    ),
    "unqualified:detail": Row(
        get="302 404 404 200 404 404 200 200",
        kwargs=_by(code="unqualified_case"),
        post="302 404 404 403 404 404 302 302",
        sup_in=(404, 404),
        data=lambda d, s: {"action": "review", "review-decision": "approve"},
    ),
    "unqualified:print": Row(
        get="302 404 404 200 404 404 200 200",
        kwargs=_by(code="unqualified_case"),
        sup_in=(404, None),
    ),
    "unqualified:evidence": Row(
        get="302 404 404 200 404 404 200 200",
        kwargs=_by(code="unqualified_case", pk="unqualified_evidence"),
        sup_in=(404, None),
    ),
    # the user's own account (issue 16): everyone signed in
    "accounts:account": Row(get="302 200 200 200 200 200 200 200"),
    "accounts:password_change": Row(
        get="302 200 200 200 200 200 200 200", post="302 400 400 400 400 400 400 400"
    ),
    # public: setting a password with a reset code (an empty form is refused)
    "accounts:reset_code_redeem": Row(
        get="200 200 200 200 200 200 200 200", post="400 400 400 400 400 400 400 400"
    ),
    # reset by email: only with a mail server configured (not in the tests' settings)
    **{
        f"accounts:{name}": Row(get="404 404 404 404 404 404 404 404")
        for name in ("password_reset", "password_reset_done", "password_reset_complete")
    },
    "accounts:password_reset_confirm": Row(
        get="404 404 404 404 404 404 404 404",
        kwargs=lambda s: {"uidb64": "MQ", "token": "set-password"},
    ),
    # a member's login: seen by those who see the member; managed by the branch's managers
    "accounts:member_login": Row(
        get="302 200 404 200 404 404 200 200", kwargs=_by(code="member"), sup_in=(200, None)
    ),
    **{
        f"accounts:{name}": Row(
            get="302 403 404 200 404 404 200 403",
            kwargs=_by(code="member"),
            post=post,
            sup_in=(403, 403),
        )
        for name, post in (
            # without confirm=1 a POST shows the confirmation again and changes nothing
            ("reset_code_issue", "302 403 404 200 404 404 200 403"),
            ("login_deactivate", "302 403 404 200 404 404 200 403"),
        )
    },
    "accounts:login_reactivate": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=_by(code="member"),
        post="302 403 404 200 404 404 200 403",
        sup_in=(405, 403),
    ),
    # API tokens: staff only; an empty form is refused; a token not one's own is a 404
    "api_tokens:tokens": Row(
        get="302 404 404 200 200 200 200 200", post="302 404 404 400 400 400 400 400"
    ),
    "api_tokens:token_revoke": Row(
        get="302 405 405 405 405 405 405 405",
        kwargs=lambda s: {"pk": 999999},
        post="302 404 404 404 404 404 404 404",
    ),
}

API: dict[str, Row] = {
    "GET /api/me": Row(get="401 200 200 200 200 200 200 200"),
    "GET /api/organizations": Row(get="401 200 200 200 200 200 200 200"),
    "GET /api/members": Row(get="401 200 200 200 200 200 200 200"),
    "GET /api/members/{code}": Row(
        get="401 200 404 200 404 404 200 200", kwargs=_by(code="member"), sup_in=(200, None)
    ),
    # the archive: as its pages (archive:member, archive:roster, archive:lost_contacts)
    "GET /api/members/{code}/archive": Row(
        get="401 200 404 200 404 404 200 200", kwargs=_by(code="member"), sup_in=(200, None)
    ),
    "GET /api/branches/{code}/roster": Row(
        get="401 404 404 200 404 404 200 200", kwargs=_b, sup_in=(200, None)
    ),
    "GET /api/archive/lost-contact": Row(get="401 403 403 200 200 200 200 200"),
    # accounts: as the accounts pages (accounts:index, accounts:issue)
    "GET /api/accounts": Row(get="401 404 404 200 200 403 200 403"),
    "POST /api/accounts/issue": Row(
        get="401 404 404 201 404 403 201 403",
        data=lambda d, s: {"organization": s.branch},
        sup_in=(403, None),
    ),
    "GET /api/years/{year}/entries": Row(get="401 200 200 200 200 200 200 200", kwargs=_year),
    "POST /api/years/{year}/entries": Row(
        get="401 403 404 201 404 404 201 403",
        kwargs=_year,
        data=lambda d, s: {"member": s.member, "item": "D01", "date": "2026-04-01"},
        sup_in=(403, None),
    ),
    "GET /api/entries/{code}": Row(
        get="401 200 404 200 404 404 200 200", kwargs=_by(code="entry"), sup_in=(200, None)
    ),
    "POST /api/entries/{code}/reverse": Row(
        get="401 403 404 201 404 404 201 403",
        kwargs=_by(code="entry"),
        data=lambda d, s: {"reason": "matrix"},
        sup_in=(403, None),
    ),
    # B1 holds its 2026 round: its counts come from the round only, so those who may
    # write tallies are refused (422) rather than let in (evaluation.tally_direct_refusal).
    "PUT /api/years/{year}/tallies/{member}": Row(
        get="401 403 404 422 404 404 422 403",
        kwargs=_by(year=True, member="member"),
        data=lambda d, s: {"excellent": 1, "qualified": 0, "basic": 0, "unqualified": 0},
        sup_in=(403, None),
    ),
    "POST /api/years/{year}/quota-decisions": Row(
        get="401 403 404 201 404 404 201 403",
        kwargs=_year,
        data=lambda d, s: {"member": s.member, "excellent": True, "note": "matrix"},
        sup_in=(403, None),
    ),
    "GET /api/years/{year}/results": Row(get="401 200 200 200 200 200 200 200", kwargs=_year),
    "GET /api/years/{year}/results/stored": Row(
        get="401 200 200 200 200 200 200 200", kwargs=_year
    ),
    "GET /api/years/{year}/scheme": Row(get="401 200 200 200 200 200 200 200", kwargs=_year),
    # Cases are for the three bodies only: others get an empty list, and 404 on a file.
    # roles: as the roles page (accounts:roles, accounts:role_revoke)
    "GET /api/roles": Row(get="401 200 200 200 200 200 200 200"),
    "POST /api/roles": Row(
        get="401 403 403 201 403 403 201 403",
        data=lambda d, s: {
            "member": s.member,
            "organization": s.branch,
            "role": "branch_committee",
        },
        sup_in=(403, None),
    ),
    "DELETE /api/roles/{id}": Row(
        get="401 404 404 204 404 404 204 403",
        kwargs=_by(id="role_assignment"),
        sup_in=(403, None),
    ),
    # The sealed vote (issue 17): the box is every branch member's; counting is the
    # officers' and scrutineers' (the round is at the self-evaluation: 422); nothing to
    # download before counting (404).
    "GET /api/branches/{code}/years/{year}/ballot-box": Row(
        get="401 200 404 200 404 404 200 200", kwargs=_pub, sup_in=(200, None)
    ),
    "POST /api/branches/{code}/years/{year}/count": Row(
        get="401 404 404 422 404 404 422 403",
        kwargs=_pub,
        data=lambda d, s: {"shares": []},
        sup_in=(403, None),
    ),
    "GET /api/branches/{code}/years/{year}/ballots": Row(
        get="401 404 404 404 404 404 404 404", kwargs=_pub, sup_in=(404, None)
    ),
    "GET /api/unqualified-cases": Row(get="401 200 200 200 200 200 200 200"),
    "GET /api/unqualified-cases/{code}": Row(
        get="401 404 404 200 404 404 200 200",
        kwargs=_by(code="unqualified_case"),
        sup_in=(404, None),
    ),
    # accounts (issue 16): reset codes and closing logins, by the member's managers
    "POST /api/accounts/{member_code}/reset-code": Row(
        get="401 403 404 201 404 404 201 403",
        kwargs=lambda s: {"member_code": s.member},
        sup_in=(403, None),
    ),
    "POST /api/accounts/{member_code}/deactivate": Row(
        get="401 403 404 200 404 404 200 403",
        kwargs=lambda s: {"member_code": s.member},
        data=lambda d, s: {"reason": "matrix"},
        sup_in=(403, None),
    ),
    # the login is active: nothing to reactivate (422) for those who may
    "POST /api/accounts/{member_code}/reactivate": Row(
        get="401 403 404 422 404 404 422 403",
        kwargs=lambda s: {"member_code": s.member},
        sup_in=(403, None),
    ),
}


# --------------------------------------------------------------------------- machinery


def _statuses(spec: str) -> list[str]:
    parts = spec.split()
    assert len(parts) == len(ROLES), f"{spec!r}: give one status per role {ROLES}"
    return parts


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """One data set for the whole module, in a transaction rolled back at the end."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        data = build()
        for role in ROLES:  # sign in now: a session made in a test is rolled back with it
            _client(data, role)
            _client(data, role, api=True)
        yield data
        transaction.set_rollback(True)


def _client(data: MatrixData, role: str, api: bool = False) -> Client:
    """One client per role and kind, signed in once (its session lives in the module's
    transaction); ``_call`` puts its cookies back after each request (e.g. a logout)."""
    key = (role, api)
    if key not in data.clients:
        username = USERNAMES[role]
        if username is None:
            client = Client()
        elif api:
            client = Client(headers={"authorization": f"Bearer {data.tokens[username]}"})
        else:
            client = Client()
            client.force_login(getattr(data.d, username))
        data.clients[key] = client
    return data.clients[key]


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw.startswith(b"PK"):  # a spreadsheet: search its cells, not the zip
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    return raw.decode("utf-8", errors="replace")


def _leaks(role: str, body: str) -> list[str]:
    found = []
    for secret in FORBIDDEN[role]:
        if secret in body or json.dumps(secret)[1:-1] in body:
            found.append(secret)
    return found


def _call(data, role, method, url, body=None, api=False):
    """One request, rolled back so the next role sees the same data."""
    client = _client(data, role, api)
    cookies = client.cookies
    client.cookies = cookies.__class__(cookies)
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            elif api:
                response = client.generic(
                    method, url, json.dumps(body or {}), content_type="application/json"
                )
            else:
                response = client.post(url, body or {})
            text = _body(response)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response, text


def _check(data, method, url, spec, body=None, api=False, roles=ROLES):
    expected = _statuses(spec)
    got, problems = [], []
    for role, want in zip(ROLES, expected, strict=True):
        if role not in roles:
            got.append(want)
            continue
        response, text = _call(data, role, method, url, body, api)
        got.append(str(response.status_code))
        if want != "?" and str(response.status_code) != want:
            problems.append(f"{role}: expected {want}, got {response.status_code}")
        if role == "anon" and response.status_code == 302:
            location = response["Location"]
            if not location.startswith(reverse("web:login")) and url != reverse("web:logout"):
                problems.append(f"anon: redirected to {location}, not to the login page")
        leaks = _leaks(role, text)
        if leaks:
            problems.append(f"{role}: body shows other branches' data {leaks}")
    if "?" in expected:
        problems.append("row not decided yet")
    if not problems:
        return []
    return [f"{method} {url}\n  got: {' '.join(got)!r}\n  " + "\n  ".join(problems)]


def _walk(resolver, namespace="", prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _walk(p, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, "/" + prefix + str(p.pattern), p


def url_names() -> set[str]:
    """Every named route, except the excluded ones and the API's operations (``API``)."""
    operation_paths = {op.split(" ", 1)[1] for op in api_operations()}
    names = set()
    for name, route, _pattern in _walk(get_resolver()):
        if re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) in operation_paths:
            continue
        if name is None:
            assert route.startswith("/admin/"), f"unnamed route {route}: give it a name"
            continue
        if name.split(":")[0] in EXCLUDED or name in EXCLUDED:
            continue
        names.add(name)
    return names


def api_operations() -> set[str]:
    from kaoping.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api")
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


# --------------------------------------------------------------------------- tests


def test_every_route_has_a_row():
    names = url_names()
    missing = sorted(names - PAGES.keys())
    stale = sorted(PAGES.keys() - names)
    assert not missing, f"URL names without a row in PAGES (see the module docstring): {missing}"
    assert not stale, f"rows in PAGES for URL names that no longer exist: {stale}"


def test_every_api_operation_has_a_row():
    operations = api_operations()
    missing = sorted(operations - API.keys())
    stale = sorted(API.keys() - operations)
    assert not missing, f"API operations without a row in API (see the docstring): {missing}"
    assert not stale, f"rows in API for operations that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page(name, matrix):
    row = PAGES[name]
    url = reverse(name, kwargs=row.kwargs(matrix.b1))
    body = row.data(matrix, matrix.b1) if row.data else None
    problems = _check(matrix, "GET", url, row.get)
    if row.post:
        problems += _check(matrix, "POST", url, row.post, body)
    if row.sup_in:
        url = reverse(name, kwargs=row.kwargs(matrix.b2))
        body = row.data(matrix, matrix.b2) if row.data else None
        want_get, want_post = row.sup_in
        problems += _check(matrix, "GET", url, _only_supervisor(want_get), roles=("supervisor",))
        if want_post is not None:
            spec = _only_supervisor(want_post)
            problems += _check(matrix, "POST", url, spec, body, roles=("supervisor",))
    assert not problems, "\n".join(problems)


def _only_supervisor(status) -> str:
    return " ".join(str(status) if r == "supervisor" else "-" for r in ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(API))
def test_api(operation, matrix):
    row = API[operation]
    method, path = operation.split(" ", 1)
    url = path.format(**row.kwargs(matrix.b1))
    body = row.data(matrix, matrix.b1) if row.data else None
    problems = _check(matrix, method, url, row.get, body, api=True)
    if row.sup_in:
        url = path.format(**row.kwargs(matrix.b2))
        body = row.data(matrix, matrix.b2) if row.data else None
        spec = _only_supervisor(row.sup_in[0])
        problems += _check(matrix, method, url, spec, body, api=True, roles=("supervisor",))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_leak_check_sees_the_data_it_looks_for(matrix):
    """The body search is not vacuous: B1's officer sees B1's names and markers, in a page,
    inside a spreadsheet and in the lost-contact lists (page and API), so their absence
    elsewhere means something."""
    for url in (reverse("web:branch", args=["B1"]), reverse("web:entries_xlsx", args=["B1"])):
        response, text = _call(matrix, "secretary", "GET", url)
        assert response.status_code == 200
        assert "张三" in text and _leaks("member_other", text)
    response, text = _call(matrix, "secretary", "GET", f"/claims/{matrix.b1.claim}/")
    assert B1_MARK in text
    for url, api in (
        (reverse("archive:lost_contacts"), False),
        ("/api/archive/lost-contact", True),
    ):
        response, text = _call(matrix, "secretary", "GET", url, api=api)
        assert response.status_code == 200 and B1_MARK in _leaks("member_other", text)
        assert not _leaks("secretary", text)
