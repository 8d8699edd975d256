"""The access matrix: every URL pattern and every API operation, called as every role, on
an object of the role's own branch and of another branch.

HOW TO ADD A ROW (a new URL or API operation fails ``test_every_route_has_a_row`` /
``test_every_api_operation_has_a_row`` until it has one): one line in ``PAGES_TABLE`` (a
page: its URL name, then the method) or in ``API_TABLE`` (an API operation: the method and
the path exactly as in ``/api/openapi.json``), per method it answers: a page always has a
GET line (405 where it only takes POST) and a POST line where it takes a POST. The columns:

1. ``ano mem mot sec sot sup adm org``: the status each role gets, in the order of
   ``ROLES``: anon, member, member_other, secretary, secretary_other, supervisor, admin,
   orgdept. "member"/"secretary" belong to B1 (the object's branch); "member_other",
   "secretary_other" and "supervisor" (assigned to B2 only) to B2; admin and orgdept see
   everything (orgdept reads only). Anonymous page requests expect 302 (checked to go to
   the login page); anonymous API requests 401. Decide the statuses from rules.md §1 and
   the view, not by copying what the test prints: a wrong row hides a hole.
2. ``B2``: for an object of a branch, the supervisor's status on B2's mirror object,
   where the supervisor is in scope; ``-`` where there is no such object.
3. ``args``: the URL's arguments, ``name=field`` of a ``Side`` (``matrix_data.py``: the
   codes of a branch's objects, ``code=member``, ``pk=draft`` ...), comma-separated;
   digits or ``'text'`` for a literal; ``-`` for none. The test fills them with B1's side
   (and B2's for the ``B2`` column). If your object is missing, add it to
   ``matrix_data._side`` (with the branch's marker text in its free text), for both
   branches.

A POST (any API call) is sent with the body in ``BODIES`` under the row's key
(``"POST meetings:reopen"``, ``"POST /api/roles"``; default: an empty form) and is rolled
back afterwards; for those who may write, the expected status is what that body gets (200
for a form shown again with its errors, 302 after success, 400 ...). Every body returned
is also searched for data of other branches (names of their members, their objects'
marker text): a role of B1 must never see B2's, nor the reverse.

Write ``?`` for a status while building a row: the failure message prints what each role
got. ``EXCLUDED`` lists what is deliberately not in the matrix, with the reason.
"""

import copy
import datetime
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kaoping.meetings.checkin import token_current

from .matrix_data import B1_MARK, B2_MARK, MatrixData, Side, build, module_transaction

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

Body = Callable[[MatrixData, Side], dict]


@dataclass(frozen=True)
class Row:
    """One line of ``PAGES_TABLE`` or ``API_TABLE`` (see the module docstring)."""

    target: str  # the URL name of a page, the path of an API operation
    method: str
    statuses: str  # one per role, in the order of ROLES
    b2: str | None  # the supervisor's status on B2's mirror object (None: not checked)
    args: str  # the URL's arguments, "name=field,..." ("-": none)


def _rows(*, api: bool = False, rows: tuple[tuple[str, str, str, str, str], ...]) -> dict[str, Row]:
    """The rows of a table, keyed by ``"METHOD target"`` (an API operation as in its schema)."""
    out: dict[str, Row] = {}
    for first, second, statuses, b2, args in rows:
        target, method = (second, first) if api else (first, second)
        key = f"{method} {target}"
        assert key not in out, f"two rows for {key}"
        out[key] = Row(target, method, statuses, None if b2 == "-" else b2, args)
    return out


def _args(spec: str, side: Side) -> dict[str, str]:
    """The URL's arguments for one side: ``"code=member,year=2026"`` -> {"code": <B1's
    member>, "year": "2026"}. A field that ``Side`` does not have is an error, not a literal."""
    out = {}
    for part in spec.split(",") if spec != "-" else ():
        name, _, value = part.partition("=")
        if value.isdigit():
            out[name] = value
        elif len(value) > 1 and value[0] == value[-1] == "'":
            out[name] = value[1:-1]
        else:
            out[name] = str(getattr(side, value))
    return out


def _settings_body(d: MatrixData, s: Side) -> dict:
    """The scheme's current settings: valid, so only the access check can refuse."""
    from kaoping.web.forms import SchemeSettingsForm

    return {k: str(v) for k, v in SchemeSettingsForm.initial_for(d.d.scheme).items()}


def _item_body(d: MatrixData, s: Side) -> dict:
    return {"code": "X99", "kind": "deduction", "name": "矩阵", "points": "1"}


def _reason(d: MatrixData, s: Side) -> dict:
    return {"reason": "矩阵", "confirm": "1"}  # past a confirmation step where there is one


def _approve(d: MatrixData, s: Side) -> dict:
    return {"decision": "approve", "confirm": "1"}


class Multipart(dict):
    """An API body sent as a multipart form (an operation taking a file), not as JSON."""


def _monitoring_body(d: MatrixData, s: Side) -> dict:
    return {
        "general_every": "3",
        "committee_every": "1",
        "group_every": "1",
        "lecture_every": "3",
        "absence_months": "3",
        "dues_months": "2",
        "evaluation_deadline": "2026-12-15",
        "appeal_days": "2",
    }


def _candidate_body(d: MatrixData, s: Side) -> dict:
    return {
        "member": s.other_member,
        "condition": "8",
        "year": "2026",
        "action": "dismiss",
        "reason": "矩阵",
    }


def _not_a_workbook(d: MatrixData, s: Side) -> "Multipart":
    """An upload named .xlsx that is no workbook: refused on ``file`` for who may import."""
    upload = io.BytesIO(b"matrix")
    upload.name = "paper.xlsx"
    return Multipart(file=upload)


def _template_upload(d: MatrixData, s: Side) -> "Multipart":
    """A valid template of the party committee above both branches: kept for who may."""
    from kaoping.documents.default_templates import registration_form

    upload = io.BytesIO(registration_form())
    upload.name = "登记表.docx"
    return Multipart(organization="P1", kind="registration-form", year="2026", file=upload)


def _roster_template():
    """The roster's template (its sample row) as an upload, sent whole to every role
    (the body is made once per side: each read starts from the beginning)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaoping.archive.exports import XLSX, roster_template

    class Rewound(SimpleUploadedFile):
        def read(self, *args, **kwargs):
            self.seek(0)
            return super().read(*args, **kwargs)

    return Rewound("roster.xlsx", roster_template(), XLSX)


def _dues_sheet(s: Side):
    """A dues spreadsheet of one row for the side's member, its amount refused (0): the
    preview answers its row error and keeps no stored upload behind (a good preview's
    file waits for its confirmation, which kaoping/jobs/tests/test_uploads.py would find
    in the storage after this module)."""
    from kaoping.testing.sheets import DUES_HEADER, xlsx_upload

    return xlsx_upload(DUES_HEADER, [(s.member, "2026-03", "0", "2026-03-02")], "dues.xlsx")


class Of(str):
    """A value of a ``fixed`` body that is the side's field of that name."""


MEMBER, OTHER_MEMBER, BRANCH, ENTRY = Of("member"), Of("other_member"), Of("branch"), Of("entry")


def fixed(**fields) -> Body:
    """A body of ``fields``, afresh for each request: the same for every side but for the
    values ``MEMBER``, ``OTHER_MEMBER``, ``BRANCH`` and ``ENTRY`` (alone or in a list),
    each the side's."""

    def value(v, s: Side):
        if isinstance(v, Of):
            return getattr(s, v)
        if isinstance(v, list):
            return [value(item, s) for item in v]
        return copy.deepcopy(v)

    return lambda d, s: {key: value(v, s) for key, v in fields.items()}


