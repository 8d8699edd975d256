"""Writes of the member archive (党员台账). Each use case is one transaction that writes
its rows, a ``MemberChange`` per changed field and one audit row."""

import datetime
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor, ProgressFn
from kaoping.audit.services import audit_record
from kaoping.kit.text import check_plain
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import DEPARTED_STATUSES, Member, Organization
from kaoping.orgs.selectors import manage_required, scope_for
from kaoping.orgs.services import member_login_close, member_upsert
from kaoping.schemes.models import ItemExemption
from kaoping.schemes.services import exemption_set
from kaoping.sheets.layout import header_find
from kaoping.sheets.xlsx import Column, RowError, SheetErrors, SheetRow, sheet_values

from .masking import is_masked_copy
from .models import (
    PROFILE_FIELDS,
    Investigation,
    LostContact,
    MemberChange,
    MemberProfile,
    Transfer,
)

Status = Member.Status
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
PHONE = re.compile(r"^\+?[\d\- ]{5,20}$")
DATE_FIELDS = frozenset({"birth_date", "joined_on", "full_member_on"})


_require_manage = partial(manage_required, refusal=gettext_lazy("您无权管理党员 %(member)s。"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _not_future(field: str, label: str, value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("%(f)s不能晚于今天。") % {"f": label}})


def _log(
    member: Member,
    changes: list[tuple[str, str, str]],
    source: str,
    actor: Actor,
    at: datetime.datetime,
) -> None:
    MemberChange.objects.bulk_create(
        MemberChange(
            member=member,
            field=field,
            old=old,
            new=new,
            source=source,
            actor=user_or_none(actor),
            at=at,
        )
        for field, old, new in changes
        if old != new
    )


def _set_status(member: Member, status: str, source: str, actor, at) -> None:
    leaves = status in DEPARTED_STATUSES and member.status not in DEPARTED_STATUSES
    _log(member, [("status", member.status, status)], source, actor, at)
    member.status = status
    member.save(update_fields=["status"])
    if leaves:
        member_login_close(actor=actor, member=member, reason=member.get_status_display())


def _locked(member: Member) -> Member:
    return Member.objects.select_for_update().select_related("branch").get(pk=member.pk)


# --------------------------------------------------------------------------- basic information


def profile_clean(values: dict) -> dict:
    """Normalise and check the profile fields; errors name the field in Chinese."""
    cleaned = {}
    for field in PROFILE_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if isinstance(value, str):
            value = value.strip()
        if field in DATE_FIELDS:
            value = value or None
        cleaned[field] = value if value is not None else (None if field in DATE_FIELDS else "")
    if cleaned.get("id_number"):
        cleaned["id_number"] = cleaned["id_number"].upper()
        if not ID_NUMBER.match(cleaned["id_number"]):
            raise ValidationError({"id_number": _("公民身份号码应为18位（最后一位可为X）。")})
    if cleaned.get("phone") and not PHONE.match(cleaned["phone"]):
        raise ValidationError({"phone": _("联系电话只能包含数字、空格、“-”和“+”。")})
    if cleaned.get("gender") not in (None, "", *MemberProfile.Gender.values):
        raise ValidationError({"gender": _("性别应为“男”或“女”。")})
    return cleaned


def _profile_apply(
    *, actor: Actor, member: Member, values: dict, source: str, at: datetime.datetime
) -> list[tuple[str, str, str]]:
    """Set the given fields (and ``name``/``membership``), log each change; no audit row."""
    profile, _created = MemberProfile.objects.select_for_update().get_or_create(member=member)
    values = {
        f: v
        for f, v in values.items()
        if not (isinstance(v, str) and is_masked_copy(f, v.strip(), getattr(profile, f, "")))
    }
    changes = []
    for field, value in profile_clean(values).items():
        old = getattr(profile, field)
        if _text(old) != _text(value):
            changes.append((field, _text(old), _text(value)))
            setattr(profile, field, value)
    if profile.joined_on and profile.full_member_on and profile.full_member_on < profile.joined_on:
        raise ValidationError({"full_member_on": _("转正日期不能早于入党日期。")})
    profile.full_clean()
    profile.save()
    member_changes = []
    for field in ("name", "membership"):
        if field in values and values[field] and values[field] != getattr(member, field):
            member_changes.append((field, getattr(member, field), values[field]))
            setattr(member, field, values[field])
    if member_changes:
        member.full_clean(validate_unique=False)
        member.save(update_fields=["name", "membership"])
    changes = member_changes + changes
    _log(member, changes, source, actor, at)
    return changes


@transaction.atomic
def member_profile_update(
    *, actor: Actor, member: Member, values: dict
) -> list[tuple[str, str, str]]:
    """Change a member's basic information; every changed field is kept with its old value."""
    member = _locked(member)
    _require_manage(actor, member)
    source, now = MemberChange.Source.EDIT, timezone.now()
    changes = _profile_apply(actor=actor, member=member, values=values, source=source, at=now)
    if changes:
        audit_record(
            actor=actor,
            action="archive.profile_update",
            target=member,
            after={"fields": [f for f, _o, _n in changes]},
        )
    return changes


# --------------------------------------------------------------------------- transfers


@transaction.atomic
def member_transfer(
    *,
    actor: Actor,
    member: Member,
    to_branch: Organization | None,
    date: datetime.date,
    reason: str,
    destination: str = "",
) -> Transfer:
    """Move the member's Party relationship (组织关系转接). The ledger points at the member,
    so it follows them; they are ranked in the branch they belong to on the assessment date.
    With no ``to_branch`` the member leaves the deployment (``destination`` names where)."""
    member = _locked(member)
    _require_manage(actor, member)
    if member.status in DEPARTED_STATUSES:
        raise ValidationError(
            _("%(name)s 的状态为“%(s)s”，不能转接。")
            % {"name": member.name, "s": member.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("请填写转接原因。")})
    _not_future("date", _("转接日期"), date)
    if to_branch is not None:
        if not to_branch.is_branch:
            raise ValidationError({"to_branch": _("只能转入党支部。")})
        if to_branch.pk == member.branch_id:
            raise ValidationError({"to_branch": _("转入支部与当前支部相同。")})
    elif not destination.strip():
        raise ValidationError({"destination": _("转出本系统时请填写转往单位。")})
    now = timezone.now()
    transfer = Transfer.objects.create(
        member=member,
        from_branch=member.branch,
        to_branch=to_branch,
        destination=destination.strip(),
        date=date,
        reason=reason.strip(),
        actor=user_or_none(actor),
        recorded_at=now,
    )
    source = MemberChange.Source.TRANSFER
    if to_branch is not None:
        old = f"{member.branch.code} {member.branch.name}"
        _log(member, [("branch", old, f"{to_branch.code} {to_branch.name}")], source, actor, now)
        member.branch = to_branch
        member.save(update_fields=["branch"])
    else:
        _set_status(member, Status.TRANSFERRED_OUT, source, actor, now)
    audit_record(
        actor=actor,
        action="archive.transfer",
        target=member,
        before={"branch": transfer.from_branch.code},
        after={
            "branch": to_branch.code if to_branch else None,
            "destination": transfer.destination,
            "date": date.isoformat(),
        },
        note=transfer.reason,
    )
    return transfer


# --------------------------------------------------------------------------- lost contact


@transaction.atomic
def member_lost_contact_mark(
    *, actor: Actor, member: Member, since: datetime.date, efforts: str
) -> LostContact:
    """Mark a member out of contact (失联) from ``since``, with the efforts made to find them."""
    member = _locked(member)
    _require_manage(actor, member)
    if member.status != Status.ACTIVE:
        raise ValidationError(
            _("只能将状态为“正常”的党员标记为失联（%(name)s 现为“%(s)s”）。")
            % {"name": member.name, "s": member.get_status_display()}
        )
    if not efforts.strip():
        raise ValidationError({"efforts": _("请填写已采取的查找措施。")})
    _not_future("since", _("失联日期"), since)
    now = timezone.now()
    lost = LostContact.objects.create(
        member=member, since=since, efforts=efforts.strip(), marked_by=user_or_none(actor)
    )
    _set_status(member, Status.LOST_CONTACT, MemberChange.Source.LOST_CONTACT, actor, now)
    audit_record(
        actor=actor,
        action="archive.lost_contact",
        target=member,
        after={"since": since.isoformat()},
        note=lost.efforts,
    )
    return lost


@transaction.atomic
def member_found(
    *, actor: Actor, member: Member, found_on: datetime.date, note: str = ""
) -> LostContact:
    """Record that a lost-contact member was found; they are active again."""
    member = _locked(member)
    _require_manage(actor, member)
    lost = LostContact.objects.select_for_update().filter(member=member, found_on=None).first()
    if lost is None:
        raise ValidationError(_("%(name)s 没有未结束的失联记录。") % {"name": member.name})
    _not_future("found_on", _("恢复联系日期"), found_on)
    if found_on < lost.since:
        raise ValidationError({"found_on": _("恢复联系日期不能早于失联日期。")})
    lost.found_on, lost.found_note, lost.found_by = found_on, note.strip(), user_or_none(actor)
    lost.save()
    now = timezone.now()
    if member.status == Status.LOST_CONTACT:
        _set_status(member, Status.ACTIVE, MemberChange.Source.LOST_CONTACT, actor, now)
    else:  # under investigation meanwhile: the decision will bring them back as active
        Investigation.objects.filter(member=member, decided_on=None).update(
            status_before=Status.ACTIVE
        )
    audit_record(
        actor=actor,
        action="archive.found",
        target=member,
        after={"found_on": found_on.isoformat()},
        note=lost.found_note,
    )
    return lost


# --------------------------------------------------------------------------- investigation


@transaction.atomic
def member_investigation_start(
    *, actor: Actor, member: Member, body: str, started_on: datetime.date
) -> Investigation:
    """A member under investigation is deferred (暂不纳入): not scored, not ranked."""
    member = _locked(member)
    _require_manage(actor, member)
    if member.status not in Member.assessed_statuses():
        raise ValidationError(
            _("%(name)s 的状态为“%(s)s”，不能标记为接受调查。")
            % {"name": member.name, "s": member.get_status_display()}
        )
    if not body.strip():
        raise ValidationError({"body": _("请填写调查机关。")})
    _not_future("started_on", _("开始调查日期"), started_on)
    investigation = Investigation.objects.create(
        member=member,
        body=body.strip(),
        started_on=started_on,
        status_before=member.status,
        started_by=user_or_none(actor),
    )
    now = timezone.now()
    _set_status(member, Status.UNDER_INVESTIGATION, MemberChange.Source.INVESTIGATION, actor, now)
    audit_record(
        actor=actor,
        action="archive.investigation_start",
        target=member,
        after={"body": investigation.body, "started_on": started_on.isoformat()},
    )
    return investigation


@transaction.atomic
def member_investigation_decide(
    *, actor: Actor, member: Member, decided_on: datetime.date, decision: str
) -> Investigation:
    """Record the decision: the member returns and their year is assessed with the same rules."""
    member = _locked(member)
    _require_manage(actor, member)
    investigation = (
        Investigation.objects.select_for_update().filter(member=member, decided_on=None).first()
    )
    if investigation is None:
        raise ValidationError(_("%(name)s 没有未作结论的调查。") % {"name": member.name})
    if not decision.strip():
        raise ValidationError({"decision": _("请填写调查结论。")})
    _not_future("decided_on", _("结论日期"), decided_on)
    if decided_on < investigation.started_on:
        raise ValidationError({"decided_on": _("结论日期不能早于开始调查日期。")})
    investigation.decided_on, investigation.decision = decided_on, decision.strip()
    investigation.decided_by = user_or_none(actor)
    investigation.save()
    now = timezone.now()
    _set_status(member, investigation.status_before, MemberChange.Source.INVESTIGATION, actor, now)
    audit_record(
        actor=actor,
        action="archive.investigation_decide",
        target=member,
        after={"decided_on": decided_on.isoformat()},
        note=investigation.decision,
    )
    return investigation


# --------------------------------------------------------------------------- exemptions


def exemption_add(
    *,
    actor: Actor,
    member: Member,
    item_code: str,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> ItemExemption:
    """Exempt a member from an item (e.g. health, 身体原因) for a period: entries dated
    inside it are refused and do not count. The reason (``exemption_set``) and the first
    day are required."""
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("免考截止日期不能早于起始日期。")})
    return exemption_set(
        actor=actor,
        member=member,
        item_code=item_code,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def exemption_remove(*, actor: Actor, exemption: ItemExemption) -> None:
    """End an exemption: entries for the item count again."""
    _require_manage(actor, exemption.member)
    audit_record(
        actor=actor,
        action="exemption.remove",
        target=exemption.member,
        before={"item": exemption.item_code, "reason": exemption.reason},
    )
    exemption.delete()


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
                    Member._meta.get_field(field).run_validators(value)
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
        if (
            dates.get("joined_on")
            and dates.get("full_member_on")
            and dates["full_member_on"] < dates["joined_on"]
        ):
            bad("full_member_on", _("转正日期不能早于入党日期。"))
        if problems:
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
