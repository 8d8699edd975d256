"""The roster spreadsheet (党员名册): its columns, reading, checking every row, and the
import that writes it."""

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor, ProgressFn
from kaoping.audit.services import audit_record
from kaoping.kit.text import check_plain
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import scope_for
from kaoping.orgs.services import member_upsert
from kaoping.sheets.layout import header_find
from kaoping.sheets.xlsx import Column, RowError, SheetErrors, SheetRow, sheet_values

from ..masking import is_masked_copy
from ..models import (
    MemberChange,
)
from .profile import _profile_apply, profile_clean

# --------------------------------------------------------------------------- roster spreadsheet

# Columns of the roster template and export (the export adds status and branch).
ROSTER_COLUMNS = (
    ("code", "编号"),
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("id_number", "公民身份号码"),
    ("education", "学历"),
    ("native_place", "籍贯"),
    ("joined_on", "入党日期"),
    ("full_member_on", "转正日期"),
    ("membership", "党员类别"),
    ("job", "工作岗位"),
    ("phone", "联系电话"),
)
ROSTER_HEADER = tuple(label for _f, label in ROSTER_COLUMNS)
MAX_ROSTER_ROWS = 2000
GENDER_BY_LABEL = {"男": "male", "女": "female"}
MEMBERSHIP_BY_LABEL = {"正式党员": "full", "预备党员": "probationary"}


# The roster's columns for the shared import (kaoping.jobs.imports): every cell is text,
# read by ``roster_sheet_read`` and checked by ``roster_import_check``.
ROSTER_SHEET_COLUMNS = tuple(Column(f, label, required=False) for f, label in ROSTER_COLUMNS)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def roster_sheet_read(
    file: Any, columns: Any = ROSTER_SHEET_COLUMNS
) -> tuple[list[SheetRow], list[RowError]]:
    """Read the roster spreadsheet: the header row is the template's header exactly (row 1,
    or below the title row of an exported roster, ``sheets.layout.header_find``), then at
    most ``MAX_ROSTER_ROWS`` rows of text (field -> text). Returns the rows and the errors
    that stop the reading (row 1 for the whole file); nothing is stored. The upload limits
    of every spreadsheet import apply (``sheets.xlsx.sheet_values``)."""
    width = len(columns)
    fields = [c.key for c in columns]
    header = tuple(c.header for c in columns)
    rows: list[SheetRow] = []
    unreadable = _("无法读取该文件，请使用下载的 xlsx 模板。")
    try:
        found, line, values = header_find(sheet_values(file), header)
    except ValidationError as exc:
        return rows, [RowError(1, "", exc.messages[0])]
    except Exception:  # noqa: BLE001 - any unreadable file gets the same message
        return rows, [RowError(1, "", unreadable)]
    if found is None:
        return rows, []
    if tuple(_cell_text(v) for v in (list(found) + [None] * width)[:width]) != header:
        return [], [RowError(1, "", _("第1行须为表头：%(h)s") % {"h": "、".join(header)})]
    while True:
        try:
            found = next(values, None)
        except ValidationError as exc:
            return rows, [RowError(line + 1, "", exc.messages[0])]
        except Exception:  # noqa: BLE001 - any unreadable file gets the same message
            return rows, [RowError(line + 1, "", unreadable)]
        if found is None:
            return rows, []
        line += 1
        cells = [_cell_text(v) for v in (list(found) + [None] * width)[:width]]
        if not any(cells):
            continue
        if len(rows) >= MAX_ROSTER_ROWS:
            return rows, [RowError(line, "", _("一次最多导入 %(n)s 行。") % {"n": MAX_ROSTER_ROWS})]
        text = dict(zip(fields, cells, strict=True))
        rows.append(SheetRow(line, text, dict(text)))


@dataclass(frozen=True)
class CheckedRosterRow:
    line: int
    code: str
    name: str
    membership: str
    profile: dict
    existing: bool


def _parse_date(text: str) -> datetime.date | None:
    if not text:
        return None
    return datetime.date.fromisoformat(text[:10])