# The body of a request, by the key of its row (default: an empty form / JSON object).
BODIES: dict[str, Body] = {
    "POST /api/me/evaluation/{year}/ballot": lambda d, s: {"marks": {s.member: "excellent"}},
    "PATCH /api/meetings/{code}": lambda d, s: {
        "starts_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
        "place": "二楼",
        "topic": "变更后的议题",
    },
    "POST /api/scheme-drafts": fixed(base=2026, year=2027, branch="B1"),
    "PATCH /api/scheme-drafts/{id}/settings": lambda d, s: {"notice_days": 6},
    "PUT /api/scheme-drafts/{id}/items": lambda d, s: {"points": {"D01": "1"}},
    "PUT /api/years/{year}/monitoring-settings": lambda d, s: {
        k: (v if k == "evaluation_deadline" else int(v)) for k, v in _monitoring_body(d, s).items()
    },
    "PUT /api/accounts/username-rule": lambda d, s: {"username_rule": "mobile"},
    "PUT /api/me/channels": fixed(email=False, sms=False, digest=False),
    "POST /api/document-templates": _template_upload,
    "POST /api/organizations/{code}/robots": fixed(
        kind="wecom", name="矩阵群", webhook="https://example.org/hook"
    ),
    "POST /api/schemes": fixed(year=2031, source="empty"),
    "PATCH /api/years/{year}/scheme": lambda d, s: {"notice_days": 7},
    "POST /api/years/{year}/scheme/items": fixed(
        code="D99", kind="deduction", name="矩阵", points="1"
    ),
    "PUT /api/years/{year}/scheme/items/{code}": fixed(kind="deduction", name="矩阵", points="1"),
    "POST /api/branches/{code}/ledger-publications": fixed(start="2026-03-01", end="2026-03-31"),
    # not a spreadsheet: refused on the file, after the branch's permission
    "POST /api/branches/{code}/entries/import": lambda d, s: Multipart(
        file=SimpleUploadedFile("entries.txt", b"x", "text/plain")
    ),
    "POST /api/branches/{code}/entries/import/confirm": lambda d, s: {"token": "expired"},
    "POST /api/branches/{code}/members": fixed(code="API-NEW", name="新党员"),
    "PUT /api/members/{code}": fixed(name="改名", membership="probationary"),
    "POST /api/organizations": fixed(code="API-ORG", name="新支部", kind="branch", parent="P1"),
    "PUT /api/organizations/{code}": fixed(name="改名支部", kind="branch", parent="P1"),
    "POST web:entry_reverse": _reason,
    "POST web:schemes": fixed(year="2031", source="empty"),
    "POST web:scheme_settings": _settings_body,
    "POST web:scheme_item_create": _item_body,
    "POST web:scheme_item": _item_body,
    "POST planning:draft_settings": _settings_body,
    "POST meetings:reopen": _reason,
    "POST meetings:leave": _reason,
    "POST meetings:leave_decide": _approve,
    # the code on the screen now (the matrix's meeting starts in two days: not yet open)
    "POST meetings:checkin": lambda d, s: {"t": token_current(s.meeting, timezone.now())},
    "POST /api/meetings/{code}/check-in": lambda d, s: {
        "token": token_current(s.meeting, timezone.now())
    },
    "POST /api/branches/{code}/meetings": fixed(
        kind="general", starts_at="2026-12-20T09:00:00+08:00", place="矩阵", topic="矩阵"
    ),
    "PUT /api/meetings/{code}/attendance": lambda d, s: {"statuses": {s.member: "present"}},
    "PUT /api/meetings/{code}/minutes": lambda d, s: {"host": "主持人", "minutes": "记录"},
    "POST /api/meetings/{code}/close": lambda d, s: {
        "statuses": {s.member: "present", s.other_member: "present"},
        "confirm": True,
    },
    "POST /api/meetings/{code}/reopen": _reason,
    "POST /api/meetings/{code}/leave-requests": _reason,
    "POST /api/leave-requests/{code}/decision": _approve,
    "POST /api/branches/{code}/tasks": fixed(
        kind="assigned", title="矩阵", due_at="2026-12-20T18:00:00+08:00"
    ),
    "POST /api/tasks/{code}/marks": fixed(member=OTHER_MEMBER, status="excused", reason="矩阵"),
    "POST /api/me/claims": lambda d, s: Multipart(
        item="B01", date="2026-03-05", description="矩阵", proof_text="矩阵"
    ),
    "POST /api/claims/{code}/decision": _approve,
    "POST /api/branches/{code}/years/{year}/reopen": _reason,
    # B1's member's entry (their grade is appealed already): another's entry is a 422
    "POST /api/me/appeals": fixed(year=2026, entry=ENTRY, reasons="矩阵"),
    "POST /api/appeals/{code}/answer": fixed(upheld=False, answer="矩阵"),
    "PUT /api/years/{year}/unqualified-settings": fixed(
        vote_basis="entitled", absence_months=6, dues_months=3
    ),
    # the member without a case (the other member's case is open)
    "POST /api/branches/{code}/unqualified-cases": lambda d, s: Multipart(
        member=s.member, condition="7", facts="矩阵"
    ),
    "POST /api/branches/{code}/unqualified-candidates": _candidate_body,
    "POST /api/unqualified-cases/{code}/review": _approve,
    "POST /api/unqualified-cases/{code}/resubmit": lambda d, s: Multipart(facts="矩阵"),
    "POST /api/unqualified-cases/{code}/vote": fixed(
        held_on="2026-05-01", entitled=1, present=1, in_favour=1, against=0, abstaining=0
    ),
    "POST /api/unqualified-cases/{code}/handling": fixed(kind="persuade", decided_on="2026-05-01"),
    "PATCH /api/members/{code}/archive/profile": lambda d, s: {"ethnicity": "汉族"},
    "POST /api/members/{code}/archive/transfers": fixed(
        destination="矩阵", date="2026-03-01", reason="矩阵"
    ),
    "POST /api/members/{code}/archive/lost-contact": fixed(since="2026-03-01", efforts="矩阵"),
    "POST /api/members/{code}/archive/found": lambda d, s: {"found_on": "2026-03-01"},
    "POST /api/members/{code}/archive/investigation": fixed(body="矩阵", started_on="2026-03-01"),
    "POST /api/members/{code}/archive/investigation/decision": fixed(
        decided_on="2026-05-01", decision="矩阵"
    ),
    "POST /api/members/{code}/archive/exemptions": fixed(
        item="D01", reason="矩阵", starts_on="2026-01-01"
    ),
    "POST /api/branches/{code}/roster/import": lambda d, s: Multipart(file=_roster_template()),
    "POST /api/branches/{code}/roster/import/confirm": lambda d, s: {"token": "forged"},
    "PUT /api/branches/{code}/dues/settings": fixed(deadline_day=20, item_code="D04"),
    "POST /api/branches/{code}/dues/rates": fixed(member=MEMBER, year=2026, amount="40"),
    "POST /api/branches/{code}/dues/payments": fixed(
        member=MEMBER, month="2026-03", amount="40", paid_on="2026-03-02"
    ),
    "POST /api/branches/{code}/dues/close": lambda d, s: {"month": "2026-03"},
    "POST /api/branches/{code}/dues/import": lambda d, s: Multipart(file=_dues_sheet(s)),
    "POST /api/branches/{code}/dues/import/confirm": lambda d, s: {"token": "matrix"},
    "POST /api/supervision/groups": fixed(
        name="矩阵", users=["supervisor"], organizations=[BRANCH]
    ),
    "POST /api/supervision/groups/{code}/inspections": fixed(
        organization=BRANCH, date="2026-05-07", method="camera", findings="矩阵"
    ),
    "POST /api/supervision/groups/{code}/members": lambda d, s: {"person": "orgdept"},
    "POST /api/supervision/inspections/{code}/findings": lambda d, s: Multipart(
        member=s.member, item="D07", evidence_text="矩阵"
    ),
    "POST tasks:mark": fixed(member=OTHER_MEMBER, status="excused", reason="矩阵"),
    "POST claims:detail": _approve,
    "POST monitoring:settings": _monitoring_body,
    "POST unqualified:settings": fixed(vote_basis="entitled", absence_months="6", dues_months="3"),
    "POST unqualified:candidate": _candidate_body,
    "POST unqualified:detail": lambda d, s: {
        "action": "review",
        "review-decision": "approve",
        "confirm": "1",
    },
    "POST /api/accounts/issue": fixed(organization=BRANCH),
    "POST /api/years/{year}/entries": fixed(member=MEMBER, item="D01", date="2026-04-01"),
    "POST /api/entries/{code}/reverse": lambda d, s: {"reason": "matrix"},
    "PUT /api/years/{year}/tallies/{member}": fixed(
        excellent=1, qualified=0, basic=0, unqualified=0
    ),
    "POST /api/years/{year}/quota-decisions": fixed(member=MEMBER, excellent=True, note="matrix"),
    "POST /api/roles": fixed(member=MEMBER, organization=BRANCH, role="branch_committee"),
    "POST /api/branches/{code}/years/{year}/count": lambda d, s: {"shares": []},
    "POST /api/accounts/{member_code}/deactivate": lambda d, s: {"reason": "matrix"},
    "PUT /api/me/evaluation/{year}/self-evaluation": lambda d, s: {"problems": "矩阵"},
    "PUT /api/me/evaluation/{year}/peer-comments/{member}": lambda d, s: {"strengths": "矩阵"},
    "PUT /api/branches/{code}/years/{year}/secretary-comments/{member}": lambda d, s: {
        "comment": "矩阵"
    },
    "POST /api/branches/{code}/years/{year}/evaluation/actions": lambda d, s: {"action": "advance"},
    "POST /api/branches/{code}/years/{year}/evaluation/vote-open": fixed(
        scrutineers=[MEMBER, OTHER_MEMBER]
    ),
    "POST /api/branches/{code}/years/{year}/evaluation/rerun": fixed(
        scrutineers=[MEMBER, OTHER_MEMBER], reason="矩阵"
    ),
    "POST /api/branches/{code}/years/{year}/evaluation/to-paper": _reason,
    "POST /api/branches/{code}/years/{year}/paper-codes": fixed(members=[MEMBER]),
    "PUT /api/branches/{code}/years/{year}/paper-tally": lambda d, s: {"counts": {}},
    "POST /api/branches/{code}/years/{year}/paper-tally/import": _not_a_workbook,
    "POST /api/branches/{code}/years/{year}/paper-tally/import/confirm": lambda d, s: {
        "token": "matrix"
    },
}


# One row a request, the key of a row is "METHOD route" (see the module docstring). The
# rows are aligned as a table, one row a line, longer than the lines of code around them:
# ruff: noqa: E501
# fmt: off
PAGES = _rows(rows=(
    # route                               method  ano mem mot sec sot sup adm org    B2     args
    # staff only; an empty POST is a form error (400), members have no such page
    ("web:two_factor",                   "GET",  "302 404 404 200 200 200 200 200", "-",   "-"),
    ("web:two_factor",                   "POST", "302 404 404 400 400 400 400 400", "-",   "-"),
    # archive: a member's archive, its forms (managers of the member's branch), the roster
    ("archive:member",                   "GET",  "302 200 404 200 404 404 200 200", "200", "code=member"),
    ("archive:profile",                  "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("archive:profile",                  "POST", "302 403 404 400 404 404 400 403", "403", "code=member"),
    ("archive:transfer",                 "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("archive:transfer",                 "POST", "302 403 404 400 404 404 400 403", "403", "code=member"),
    ("archive:lost",                     "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("archive:lost",                     "POST", "302 403 404 400 404 404 400 403", "403", "code=member"),
    ("archive:found",                    "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("archive:found",                    "POST", "302 403 404 400 404 404 400 403", "403", "code=member"),
    ("archive:investigation_start",      "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("archive:investigation_start",      "POST", "302 403 404 400 404 404 400 403", "403", "code=member"),
    ("archive:investigation_decide",     "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("archive:investigation_decide",     "POST", "302 403 404 400 404 404 400 403", "403", "code=member"),
    ("archive:exemption_add",            "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("archive:exemption_add",            "POST", "302 403 404 400 404 404 400 403", "403", "code=member"),
    ("archive:exemption_remove",         "GET",  "302 405 405 405 405 405 405 405", "405", "pk=exemption"),
    ("archive:exemption_remove",         "POST", "302 403 404 302 404 404 302 403", "403", "pk=exemption"),
    ("archive:roster",                   "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("archive:branch_exemptions",        "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("archive:roster_export",            "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("archive:roster_import",            "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("archive:roster_import",            "POST", "302 404 404 400 404 404 400 403", "403", "code=branch"),
    # confirming needs a preview's signed token: 404 without one for those who may import
    ("archive:roster_import_confirm",    "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("archive:roster_import_confirm",    "POST", "302 404 404 404 404 404 404 403", "403", "code=branch"),
    ("archive:roster_template",          "GET",  "302 403 403 200 200 200 200 200", "-",   "-"),
    # the 12371 sheet carries full ID numbers: committee and org department only
    ("archive:export_12371",             "GET",  "302 404 404 403 404 404 200 200", "403", "code=branch"),
    ("archive:lost_contacts",            "GET",  "302 403 403 200 200 200 200 200", "-",   "-"),
    ("dashboards:home",                  "GET",  "302 302 302 302 302 302 302 302", "-",   "-"),
    ("dashboards:mine",                  "GET",  "302 200 200 404 404 404 404 404", "-",   "-"),
    ("dashboards:committee",             "GET",  "302 404 404 200 200 200 200 200", "-",   "-"),
    ("dashboards:screen",                "GET",  "302 404 404 200 200 200 200 200", "-",   "-"),
    ("dashboards:member",                "GET",  "302 200 404 200 404 404 200 200", "200", "code=member"),
    ("dashboards:ledger_print",          "GET",  "302 200 404 200 404 404 200 200", "200", "code=member"),
    ("dashboards:branch",                "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("dashboards:report_print",          "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("claims:xlsx",                      "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("dues:xlsx",                        "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("inspections:xlsx",                 "GET",  "302 404 404 404 404 404 200 404", "200", "code=group"),
    ("meetings:attendance_xlsx",         "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("web:entries_xlsx",                 "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("web:results_xlsx",                 "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("api:api-root",                     "GET",  "404 404 404 404 404 404 404 404", "-",   "-"),
    ("api:openapi-json",                 "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    # Probes for load balancers: open to all, JSON without any data (kaoping/ops); read only.
    ("ops:healthz",                      "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    ("ops:healthz",                      "POST", "405 405 405 405 405 405 405 405", "-",   "-"),
    ("ops:readyz",                       "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    ("ops:readyz",                       "POST", "405 405 405 405 405 405 405 405", "-",   "-"),
    ("api:openapi-view",                 "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    ("web:home",                         "GET",  "302 302 302 302 302 302 302 302", "-",   "-"),
    ("web:login",                        "GET",  "200 302 302 302 302 302 302 302", "-",   "-"),
    ("web:login",                        "POST", "200 302 302 302 302 302 302 302", "-",   "-"),
    ("web:manifest",                     "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    ("web:manifest",                     "POST", "405 405 405 405 405 405 405 405", "-",   "-"),
    ("web:service_worker",               "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    ("web:service_worker",               "POST", "405 405 405 405 405 405 405 405", "-",   "-"),
    ("web:offline",                      "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    ("web:offline",                      "POST", "405 405 405 405 405 405 405 405", "-",   "-"),
    ("web:logout",                       "GET",  "405 405 405 405 405 405 405 405", "-",   "-"),
    ("web:logout",                       "POST", "302 302 302 302 302 302 302 302", "-",   "-"),
    ("web:me",                           "GET",  "302 200 200 404 404 404 404 404", "-",   "-"),
    ("web:member",                       "GET",  "302 200 404 200 404 404 200 200", "200", "code=member"),
    ("web:member_edit",                  "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("web:member_edit",                  "POST", "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("web:tally",                        "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("web:tally",                        "POST", "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("web:decision",                     "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("web:decision",                     "POST", "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("web:branch",                       "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("web:ledger_publications",          "GET",  "302 200 404 200 404 404 200 200", "200", "code=branch"),
    ("web:ledger_publications",          "POST", "302 403 404 200 404 404 200 403", "403", "code=branch"),
    ("web:ledger_publication",           "GET",  "302 200 404 200 404 404 200 200", "200", "code=branch,pk=ledger_publication"),
    ("web:entry_create",                 "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("web:entry_create",                 "POST", "302 404 404 200 404 404 200 403", "403", "code=branch"),
    ("web:member_create",                "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("web:member_create",                "POST", "302 404 404 200 404 404 200 403", "403", "code=branch"),
    ("web:entry_reverse",                "GET",  "302 403 404 200 404 404 200 403", "403", "code=entry"),
    ("web:entry_reverse",                "POST", "302 403 404 302 404 404 302 403", "403", "code=entry"),
    ("web:overview",                     "GET",  "302 404 404 200 200 200 200 200", "-",   "-"),
    ("web:audit",                        "GET",  "302 404 404 404 404 404 200 404", "-",   "-"),
    ("web:organization_create",          "GET",  "302 405 405 405 405 405 405 405", "-",   "-"),
    ("web:organization_create",          "POST", "302 404 404 403 403 403 200 403", "-",   "-"),
    ("web:organization_edit",            "GET",  "302 404 404 403 404 404 200 403", "403", "code=branch"),
    ("web:organization_edit",            "POST", "302 404 404 403 404 404 200 403", "403", "code=branch"),
    ("web:schemes",                      "GET",  "302 404 404 200 200 200 200 200", "-",   "-"),
    ("web:schemes",                      "POST", "302 404 404 403 403 403 302 403", "-",   "-"),
    ("web:scheme",                       "GET",  "302 404 404 200 200 200 200 200", "-",   "year=2026"),
    ("web:scheme_settings",              "GET",  "302 405 405 405 405 405 405 405", "-",   "year=2026"),
    ("web:scheme_settings",              "POST", "302 404 404 403 403 403 302 403", "-",   "year=2026"),
    ("web:scheme_item_create",           "GET",  "302 405 405 405 405 405 405 405", "-",   "year=2026"),
    ("web:scheme_item_create",           "POST", "302 404 404 403 403 403 302 403", "-",   "year=2026"),
    ("web:scheme_item",                  "GET",  "302 404 404 403 403 403 200 403", "-",   "code=item,year=2026"),
    ("web:scheme_item",                  "POST", "302 404 404 403 403 403 302 403", "-",   "code=item,year=2026"),
    # planning: a branch's draft is its secretaries' and the committee admins' (404 for the
    # rest, orgdept and supervisors included: they do not draft); adopting is admins' (403).
    ("planning:drafts",                  "GET",  "302 404 404 200 200 404 200 404", "-",   "-"),
    ("planning:drafts",                  "POST", "302 404 404 400 400 404 400 404", "-",   "-"),
    ("planning:draft",                   "GET",  "302 404 404 200 404 404 200 404", "404", "pk=draft"),
    ("planning:draft_settings",          "GET",  "302 405 405 405 405 405 405 405", "405", "pk=draft"),
    ("planning:draft_settings",          "POST", "302 404 404 302 404 404 302 404", "404", "pk=draft"),
    ("planning:draft_items",             "GET",  "302 405 405 405 405 405 405 405", "405", "pk=draft"),
    ("planning:draft_items",             "POST", "302 404 404 400 404 404 400 404", "404", "pk=draft"),
    ("planning:draft_adopt",             "GET",  "302 405 405 405 405 405 405 405", "405", "pk=draft"),
    ("planning:draft_adopt",             "POST", "302 404 404 403 404 404 302 404", "404", "pk=draft"),
    # the guided start: once set up, committee admins only (404 for the rest).
    ("onboarding:start",                 "GET",  "302 404 404 404 404 404 200 404", "-",   "-"),
    ("onboarding:committee",             "GET",  "302 405 405 405 405 405 405 405", "-",   "-"),
    ("onboarding:committee",             "POST", "302 404 404 404 404 404 400 404", "-",   "-"),
    ("onboarding:branch",                "GET",  "302 405 405 405 405 405 405 405", "-",   "-"),
    ("onboarding:branch",                "POST", "302 404 404 404 404 404 400 404", "-",   "-"),
    ("onboarding:scheme",                "GET",  "302 405 405 405 405 405 405 405", "-",   "-"),
    ("onboarding:scheme",                "POST", "302 404 404 404 404 404 400 404", "-",   "-"),
    ("onboarding:username_rule",         "GET",  "302 405 405 405 405 405 405 405", "-",   "-"),
    ("onboarding:username_rule",         "POST", "302 404 404 404 404 404 400 404", "-",   "-"),
    # accounts: for those who keep a roster (admins, secretaries); other officers 403,
    # members 404. The username rule (POST on the index) is the committee admin's.
    ("accounts:index",                   "GET",  "302 404 404 200 200 403 200 403", "-",   "-"),
    ("accounts:index",                   "POST", "302 404 404 403 403 403 400 403", "-",   "-"),
    ("accounts:branch",                  "GET",  "302 404 404 200 404 403 200 403", "403", "code=branch"),
    # an empty POST asks to confirm (nothing done yet)
    ("accounts:issue",                   "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("accounts:issue",                   "POST", "302 404 404 200 404 403 200 403", "403", "code=branch"),
    ("accounts:batch",                   "GET",  "302 404 404 200 404 404 200 403", "403", "pk=slip_batch"),
    ("accounts:slips_pdf",               "GET",  "302 405 405 405 405 405 405 405", "405", "pk=slip_batch"),
    ("accounts:slips_pdf",               "POST", "302 404 404 200 404 404 200 403", "403", "pk=slip_batch"),
    ("accounts:slips_xlsx",              "GET",  "302 405 405 405 405 405 405 405", "405", "pk=slip_batch"),
    ("accounts:slips_xlsx",              "POST", "302 404 404 200 404 404 200 403", "403", "pk=slip_batch"),
    ("notifications:inbox",              "GET",  "302 200 200 200 200 200 200 200", "-",   "-"),
    ("workbench:home",                   "GET",  "302 200 200 200 200 200 200 200", "-",   "-"),
    ("notifications:mark_read",          "GET",  "405 405 405 405 405 405 405 405", "-",   "-"),
    ("notifications:mark_read",          "POST", "302 302 302 302 302 302 302 302", "-",   "-"),
    # delivery: one's own channels; the failures page and its retries are the committee
    # admin's (404 for everybody else, the org department included); a branch's robots are
    # its secretary's too
    ("delivery:channels",                "GET",  "302 200 200 200 200 200 200 200", "-",   "-"),
    ("delivery:channels",                "POST", "302 302 302 302 302 302 302 302", "-",   "-"),
    ("delivery:failures",                "GET",  "302 404 404 404 404 404 200 404", "-",   "-"),
    ("delivery:delivery_retry",          "GET",  "302 405 405 405 405 405 405 405", "405", "pk=failed_delivery"),
    ("delivery:delivery_retry",          "POST", "302 404 404 404 404 404 200 404", "404", "pk=failed_delivery"),
    ("delivery:group_message_retry",     "GET",  "302 405 405 405 405 405 405 405", "405", "pk=failed_group_message"),
    ("delivery:group_message_retry",     "POST", "302 404 404 404 404 404 200 404", "404", "pk=failed_group_message"),
    ("delivery:robots",                  "GET",  "302 404 404 200 404 404 200 404", "404", "code=branch"),
    ("delivery:robots",                  "POST", "302 404 404 400 404 404 400 404", "404", "code=branch"),
    ("delivery:robot_remove",            "GET",  "302 405 405 405 405 405 405 405", "405", "pk=robot"),
    ("delivery:robot_remove",            "POST", "302 404 404 200 404 404 200 404", "404", "pk=robot"),
    ("delivery:robot_test",              "GET",  "302 405 405 405 405 405 405 405", "405", "pk=robot"),
    ("delivery:robot_test",              "POST", "302 404 404 302 404 404 302 404", "404", "pk=robot"),
    ("meetings:branch",                  "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("meetings:branch",                  "POST", "302 404 404 200 404 404 200 403", "403", "code=branch"),
    ("meetings:member_daily",            "GET",  "302 200 404 200 404 404 200 200", "200", "code=member"),
    ("meetings:detail",                  "GET",  "302 200 404 200 404 404 200 200", "200", "code=meeting"),
    ("meetings:attendance",              "GET",  "302 405 405 405 405 405 405 405", "405", "code=meeting"),
    ("meetings:attendance",              "POST", "302 403 404 302 404 404 302 403", "403", "code=meeting"),
    ("meetings:close",                   "GET",  "302 405 405 405 405 405 405 405", "405", "code=meeting"),
    ("meetings:close",                   "POST", "302 403 404 302 404 404 302 403", "403", "code=meeting"),
    ("meetings:reopen",                  "GET",  "302 405 405 405 405 405 405 405", "405", "code=meeting"),
    ("meetings:reopen",                  "POST", "302 403 404 400 404 404 400 403", "403", "code=meeting"),
    ("meetings:leave",                   "GET",  "302 405 405 405 405 405 405 405", "405", "code=meeting"),
    ("meetings:leave",                   "POST", "302 400 404 403 404 404 403 403", "403", "code=meeting"),
    ("meetings:change",                  "GET",  "302 403 404 200 404 404 200 403", "403", "code=meeting"),
    ("meetings:change",                  "POST", "302 403 404 400 404 404 400 403", "403", "code=meeting"),
    ("meetings:minutes",                 "GET",  "302 403 404 200 404 404 200 403", "403", "code=meeting"),
    ("meetings:minutes",                 "POST", "302 403 404 400 404 404 400 403", "403", "code=meeting"),
    ("meetings:leave_withdraw",          "GET",  "302 405 405 405 405 405 405 405", "405", "code=leave"),
    ("meetings:leave_withdraw",          "POST", "302 302 404 403 404 404 403 403", "403", "code=leave"),
    ("meetings:leave_decide",            "GET",  "302 404 404 200 404 404 200 404", "404", "code=leave"),
    ("meetings:leave_decide",            "POST", "302 403 404 302 404 404 302 403", "403", "code=leave"),
    ("meetings:checkin",                 "GET",  "302 400 400 400 400 400 400 400", "400", "code=meeting"),
    ("meetings:checkin",                 "POST", "302 400 403 403 403 403 403 403", "403", "code=meeting"),
    ("meetings:checkin_screen",          "GET",  "302 404 404 200 404 404 200 404", "404", "code=meeting"),
    ("meetings:checkin_live",            "GET",  "302 404 404 200 404 404 200 404", "404", "code=meeting"),
    ("tasks:branch",                     "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("tasks:branch",                     "POST", "302 404 404 400 404 404 400 403", "403", "code=branch"),
    ("tasks:mine",                       "GET",  "302 200 200 404 404 404 404 404", "-",   "-"),
    ("tasks:detail",                     "GET",  "302 200 404 200 404 404 200 200", "200", "code=task"),
    ("tasks:submit",                     "GET",  "302 405 405 405 405 405 405 405", "405", "code=task"),
    ("tasks:submit",                     "POST", "302 400 404 403 404 404 403 403", "403", "code=task"),
    ("tasks:mark",                       "GET",  "302 405 405 405 405 405 405 405", "405", "code=task"),
    ("tasks:mark",                       "POST", "302 403 404 302 404 404 302 403", "403", "code=task"),
    ("tasks:close",                      "GET",  "302 405 405 405 405 405 405 405", "405", "code=task"),
    ("tasks:close",                      "POST", "302 403 404 302 404 404 302 403", "403", "code=task"),
    ("tasks:file",                       "GET",  "302 200 404 200 404 404 200 200", "200", "code=task,member=member"),
    ("dues:branch",                      "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("dues:payment",                     "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("dues:payment",                     "POST", "302 404 404 400 404 404 400 403", "403", "code=branch"),
    ("dues:rate",                        "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("dues:rate",                        "POST", "302 404 404 400 404 404 400 403", "403", "code=branch"),
    ("dues:settings",                    "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("dues:settings",                    "POST", "302 404 404 400 404 404 400 403", "403", "code=branch"),
    ("dues:close",                       "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    # closing a month shows its consequences first (a POST without confirm: 200)
    ("dues:close",                       "POST", "302 404 404 200 404 404 200 403", "403", "code=branch"),
    ("dues:import",                      "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("dues:import",                      "POST", "302 404 404 400 404 404 400 403", "403", "code=branch"),
    ("dues:template",                    "GET",  "302 200 200 200 200 200 200 200", "-",   "-"),
    # Confirming an import needs the signed token of a preview: without one, 404 for those
    # who may import, and the usual refusals for the others.
    ("dues:import_confirm",              "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("dues:import_confirm",              "POST", "302 404 404 404 404 404 404 403", "403", "code=branch"),
    ("web:entries_import",               "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("web:entries_import",               "POST", "302 404 404 400 404 404 400 403", "403", "code=branch"),
    ("web:entries_import_confirm",       "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("web:entries_import_confirm",       "POST", "302 404 404 404 404 404 404 403", "403", "code=branch"),
    ("web:entries_template",             "GET",  "302 200 200 200 200 200 200 200", "-",   "-"),
    # Jobs: an officer exports what they read; only a committee admin recomputes the year.
    ("web:entries_export",               "GET",  "302 405 405 405 405 405 405 405", "-",   "-"),
    ("web:entries_export",               "POST", "302 404 404 302 302 302 302 302", "-",   "-"),
    ("web:results_compute",              "GET",  "302 405 405 405 405 405 405 405", "-",   "-"),
    ("web:results_compute",              "POST", "302 404 404 403 403 403 302 403", "-",   "-"),
    # A job is seen by whoever started it and by the admins of its organisation.
    ("jobs:list",                        "GET",  "302 200 200 200 200 200 200 200", "-",   "-"),
    ("jobs:detail",                      "GET",  "302 404 404 200 404 404 200 404", "404", "pk=job"),
    ("jobs:file",                        "GET",  "302 404 404 200 404 404 200 404", "404", "pk=job"),
    ("inspections:groups",               "GET",  "302 404 404 200 200 200 200 200", "-",   "-"),
    ("inspections:groups",               "POST", "302 404 404 403 403 403 400 403", "-",   "-"),
    ("inspections:group",                "GET",  "302 404 404 404 404 404 200 404", "200", "code=group"),
    ("inspections:group",                "POST", "302 404 404 404 404 404 400 404", "400", "code=group"),
    ("inspections:detail",               "GET",  "302 404 404 404 404 404 200 404", "200", "code=inspection"),
    ("inspections:detail",               "POST", "302 404 404 404 404 404 400 404", "400", "code=inspection"),
    ("inspections:file",                 "GET",  "302 404 404 404 404 404 200 404", "200", "pk=finding"),
    # roles: staff who read the organisation see its page; granting beyond one's rights
    # is a 403 wherever it aims (a secretary grants only 支委 in their branch)
    ("accounts:roles",                   "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("accounts:roles",                   "POST", "302 403 403 400 403 403 400 403", "403", "code=branch"),
    ("accounts:role_revoke",             "GET",  "302 404 404 200 404 404 200 403", "403", "code=branch,pk=role_assignment"),
    ("accounts:role_revoke",             "POST", "302 404 404 200 404 404 200 403", "403", "code=branch,pk=role_assignment"),
    # a group's members: the committee admin only (the group's members see its page)
    ("inspections:member_add",           "GET",  "302 405 405 405 405 405 405 405", "405", "code=group"),
    ("inspections:member_add",           "POST", "302 404 404 404 404 404 400 404", "403", "code=group"),
    ("inspections:member_remove",        "GET",  "302 404 404 404 404 404 200 404", "403", "code=group,pk=group_member"),
    ("inspections:member_remove",        "POST", "302 404 404 404 404 404 200 404", "403", "code=group,pk=group_member"),
    ("claims:mine",                      "GET",  "302 200 200 404 404 404 404 404", "-",   "-"),
    ("claims:mine",                      "POST", "302 400 400 404 404 404 404 404", "-",   "-"),
    ("claims:branch",                    "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch"),
    ("claims:detail",                    "GET",  "302 200 404 200 404 404 200 200", "200", "code=claim"),
    ("claims:detail",                    "POST", "302 403 404 302 404 404 302 403", "403", "code=claim"),
    ("claims:proof",                     "GET",  "302 200 404 200 404 404 200 200", "200", "code=claim"),
    ("evaluation:round",                 "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("evaluation:round_open",            "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch,year=2026"),
    ("evaluation:round_open",            "POST", "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    # Advancing shows its consequences first (GET, or a POST without confirm: 200).
    ("evaluation:round_action",          "GET",  "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026,action='advance'"),
    ("evaluation:round_action",          "POST", "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026,action='advance'"),
    ("evaluation:comment",               "GET",  "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026,member_code=member"),
    ("evaluation:comment",               "POST", "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026,member_code=member"),
    ("evaluation:paper_codes",           "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch,year=2026"),
    ("evaluation:paper_codes",           "POST", "302 404 404 302 404 404 302 403", "403", "code=branch,year=2026"),
    ("evaluation:paper_tally",           "GET",  "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    ("evaluation:paper_tally",           "POST", "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    ("evaluation:paper_template",        "GET",  "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    ("evaluation:paper_import",          "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch,year=2026"),
    ("evaluation:paper_import",          "POST", "302 404 404 400 404 404 400 403", "403", "code=branch,year=2026"),
    ("evaluation:paper_import_confirm",  "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch,year=2026"),
    ("evaluation:paper_import_confirm",  "POST", "302 404 404 404 404 404 404 403", "403", "code=branch,year=2026"),
    # The sealed vote (issue 17): the round is at the self-evaluation, so writes are
    # refused by the service (400) for those who may make them.
    ("evaluation:vote_open",             "GET",  "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    ("evaluation:vote_open",             "POST", "302 404 404 400 404 404 400 403", "403", "code=branch,year=2026"),
    ("evaluation:count",                 "GET",  "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    ("evaluation:count",                 "POST", "302 404 404 400 404 404 400 403", "403", "code=branch,year=2026"),
    # The ballot box: every member of the branch, and those who read it.
    ("evaluation:box",                   "GET",  "302 200 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    # Not counted yet: nothing to download, for anyone.
    ("evaluation:box_download",          "GET",  "302 404 404 404 404 404 404 404", "404", "code=branch,year=2026,fmt='json'"),
    ("evaluation:recount",               "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch,year=2026"),
    ("evaluation:recount",               "POST", "302 302 404 302 404 404 302 302", "302", "code=branch,year=2026"),
    ("evaluation:rerun",                 "GET",  "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    ("evaluation:rerun",                 "POST", "302 404 404 400 404 404 400 403", "403", "code=branch,year=2026"),
    ("evaluation:to_paper",              "GET",  "302 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    ("evaluation:to_paper",              "POST", "302 404 404 400 404 404 400 403", "403", "code=branch,year=2026"),
    ("evaluation:mine",                  "GET",  "302 200 200 404 404 404 404 404", "-",   "year=2026"),
    ("evaluation:self",                  "GET",  "302 405 405 405 405 405 405 405", "-",   "year=2026"),
    ("evaluation:self",                  "POST", "302 302 302 404 404 404 404 404", "-",   "year=2026"),
    ("evaluation:peer",                  "GET",  "302 200 404 404 404 404 404 404", "404", "year=2026,member_code=other_member"),
    ("evaluation:peer",                  "POST", "302 200 404 404 404 404 404 404", "404", "year=2026,member_code=other_member"),
    ("evaluation:vote",                  "GET",  "302 200 200 404 404 404 404 404", "-",   "year=2026"),
    ("evaluation:vote",                  "POST", "302 400 400 404 404 404 404 404", "-",   "year=2026"),
    ("evaluation:vote_code",             "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    ("evaluation:vote_code",             "POST", "200 200 200 200 200 200 200 200", "-",   "-"),
    ("evaluation:receipt",               "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    ("evaluation:receipt",               "POST", "200 200 200 200 200 200 200 200", "-",   "-"),
    ("publication:branch",               "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("publication:publish",              "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch,year=2026"),
    ("publication:publish",              "POST", "302 404 404 302 404 404 302 403", "403", "code=branch,year=2026"),
    ("publication:print",                "GET",  "302 200 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("documents:results_notice",         "GET",  "302 200 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("documents:results_notice_pdf",     "GET",  "302 200 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("publication:finalise",             "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch,year=2026"),
    ("publication:finalise",             "POST", "302 404 404 302 404 404 302 403", "403", "code=branch,year=2026"),
    ("publication:reopen",               "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch,year=2026"),
    ("publication:reopen",               "POST", "302 403 404 403 404 404 302 403", "403", "code=branch,year=2026"),
    ("publication:appeal_new",           "GET",  "302 200 200 404 404 404 404 404", "-",   "year=2026"),
    ("publication:appeal_new",           "POST", "302 200 200 404 404 404 404 404", "-",   "year=2026"),
    ("publication:appeal_answer",        "GET",  "302 404 404 200 404 404 200 404", "404", "code=appeal"),
    ("publication:appeal_answer",        "POST", "302 404 404 200 404 404 200 404", "404", "code=appeal"),
    ("publication:member_panel",         "GET",  "302 200 404 200 404 404 200 200", "200", "code=member,year=2026"),
    ("documents:registration_form",      "GET",  "302 200 404 200 404 404 200 200", "200", "code=member,year=2026"),
    ("documents:registration_form_pdf",  "GET",  "302 200 404 200 404 404 200 200", "200", "code=member,year=2026"),
    # a meeting's record: its branch's officers and the committee, not its attendees
    ("documents:meeting_minutes",        "GET",  "302 404 404 200 404 404 200 200", "200", "code=meeting"),
    ("documents:meeting_minutes_pdf",    "GET",  "302 404 404 200 404 404 200 200", "200", "code=meeting"),
    # the annual report: the branch's officers and the committee, as its print page
    ("documents:annual_report",          "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("documents:annual_report_pdf",      "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("documents:member_ledger_pdf",      "GET",  "302 200 404 200 404 404 200 200", "200", "code=member,year=2026"),
    # a case's documents: the bodies that act on it, as its print page
    ("documents:unqualified_case",       "GET",  "302 404 404 200 404 404 200 200", "404", "code=unqualified_case"),
    ("documents:unqualified_case_pdf",   "GET",  "302 404 404 200 404 404 200 200", "404", "code=unqualified_case"),
    ("documents:unqualified_case_file_pdf", "GET", "302 404 404 200 404 404 200 200", "404", "code=unqualified_case"),
    # the year's archive: the branch's officers and the committee (404 until one is built)
    ("documents:year_archive",           "GET",  "302 404 404 404 404 404 404 404", "404", "code=branch,year=2026"),
    ("documents:year_archive_panel",     "GET",  "302 404 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("documents:year_archive_build",     "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch,year=2026"),
    ("documents:year_archive_build",     "POST", "302 404 404 302 404 404 302 403", "403", "code=branch,year=2026"),
    # documents: a branch's templates are the committee admins' (404 for everybody else)
    ("documents:templates",              "GET",  "302 404 404 404 404 404 200 404", "-",   "-"),
    ("documents:templates",              "POST", "302 404 404 404 404 404 400 404", "-",   "-"),
    ("documents:template_default",       "GET",  "302 404 404 404 404 404 200 404", "-",   "kind='registration-form'"),
    ("documents:template_file",          "GET",  "302 404 404 404 404 404 200 404", "404", "pk=document_template"),
    # the early warnings: officers see their branches' (a member none); the thresholds are
    # the working committee's
    ("monitoring:index",                 "GET",  "302 404 404 200 200 200 200 200", "-",   "-"),
    ("monitoring:settings",              "GET",  "302 404 404 404 404 404 200 404", "-",   "year=2026"),
    ("monitoring:settings",              "POST", "302 404 404 404 404 404 302 404", "-",   "year=2026"),
    ("unqualified:index",                "GET",  "302 404 404 200 200 404 200 200", "-",   "-"),
    ("unqualified:settings",             "GET",  "302 404 404 404 404 404 200 404", "-",   "year=2026"),
    ("unqualified:settings",             "POST", "302 404 404 404 404 404 302 404", "-",   "year=2026"),
    ("unqualified:branch",               "GET",  "302 404 404 200 404 404 200 200", "404", "code=branch"),
    ("unqualified:branch",               "POST", "302 404 404 400 404 404 403 403", "404", "code=branch"),
    ("unqualified:panel",                "GET",  "302 404 404 200 404 404 200 200", "404", "code=branch"),
    ("unqualified:candidate",            "GET",  "302 405 405 405 405 405 405 405", "405", "code=branch"),
    ("unqualified:candidate",            "POST", "302 404 404 302 404 404 403 403", "404", "code=branch"),
    ("unqualified:member_panel",         "GET",  "302 200 404 200 404 404 200 200", "200", "code=member"),
    ("unqualified:detail",               "GET",  "302 404 404 200 404 404 200 200", "404", "code=unqualified_case"),
    ("unqualified:detail",               "POST", "302 404 404 403 404 404 302 302", "404", "code=unqualified_case"),
    ("unqualified:print",                "GET",  "302 404 404 200 404 404 200 200", "404", "code=unqualified_case"),
    ("unqualified:evidence",             "GET",  "302 404 404 200 404 404 200 200", "404", "code=unqualified_case,pk=unqualified_evidence"),
    # the user's own account (issue 16): everyone signed in
    ("accounts:account",                 "GET",  "302 200 200 200 200 200 200 200", "-",   "-"),
    ("accounts:password_change",         "GET",  "302 200 200 200 200 200 200 200", "-",   "-"),
    ("accounts:password_change",         "POST", "302 400 400 400 400 400 400 400", "-",   "-"),
    # public: setting a password with a reset code (an empty form is refused)
    ("accounts:reset_code_redeem",       "GET",  "200 200 200 200 200 200 200 200", "-",   "-"),
    ("accounts:reset_code_redeem",       "POST", "400 400 400 400 400 400 400 400", "-",   "-"),
    # reset by email: only with a mail server configured (not in the tests' settings)
    ("accounts:password_reset",          "GET",  "404 404 404 404 404 404 404 404", "-",   "-"),
    ("accounts:password_reset_done",     "GET",  "404 404 404 404 404 404 404 404", "-",   "-"),
    ("accounts:password_reset_complete", "GET",  "404 404 404 404 404 404 404 404", "-",   "-"),
    ("accounts:password_reset_confirm",  "GET",  "404 404 404 404 404 404 404 404", "-",   "uidb64='MQ',token='set-password'"),
    # a member's login: seen by those who see the member; managed by the branch's managers
    ("accounts:member_login",            "GET",  "302 200 404 200 404 404 200 200", "200", "code=member"),
    # without confirm=1 a POST shows the confirmation again and changes nothing
    ("accounts:reset_code_issue",        "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("accounts:reset_code_issue",        "POST", "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("accounts:login_deactivate",        "GET",  "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("accounts:login_deactivate",        "POST", "302 403 404 200 404 404 200 403", "403", "code=member"),
    ("accounts:login_reactivate",        "GET",  "302 405 405 405 405 405 405 405", "405", "code=member"),
    ("accounts:login_reactivate",        "POST", "302 403 404 200 404 404 200 403", "403", "code=member"),
    # API tokens: staff only; an empty form is refused; a token not one's own is a 404
    ("api_tokens:tokens",                "GET",  "302 404 404 200 200 200 200 200", "-",   "-"),
    ("api_tokens:tokens",                "POST", "302 404 404 400 400 400 400 400", "-",   "-"),
    ("api_tokens:token_revoke",          "GET",  "302 405 405 405 405 405 405 405", "-",   "pk=999999"),
    ("api_tokens:token_revoke",          "POST", "302 404 404 404 404 404 404 404", "-",   "pk=999999"),
))

API = _rows(api=True, rows=(
    # method    path                                             ano mem mot sec sot sup adm org    B2     args
    ("GET",    "/api/me",                                       "401 200 200 200 200 200 200 200", "-",   "-"),
    ("GET",    "/api/organizations",                            "401 200 200 200 200 200 200 200", "-",   "-"),
    ("GET",    "/api/members",                                  "401 200 200 200 200 200 200 200", "-",   "-"),
    ("GET",    "/api/members/{code}",                           "401 200 404 200 404 404 200 200", "200", "code=member"),
    # the roster and the tree: as web:member_create, :member_edit, :organization_create/edit
    ("POST",   "/api/branches/{code}/members",                  "401 404 404 201 404 404 201 403", "403", "code=branch"),
    ("PUT",    "/api/members/{code}",                           "401 403 404 200 404 404 200 403", "403", "code=member"),
    ("POST",   "/api/organizations",                            "401 404 404 403 403 403 201 403", "-",   "-"),
    ("PUT",    "/api/organizations/{code}",                     "401 404 404 403 404 404 200 403", "403", "code=branch"),
    # the archive: as its pages (archive:member, archive:roster, archive:lost_contacts)
    ("GET",    "/api/members/{code}/archive",                   "401 200 404 200 404 404 200 200", "200", "code=member"),
    ("GET",    "/api/members/{code}/documents/{year}/registration-form", "401 200 404 200 404 404 200 200", "200", "code=member,year=2026"),
    ("GET",    "/api/branches/{code}/documents/{year}/results-notice", "401 200 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("GET",    "/api/document-kinds",                           "401 404 404 404 404 404 200 404", "-",   "-"),
    ("GET",    "/api/document-kinds/{kind}/default-template",   "401 404 404 404 404 404 200 404", "-",   "kind='registration-form'"),
    ("GET",    "/api/document-templates",                       "401 404 404 404 404 404 200 404", "-",   "-"),
    ("POST",   "/api/document-templates",                       "401 404 404 404 404 404 201 404", "-",   "-"),
    ("GET",    "/api/document-templates/{id}/file",             "401 404 404 404 404 404 200 404", "404", "id=document_template"),
    ("GET",    "/api/branches/{code}/roster",                   "401 404 404 200 404 404 200 200", "200", "code=branch"),
    ("GET",    "/api/archive/lost-contact",                     "401 403 403 200 200 200 200 200", "-",   "-"),
    # accounts: as the accounts pages (accounts:index, accounts:issue)
    ("GET",    "/api/accounts",                                 "401 404 404 200 200 403 200 403", "-",   "-"),
    ("POST",   "/api/accounts/issue",                           "401 404 404 201 404 403 201 403", "403", "-"),
    ("PUT",    "/api/accounts/username-rule",                   "401 404 404 403 403 403 200 403", "-",   "-"),
    ("GET",    "/api/years/{year}/entries",                     "401 200 200 200 200 200 200 200", "-",   "year=2026"),
    ("POST",   "/api/years/{year}/entries",                     "401 403 404 201 404 404 201 403", "403", "year=2026"),
    ("GET",    "/api/entries/{code}",                           "401 200 404 200 404 404 200 200", "200", "code=entry"),
    ("POST",   "/api/entries/{code}/reverse",                   "401 403 404 201 404 404 201 403", "403", "code=entry"),
    # B1 holds its 2026 round: its counts come from the round only, so those who may
    # write tallies are refused (422) rather than let in (evaluation.tally_direct_refusal).
    ("PUT",    "/api/years/{year}/tallies/{member}",            "401 403 404 422 404 404 422 403", "403", "member=member,year=2026"),
    ("POST",   "/api/years/{year}/quota-decisions",             "401 403 404 201 404 404 201 403", "403", "year=2026"),
    # in the background: as web:entries_export, :results_compute, :entries_import(_confirm),
    # jobs:list, :detail, :file (a job is its starter's, and its organisation admin's)
    ("POST",   "/api/years/{year}/entries/export",              "401 404 404 202 202 202 202 202", "-",   "year=2026"),
    ("POST",   "/api/years/{year}/results/compute",             "401 404 404 403 403 403 202 403", "-",   "year=2026"),
    ("POST",   "/api/branches/{code}/entries/import",           "401 404 404 422 404 404 422 403", "403", "code=branch"),
    ("POST",   "/api/branches/{code}/entries/import/confirm",   "401 404 404 404 404 404 404 403", "403", "code=branch"),
    # the ledger's published periods: as web:ledger_publications, :ledger_publication
    ("GET",    "/api/branches/{code}/ledger-publications",      "401 200 404 200 404 404 200 200", "200", "code=branch"),
    ("POST",   "/api/branches/{code}/ledger-publications",      "401 403 404 201 404 404 201 403", "403", "code=branch"),
    ("GET",    "/api/branches/{code}/ledger-publications/{id}", "401 200 404 200 404 404 200 200", "200", "code=branch,id=ledger_publication"),
    # the scheme: as web:schemes, :scheme_settings, :scheme_item_create, :scheme_item
    ("POST",   "/api/schemes",                                  "401 404 404 403 403 403 201 403", "-",   "-"),
    ("PATCH",  "/api/years/{year}/scheme",                      "401 404 404 403 403 403 200 403", "-",   "year=2026"),
    ("POST",   "/api/years/{year}/scheme/items",                "401 404 404 403 403 403 201 403", "-",   "year=2026"),
    ("PUT",    "/api/years/{year}/scheme/items/{code}",         "401 404 404 403 403 403 200 403", "-",   "code=item,year=2026"),
    # early warnings: as monitoring:index, :settings (the thresholds: the admin's only)
    ("GET",    "/api/years/{year}/warnings",                    "401 404 404 200 200 200 200 200", "-",   "year=2026"),
    ("GET",    "/api/years/{year}/monitoring-settings",         "401 404 404 404 404 404 200 404", "-",   "year=2026"),
    ("PUT",    "/api/years/{year}/monitoring-settings",         "401 404 404 404 404 404 200 404", "-",   "year=2026"),
    # scheme drafts: as planning:drafts, :draft, :draft_settings, :draft_items, :draft_adopt
    ("GET",    "/api/scheme-drafts",                            "401 404 404 200 200 404 200 404", "-",   "-"),
    ("POST",   "/api/scheme-drafts",                            "401 404 404 201 404 404 201 404", "-",   "-"),
    ("GET",    "/api/scheme-drafts/{id}",                       "401 404 404 200 404 404 200 404", "404", "id=draft"),
    ("PATCH",  "/api/scheme-drafts/{id}/settings",              "401 404 404 200 404 404 200 404", "404", "id=draft"),
    ("PUT",    "/api/scheme-drafts/{id}/items",                 "401 404 404 200 404 404 200 404", "404", "id=draft"),
    ("POST",   "/api/scheme-drafts/{id}/adopt",                 "401 404 404 403 404 404 200 404", "404", "id=draft"),
    # one's own secret ballot: as evaluation:vote (B1's round is at the self-evaluation)
    ("GET",    "/api/me/evaluation/{year}/ballot",              "401 200 200 404 404 404 404 404", "-",   "year=2026"),
    ("POST",   "/api/me/evaluation/{year}/ballot",              "401 422 422 404 404 404 404 404", "-",   "year=2026"),
    ("GET",    "/api/jobs",                                     "401 200 200 200 200 200 200 200", "-",   "-"),
    ("GET",    "/api/jobs/{id}",                                "401 404 404 200 404 404 200 404", "404", "id=job"),
    ("GET",    "/api/jobs/{id}/file",                           "401 404 404 200 404 404 200 404", "404", "id=job"),
    ("GET",    "/api/years/{year}/results",                     "401 200 200 200 200 200 200 200", "-",   "year=2026"),
    ("GET",    "/api/years/{year}/results/stored",              "401 200 200 200 200 200 200 200", "-",   "year=2026"),
    ("GET",    "/api/years/{year}/scheme",                      "401 200 200 200 200 200 200 200", "-",   "year=2026"),
    # Cases are for the three bodies only: others get an empty list, and 404 on a file.
    # roles: as the roles page (accounts:roles, accounts:role_revoke)
    ("GET",    "/api/roles",                                    "401 200 200 200 200 200 200 200", "-",   "-"),
    ("POST",   "/api/roles",                                    "401 403 403 201 403 403 201 403", "403", "-"),
    ("DELETE", "/api/roles/{id}",                               "401 404 404 204 404 404 204 403", "403", "id=role_assignment"),
    # The sealed vote (issue 17): the box is every branch member's; counting is the
    # officers' and scrutineers' (the round is at the self-evaluation: 422); nothing to
    # download before counting (404).
    ("GET",    "/api/branches/{code}/years/{year}/ballot-box",  "401 200 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/count",       "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("GET",    "/api/branches/{code}/years/{year}/ballots",     "401 404 404 404 404 404 404 404", "404", "code=branch,year=2026"),
    ("GET",    "/api/unqualified-cases",                        "401 200 200 200 200 200 200 200", "-",   "-"),
    ("GET",    "/api/unqualified-cases/{code}",                 "401 404 404 200 404 404 200 200", "404", "code=unqualified_case"),
    ("POST",   "/api/meetings/{code}/check-in",                 "401 422 403 403 403 403 403 403", "403", "code=meeting"),
    ("GET",    "/api/meetings/{code}/check-in",                 "401 404 404 200 404 404 200 200", "200", "code=meeting"),
    # meetings and written leave (issue 20): as their pages (meetings:branch, :detail,
    # :attendance, :close, :reopen, :leave, :leave_decide). The matrix's meeting is open,
    # its attendance unmarked and M1's leave pending: reopening is refused (422) and M1
    # asking again too (422); the body of close names every attendee, so it closes.
    ("GET",    "/api/branches/{code}/meetings",                 "401 404 404 200 404 404 200 200", "200", "code=branch"),
    ("POST",   "/api/branches/{code}/meetings",                 "401 404 404 201 404 404 201 403", "403", "code=branch"),
    ("GET",    "/api/meetings/{code}",                          "401 200 404 200 404 404 200 200", "200", "code=meeting"),
    ("PATCH",  "/api/meetings/{code}",                          "401 403 404 200 404 404 200 403", "403", "code=meeting"),
    ("GET",    "/api/meetings/{code}/minutes",                  "401 404 404 200 404 404 200 200", "200", "code=meeting"),
    ("PUT",    "/api/meetings/{code}/minutes",                  "401 403 404 200 404 404 200 403", "403", "code=meeting"),
    ("GET",    "/api/meetings/{code}/documents/minutes",        "401 404 404 200 404 404 200 200", "200", "code=meeting"),
    ("GET",    "/api/branches/{code}/documents/{year}/annual-report", "401 404 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("GET",    "/api/members/{code}/documents/{year}/ledger",   "401 200 404 200 404 404 200 200", "200", "code=member,year=2026"),
    ("GET",    "/api/unqualified-cases/{code}/documents",       "401 404 404 200 404 404 200 200", "404", "code=unqualified_case"),
    ("GET",    "/api/unqualified-cases/{code}/documents/case-file", "401 404 404 200 404 404 200 200", "404", "code=unqualified_case"),
    ("GET",    "/api/branches/{code}/documents/{year}/archive", "401 404 404 404 404 404 404 404", "404", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/documents/{year}/archive", "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("PUT",    "/api/meetings/{code}/attendance",               "401 403 404 200 404 404 200 403", "403", "code=meeting"),
    ("POST",   "/api/meetings/{code}/close",                    "401 403 404 200 404 404 200 403", "403", "code=meeting"),
    ("POST",   "/api/meetings/{code}/reopen",                   "401 403 404 422 404 404 422 403", "403", "code=meeting"),
    ("POST",   "/api/meetings/{code}/leave-requests",           "401 422 404 403 404 404 403 403", "403", "code=meeting"),
    # pending leave, as on the branch's meetings page: orgdept reads it, empty (no decisions)
    ("GET",    "/api/branches/{code}/leave-requests",           "401 404 404 200 404 404 200 200", "200", "code=branch"),
    ("GET",    "/api/leave-requests/{code}",                    "401 200 404 200 404 404 200 200", "200", "code=leave"),
    ("POST",   "/api/leave-requests/{code}/decision",           "401 403 404 200 404 404 200 403", "403", "code=leave"),
    ("POST",   "/api/leave-requests/{code}/withdraw",           "401 200 404 403 404 404 403 403", "403", "code=leave"),
    # tasks (issue 20): as their pages (tasks:branch, :detail, :submit, :mark, :close).
    # The matrix's task is a study task due in two days, M1's work handed in: an empty
    # submission is refused (422) for M1, others are not assigned (403); excusing M1B
    # succeeds; closing before the deadline is refused (422) for those who may.
    ("GET",    "/api/branches/{code}/tasks",                    "401 404 404 200 404 404 200 200", "200", "code=branch"),
    ("POST",   "/api/branches/{code}/tasks",                    "401 404 404 201 404 404 201 403", "403", "code=branch"),
    ("GET",    "/api/tasks/{code}",                             "401 200 404 200 404 404 200 200", "200", "code=task"),
    ("POST",   "/api/tasks/{code}/submission",                  "401 422 404 403 404 404 403 403", "403", "code=task"),
    ("POST",   "/api/tasks/{code}/marks",                       "401 403 404 200 404 404 200 403", "403", "code=task"),
    ("POST",   "/api/tasks/{code}/close",                       "401 403 404 422 404 404 422 403", "403", "code=task"),
    # bonus claims: as their pages (claims:mine, :branch, :detail), but one's own claims
    # are an empty list (not 404) without a member; the matrix's claim is pending, so
    # those who may decide approve it
    ("GET",    "/api/me/claims",                                "401 200 200 200 200 200 200 200", "-",   "-"),
    ("POST",   "/api/me/claims",                                "401 201 201 404 404 404 404 404", "-",   "-"),
    ("GET",    "/api/branches/{code}/claims",                   "401 404 404 200 404 404 200 200", "200", "code=branch"),
    ("GET",    "/api/claims/{code}",                            "401 200 404 200 404 404 200 200", "200", "code=claim"),
    ("POST",   "/api/claims/{code}/decision",                   "401 403 404 200 404 404 200 403", "403", "code=claim"),
    # publication and appeals: as their pages (publication:branch, :print, :publish ...);
    # publishing and finalising answer their plan (an empty body): 422 while the vote is
    # not done / the notice period runs; reopening a year not finalised is a 422
    ("GET",    "/api/branches/{code}/years/{year}/publication", "401 200 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/publication", "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/finalise",    "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/reopen",      "401 403 404 403 404 404 422 403", "403", "code=branch,year=2026"),
    ("GET",    "/api/branches/{code}/years/{year}/appeals",     "401 404 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("GET",    "/api/me/appeals",                               "401 200 200 200 200 200 200 200", "-",   "-"),
    ("POST",   "/api/me/appeals",                               "401 201 422 404 404 404 404 404", "-",   "-"),
    ("GET",    "/api/appeals/{code}",                           "401 200 404 200 404 404 200 200", "200", "code=appeal"),
    ("POST",   "/api/appeals/{code}/answer",                    "401 404 404 200 404 404 200 404", "404", "code=appeal"),
    # the unqualified procedure: as its pages (unqualified:settings, :branch, :candidate,
    # :detail); the matrix's case is at pre-review: the committee and the department give
    # their opinion, the branch's steps are not due (422), a reviewing body's are refused
    ("GET",    "/api/years/{year}/unqualified-settings",        "401 404 404 404 404 404 200 404", "-",   "year=2026"),
    ("PUT",    "/api/years/{year}/unqualified-settings",        "401 404 404 404 404 404 200 404", "-",   "year=2026"),
    ("GET",    "/api/branches/{code}/unqualified-cases",        "401 404 404 200 404 404 200 200", "404", "code=branch"),
    ("POST",   "/api/branches/{code}/unqualified-cases",        "401 404 404 201 404 404 403 403", "404", "code=branch"),
    ("GET",    "/api/branches/{code}/unqualified-candidates",   "401 404 404 200 404 404 200 200", "404", "code=branch"),
    ("POST",   "/api/branches/{code}/unqualified-candidates",   "401 404 404 200 404 404 403 403", "404", "code=branch"),
    ("POST",   "/api/unqualified-cases/{code}/review",          "401 404 404 403 404 404 200 200", "404", "code=unqualified_case"),
    ("POST",   "/api/unqualified-cases/{code}/resubmit",        "401 404 404 422 404 404 403 403", "404", "code=unqualified_case"),
    ("POST",   "/api/unqualified-cases/{code}/vote",            "401 404 404 422 404 404 403 403", "404", "code=unqualified_case"),
    ("POST",   "/api/unqualified-cases/{code}/handling",        "401 404 404 422 404 404 403 403", "404", "code=unqualified_case"),
    # the archive's changes: as their pages (archive:profile, :transfer, :lost, ...), the
    # managers of the member's branch; the lost member is found; no investigation is open
    ("PATCH",  "/api/members/{code}/archive/profile",           "401 403 404 200 404 404 200 403", "403", "code=member"),
    ("POST",   "/api/members/{code}/archive/transfers",         "401 403 404 201 404 404 201 403", "403", "code=member"),
    ("POST",   "/api/members/{code}/archive/lost-contact",      "401 403 404 201 404 404 201 403", "403", "code=member"),
    ("POST",   "/api/members/{code}/archive/found",             "401 404 404 200 404 404 200 403", "403", "code=lost_member"),
    ("POST",   "/api/members/{code}/archive/investigation",     "401 403 404 201 404 404 201 403", "403", "code=member"),
    ("POST",   "/api/members/{code}/archive/investigation/decision", "401 403 404 422 404 404 422 403", "403", "code=member"),
    ("POST",   "/api/members/{code}/archive/exemptions",        "401 403 404 201 404 404 201 403", "403", "code=member"),
    ("DELETE", "/api/members/{code}/archive/exemptions/{item}", "401 403 404 204 404 404 204 403", "403", "code=member,item='D05'"),
    # the roster import as its pages: the template's sheet is checked (200, nothing
    # written); a forged token is no preview (404)
    ("POST",   "/api/branches/{code}/roster/import",            "401 404 404 200 404 404 200 403", "403", "code=branch"),
    ("POST",   "/api/branches/{code}/roster/import/confirm",    "401 404 404 404 404 404 404 403", "403", "code=branch"),
    # notifications: one's own inbox (notifications:inbox, :mark_read); M1's own notification
    # is nobody else's (404)
    ("GET",    "/api/me/notifications",                         "401 200 200 200 200 200 200 200", "-",   "-"),
    ("GET",    "/api/me/notifications/unread-count",            "401 200 200 200 200 200 200 200", "-",   "-"),
    ("POST",   "/api/me/notifications/read",                    "401 200 200 200 200 200 200 200", "-",   "-"),
    ("POST",   "/api/me/notifications/{id}/read",               "401 200 404 404 404 404 404 404", "404", "id=notification"),
    # delivery: as its pages (delivery:channels, :failures, the retries, the robots)
    ("GET",    "/api/me/channels",                              "401 200 200 200 200 200 200 200", "-",   "-"),
    ("PUT",    "/api/me/channels",                              "401 200 200 200 200 200 200 200", "-",   "-"),
    ("GET",    "/api/deliveries/failed",                        "401 404 404 404 404 404 200 404", "-",   "-"),
    ("POST",   "/api/deliveries/{id}/retry",                    "401 404 404 404 404 404 200 404", "404", "id=failed_delivery"),
    ("POST",   "/api/group-messages/{id}/retry",                "401 404 404 404 404 404 200 404", "404", "id=failed_group_message"),
    ("GET",    "/api/organizations/{code}/robots",              "401 404 404 200 404 404 200 404", "404", "code=branch"),
    ("POST",   "/api/organizations/{code}/robots",              "401 404 404 201 404 404 201 404", "404", "code=branch"),
    ("POST",   "/api/robots/{id}/remove",                       "401 404 404 200 404 404 200 404", "404", "id=robot"),
    ("POST",   "/api/robots/{id}/test",                         "401 404 404 200 404 404 200 404", "404", "id=robot"),
    # dues: as their pages (dues:branch, :payment, :rate, :settings, :close, :import,
    # :import_confirm): the branch's officers and readers read, its keepers write (the
    # supervisor reads B2's: 403). Closing without confirm changes nothing; the upload is
    # read and checked (its preview: a row error); a made-up token is no preview (404).
    ("GET",    "/api/branches/{code}/dues",                     "401 404 404 200 404 404 200 200", "200", "code=branch"),
    ("GET",    "/api/branches/{code}/dues/settings",            "401 404 404 200 404 404 200 200", "200", "code=branch"),
    ("PUT",    "/api/branches/{code}/dues/settings",            "401 404 404 200 404 404 200 403", "403", "code=branch"),
    ("GET",    "/api/branches/{code}/dues/rates",               "401 404 404 200 404 404 200 200", "200", "code=branch"),
    ("POST",   "/api/branches/{code}/dues/rates",               "401 404 404 200 404 404 200 403", "403", "code=branch"),
    ("GET",    "/api/branches/{code}/dues/payments",            "401 404 404 200 404 404 200 200", "200", "code=branch"),
    ("POST",   "/api/branches/{code}/dues/payments",            "401 404 404 201 404 404 201 403", "403", "code=branch"),
    ("POST",   "/api/branches/{code}/dues/close",               "401 404 404 200 404 404 200 403", "403", "code=branch"),
    ("POST",   "/api/branches/{code}/dues/import",              "401 404 404 200 404 404 200 403", "403", "code=branch"),
    ("POST",   "/api/branches/{code}/dues/import/confirm",      "401 404 404 404 404 404 404 403", "403", "code=branch"),
    # supervision: as their pages (inspections:groups, :group, :member_add, :member_remove,
    # :detail): the staff list groups (404 for members), committee admins found them and
    # keep their members; a group, its inspections and their findings are its members'
    # (the supervisor is in B2's group) and the admins'. The finding names the side's
    # member under D07 (the matrix's finding is the other member's).
    ("GET",    "/api/supervision/groups",                       "401 404 404 200 200 200 200 200", "-",   "-"),
    ("POST",   "/api/supervision/groups",                       "401 404 404 403 403 403 201 403", "-",   "-"),
    ("GET",    "/api/supervision/groups/{code}",                "401 404 404 404 404 404 200 404", "200", "code=group"),
    ("POST",   "/api/supervision/groups/{code}/inspections",    "401 404 404 404 404 404 201 404", "201", "code=group"),
    ("POST",   "/api/supervision/groups/{code}/members",        "401 404 404 404 404 404 201 404", "403", "code=group"),
    ("DELETE", "/api/supervision/groups/{code}/members/{id}",   "401 404 404 404 404 404 204 404", "403", "code=group,id=group_member"),
    ("GET",    "/api/supervision/inspections/{code}",           "401 404 404 404 404 404 200 404", "200", "code=inspection"),
    ("POST",   "/api/supervision/inspections/{code}/findings",  "401 404 404 404 404 404 201 404", "201", "code=inspection"),
    # accounts (issue 16): reset codes and closing logins, by the member's managers
    ("POST",   "/api/accounts/{member_code}/reset-code",        "401 403 404 201 404 404 201 403", "403", "member_code=member"),
    ("POST",   "/api/accounts/{member_code}/deactivate",        "401 403 404 200 404 404 200 403", "403", "member_code=member"),
    # the login is active: nothing to reactivate (422) for those who may
    ("POST",   "/api/accounts/{member_code}/reactivate",        "401 403 404 422 404 404 422 403", "403", "member_code=member"),
    # 民主评议 (issue 20): as its pages (evaluation:mine, :self, :peer, :comment). Both
    # branches' rounds are at the self-evaluation: a draft is saved, a peer comment and
    # the secretary's comment are refused (422) for those who may write them.
    ("GET",    "/api/me/evaluation/{year}",                     "401 200 200 404 404 404 404 404", "-",   "year=2026"),
    ("PUT",    "/api/me/evaluation/{year}/self-evaluation",     "401 200 200 404 404 404 404 404", "-",   "year=2026"),
    ("PUT",    "/api/me/evaluation/{year}/peer-comments/{member}", "401 422 404 404 404 404 404 404", "404", "year=2026,member=other_member"),
    ("GET",    "/api/branches/{code}/years/{year}/secretary-comments/{member}", "401 404 404 200 404 404 200 403", "403", "code=branch,year=2026,member=member"),
    ("PUT",    "/api/branches/{code}/years/{year}/secretary-comments/{member}", "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026,member=member"),
    # the round (evaluation:round, :round_open, :round_action, :vote_open, :rerun, :to_paper,
    # :recount): open already (422); the advance's consequences are shown (200, nothing
    # done); the vote is not open, so starting, re-running or leaving it is refused (422),
    # and nothing is counted yet to recount (422, for every member of the branch)
    ("GET",    "/api/branches/{code}/years/{year}/evaluation",  "401 404 404 200 404 404 200 200", "200", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/evaluation",  "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/evaluation/actions", "401 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/evaluation/vote-open", "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/evaluation/rerun", "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/evaluation/to-paper", "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/recount",     "401 422 404 422 404 404 422 422", "422", "code=branch,year=2026"),
    # paper ballots (evaluation:paper_codes, :paper_tally, :paper_import, :_confirm): the
    # vote is online and not open, so codes and counts are refused (422); the upload is no
    # workbook (422) and the token is forged (404) for those who may import
    ("POST",   "/api/branches/{code}/years/{year}/paper-codes", "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("GET",    "/api/branches/{code}/years/{year}/paper-tally", "401 404 404 200 404 404 200 403", "403", "code=branch,year=2026"),
    ("PUT",    "/api/branches/{code}/years/{year}/paper-tally", "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/paper-tally/import", "401 404 404 422 404 404 422 403", "403", "code=branch,year=2026"),
    ("POST",   "/api/branches/{code}/years/{year}/paper-tally/import/confirm", "401 404 404 404 404 404 404 403", "403", "code=branch,year=2026"),
))
# fmt: on


# --------------------------------------------------------------------------- machinery


def _statuses(spec: str) -> list[str]:
    parts = spec.split()
    assert len(parts) == len(ROLES), f"{spec!r}: give one status per role {ROLES}"
    return parts


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """One data set for the whole module, in a transaction rolled back at the end."""
    with module_transaction(django_db_blocker, tmp_path_factory.mktemp("matrix-media")):
        data = build()
        for role in ROLES:  # sign in now: a session made in a test is rolled back with it
            _client(data, role)
            _client(data, role, api=True)
        yield data


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
    if raw.startswith(b"PK") and b"word/document.xml" in raw:  # a Word file: its text
        from docx import Document

        document = Document(io.BytesIO(raw))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
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
            elif api and isinstance(body, Multipart):
                for value in body.values():  # a file is sent again to each role
                    if hasattr(value, "seek"):
                        value.seek(0)
                response = client.post(url, dict(body))
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
    routes = {row.target for row in PAGES.values()}
    missing = sorted(names - routes)
    stale = sorted(routes - names)
    assert not missing, f"URL names without a row in PAGES (see the module docstring): {missing}"
    assert not stale, f"rows in PAGES for URL names that no longer exist: {stale}"
    no_get = sorted(route for route in routes if f"GET {route}" not in PAGES)
    assert not no_get, f"pages without a GET row (405 where they only take POST): {no_get}"


def test_every_api_operation_has_a_row():
    operations = api_operations()
    missing = sorted(operations - API.keys())
    stale = sorted(API.keys() - operations)
    assert not missing, f"API operations without a row in API (see the docstring): {missing}"
    assert not stale, f"rows in API for operations that no longer exist: {stale}"


def test_every_body_has_its_row():
    """A body under a key without a row (a typo, a renamed route) would never be sent."""
    stale = sorted(BODIES.keys() - PAGES.keys() - API.keys())
    assert not stale, f"BODIES for requests without a row: {stale}"
    assert not [key for key in BODIES if key.startswith("GET ")], "a GET carries no body"


def _check_row(data: MatrixData, key: str, row: Row, url_for, api: bool) -> None:
    """The row's request as every role on B1's object, then (column B2) as the supervisor
    on B2's mirror object."""
    make_body = BODIES.get(key)
    problems = []
    for side, spec, roles in (
        (data.b1, row.statuses, ROLES),
        (data.b2, _only_supervisor(row.b2), ("supervisor",)),
    ):
        if spec is None:
            continue
        body = make_body(data, side) if make_body else None
        problems += _check(data, row.method, url_for(side), spec, body, api=api, roles=roles)
    assert not problems, "\n".join(problems)


def _only_supervisor(status: str | None) -> str | None:
    if status is None:
        return None
    return " ".join(status if r == "supervisor" else "-" for r in ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(PAGES))
def test_page(key, matrix):
    row = PAGES[key]
    _check_row(
        matrix, key, row, lambda side: reverse(row.target, kwargs=_args(row.args, side)), api=False
    )


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(API))
def test_api(operation, matrix):
    row = API[operation]
    _check_row(
        matrix, operation, row, lambda side: row.target.format(**_args(row.args, side)), api=True
    )


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