def roster_import_check(
    *, actor: Actor, branch: Organization, rows: list[SheetRow], progress: ProgressFn = None
) -> tuple[list[CheckedRosterRow], list[RowError]]:
    """Every row (its text by field, ``roster_sheet_read``) checked, nothing written; each
    error names the row, the column and the problem."""
    if actor is not None and not scope_for(actor).manages(branch.path):
        raise PermissionDenied(_("您无权管理 %(branch)s。") % {"branch": branch.name})
    labels = dict(ROSTER_COLUMNS)
    codes = [r.values["code"] for r in rows]
    known = {m.code: m for m in Member.objects.filter(code__in=codes).select_related("branch")}
    seen: dict[str, int] = {}
    good, errors = [], []
    for index, r in enumerate(rows):
        if progress is not None and index % 200 == 0:
            progress(index, len(rows) + 1)
        c = r.values
        problems: list[RowError] = []

        def bad(field: str, message: str, _problems: Any = problems, _line: int = r.line) -> None:
            _problems.append(RowError(_line, labels[field], message))

        for field, value in c.items():
            if not value:
                continue
            try:
                if field in ("code", "name"):  # the model's rules: pattern, length, no formula
                    cast(Field, Member._meta.get_field(field)).run_validators(value)
                else:
                    check_plain(value, labels[field])
            except ValidationError as exc:
                for message in exc.messages:
                    bad(field, message)
        code = c["code"]
        if not code:
            bad("code", _("不能为空。"))
        elif code in seen:
            bad("code", _("与第%(n)s行重复。") % {"n": seen[code]})
        else:
            seen[code] = r.line
        member = known.get(code)
        if member is not None and member.branch_id != branch.pk:
            bad(
                "code",
                _("编号“%(c)s”属于%(b)s，请通过组织关系转接调入。")
                % {"c": code, "b": member.branch.name},
            )
        if not c["name"]:
            bad("name", _("不能为空。"))
        gender = GENDER_BY_LABEL.get(c["gender"], None if c["gender"] else "")
        if gender is None:
            bad("gender", _("应为“男”或“女”，收到“%(v)s”。") % {"v": c["gender"]})
        membership = MEMBERSHIP_BY_LABEL.get(c["membership"]) if c["membership"] else None
        if not c["membership"]:
            membership = member.membership if member is not None else Member.Membership.FULL
        if membership is None:
            bad(
                "membership",
                _("应为“正式党员”或“预备党员”，收到“%(v)s”。") % {"v": c["membership"]},
            )
        dates = {}
        for field in ("birth_date", "joined_on", "full_member_on"):
            try:
                dates[field] = _parse_date(c[field])
            except ValueError:
                bad(field, _("应为 YYYY-MM-DD，收到“%(v)s”。") % {"v": c[field]})
        profile = {
            "gender": gender or "",
            "ethnicity": c["ethnicity"],
            "education": c["education"],
            "native_place": c["native_place"],
            "job": c["job"],
            "id_number": c["id_number"],
            "phone": c["phone"],
            **dates,
        }
        current = getattr(member, "profile", None) if member is not None else None
        for field in ("id_number", "phone"):
            if current is not None and is_masked_copy(field, c[field], getattr(current, field)):
                profile[field] = getattr(current, field)
                continue
            try:
                profile_clean({field: c[field]})
            except ValidationError as exc:
                bad(field, exc.message_dict[field][0])
        joined, full = dates.get("joined_on"), dates.get("full_member_on")
        if joined and full and full < joined:
            bad("full_member_on", _("转正日期不能早于入党日期。"))
        if problems or membership is None:
            errors.extend(problems)
            continue
        # An empty cell leaves the field as it is: a partial sheet never wipes the archive.
        profile = {f: v for f, v in profile.items() if v not in ("", None)}
        good.append(
            CheckedRosterRow(
                r.line, code, c["name"], membership, profile, existing=member is not None
            )
        )
    return good, errors


@transaction.atomic
def roster_import(*, actor: Actor, branch: Organization, rows: list[SheetRow]) -> int:
    """Import the roster: new members join the branch, existing ones are updated with their
    history; every row valid, or nothing is stored (``SheetErrors`` with every row error).
    The page runs it in a background job once its preview is confirmed, and a preview is
    confirmed once (``kaoping.jobs.imports``)."""
    good, errors = roster_import_check(actor=actor, branch=branch, rows=rows)
    if errors:
        raise SheetErrors(errors)
    if not good:
        raise ValidationError(_("表格中没有数据行。"))
    now = timezone.now()
    changed = 0
    for row in good:
        member = Member.objects.filter(code=row.code).first()
        if member is None:
            member = member_upsert(
                actor=actor,
                code=row.code,
                name=row.name,
                branch=branch,
                membership=row.membership,
            )
        values = {"name": row.name, "membership": row.membership, **row.profile}
        if _profile_apply(
            actor=actor, member=member, values=values, source=MemberChange.Source.IMPORT, at=now
        ):
            changed += 1
    audit_record(
        actor=actor,
        action="archive.roster_import",
        target=branch,
        after={"rows": len(good), "changed": changed},
    )
    return len(good)
