"""Writes of the score ledger: record an entry, reverse one, import many. Nothing else
ever writes ``ScoreEntry``; nothing at all updates or deletes it."""

import datetime
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Literal, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor, ProgressFn
from kaoping.audit.services import audit_record
from kaoping.kit.decimals import decimal_text, points_text
from kaoping.kit.text import NOTE_MAX
from kaoping.kit.users import user_or_none
from kaoping.notifications.services import notification_send
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import manage_required, scope_for
from kaoping.schemes.models import Scheme, SchemeItem
from kaoping.schemes.selectors import year_is_frozen
from kaoping.sheets.xlsx import Column, RowError, SheetErrors, SheetRow

from .admission import (
    DEPARTED,
    EXEMPT,
    FROZEN,
    NO_SCHEME,
    NOT_APPLICABLE,
    OCCURRENCES,
    UNKNOWN_ITEM,
    UNKNOWN_MEMBER,
    Candidate,
    entries_admissible,
)
from .chain import EntryContent, chain_key, entry_hash
from .imports import ENTRY_INSERT_COLUMNS, ImportedEntry, entries_import
from .models import LedgerChain, ScoreEntry

__all__ = ["ENTRY_INSERT_COLUMNS", "ImportedEntry", "entries_import"]  # their old home


def _new_code(year: int) -> str:
    return f"K{year}-{uuid.uuid4().hex[:12].upper()}"


_require_manage = partial(manage_required, refusal=gettext_lazy("您无权为党员 %(member)s 记分。"))


def _open_scheme(year: int, branch: Organization) -> Scheme:
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is None:
        raise ValidationError(
            {"date": _("%(year)s 年度还没有考评方案，请先制定。") % {"year": year}}
        )
    if year_is_frozen(year=year, branch=branch):
        raise ValidationError(
            {"date": _("%(year)s 年度结果已定格，评分记录已冻结。") % {"year": year}}
        )
    return scheme


def _content(entry: ScoreEntry, member: str, item: str, reverses: str | None) -> EntryContent:
    return EntryContent(
        code=entry.code,
        year=entry.year,
        member=member,
        item=item,
        date=entry.date.isoformat(),
        occurrences=entry.occurrences,
        points=decimal_text(entry.points),
        reverses=reverses or "",
        source=entry.source,
        note=entry.note,
        evidence=entry.evidence,
    )


def _link(rows: list[tuple[ScoreEntry, str, EntryContent]]) -> None:
    """Give each new entry its place and hash in its year/branch chain (call inside the
    transaction that saves them; the chain heads stay locked until it commits)."""
    keys = {chain_key(e.year, branch) for e, branch, _ in rows}
    LedgerChain.objects.bulk_create([LedgerChain(key=k) for k in keys], ignore_conflicts=True)
    heads = {h.key: h for h in LedgerChain.objects.select_for_update().filter(key__in=keys)}
    for entry, branch, content in rows:
        head = heads[chain_key(entry.year, branch)]
        head.length += 1
        entry.chain_key, entry.chain_seq = head.key, head.length
        entry.chain_hash = entry_hash(head.head_hash, content)
        head.head_hash = entry.chain_hash
    LedgerChain.objects.bulk_update(list(heads.values()), ["length", "head_hash"])


def _audit_entry(actor: Actor, action: str, entry: ScoreEntry, note: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        target=entry,
        target_id=entry.code,
        note=note,
        after={
            "member": entry.member.code,
            "item": entry.item.code,
            "date": entry.date.isoformat(),
            "occurrences": entry.occurrences,
            "points": str(entry.points),
            "reverses": entry.reverses.code if entry.reverses else None,
        },
    )


def _record_wording() -> list[tuple[str, str, Promise]]:
    """How ``entry_record`` words ``admission``'s rules: (rule, field, text), in the order
    a form reports the first."""
    return [
        (NO_SCHEME, "date", gettext_lazy("%(year)s 年度还没有考评方案，请先制定。")),
        (FROZEN, "date", gettext_lazy("%(year)s 年度结果已定格，评分记录已冻结。")),
        (UNKNOWN_ITEM, "item", gettext_lazy("%(year)s 年度方案中没有指标 %(item)s。")),
        (OCCURRENCES, "occurrences", gettext_lazy("次数至少为 1。")),
        (DEPARTED, "member", gettext_lazy("党员 %(member)s 的状态为“%(status)s”，不参加考评。")),
        (NOT_APPLICABLE, "item", gettext_lazy("指标 %(item)s 不适用于“%(category)s”类党组织。")),
        (EXEMPT, "item", gettext_lazy("党员 %(member)s 已免于指标 %(item)s。")),
    ]


def _names(member: Member, item: SchemeItem, year: int) -> dict[str, object]:
    return {
        "year": year,
        "item": item.code,
        "member": member.code,
        "status": member.get_status_display(),
        "category": member.branch.get_category_display(),
    }


@transaction.atomic
def entry_record(
    *,
    actor: Actor,
    member: Member,
    item: SchemeItem,
    date: datetime.date,
    occurrences: int = 1,
    note: str = "",
    evidence: str = "",
    source: str = ScoreEntry.Source.MANUAL,
) -> ScoreEntry:
    """Record a deduction or bonus (per occurrence, rules.md §4) for one member."""
    _require_manage(actor, member)
    candidate = Candidate(member, item, date.year, date, occurrences)
    (verdict,) = entries_admissible([candidate])
    for rule, field, message in _record_wording():
        if rule in verdict.refusals:
            raise ValidationError({field: message % _names(member, item, date.year)})
    entry = ScoreEntry(
        code=_new_code(date.year),
        year=date.year,
        member=member,
        item=item,
        date=date,
        occurrences=occurrences,
        points=item.points * occurrences,
        source=source,
        note=note,
        evidence=evidence,
        recorded_by=user_or_none(actor),
    )
    _link([(entry, member.branch.code, _content(entry, member.code, item.code, None))])
    entry.full_clean()
    entry.save()
    _audit_entry(actor, "entry.record", entry)
    notification_send(
        user=member.user,
        text=_("%(date)s %(item)s：%(points)s 分")
        % {
            "date": f"{date:%Y-%m-%d}",
            "item": item.name,
            "points": points_text(entry.points, item.kind),
        },
        link=f"/me/?year={date.year}",
    )
    return entry


class PlannedEntry(NamedTuple):
    """An entry a workflow records when it closes, and how it is tied to the workflow's
    own record (``link`` stores the tie and returns the record it made, if any)."""

    member: Member
    item: SchemeItem
    date: datetime.date
    note: str
    evidence: str
    link: Callable[[ScoreEntry], models.Model | None]
    occurrences: int = 1


@transaction.atomic
def entries_record_for(
    *,
    actor: Actor,
    source: str,
    planned: Iterable[PlannedEntry],
    action: str,
    target: models.Model | None = None,
    target_id: str = "",
    after: Callable[[list[ScoreEntry]], dict[str, Any]],
    recorder: Actor | Literal["actor"] = "actor",
) -> list[ScoreEntry]:
    """The closing of a workflow (a meeting's attendance, a task, a month of dues, an
    inspection's finding, a bonus claim): each planned entry is recorded once through
    ``entry_record`` (source ``source``, by ``recorder``: the actor unless the system
    records), tied to the workflow's record, and the closing is audited as ``action`` on
    ``target`` (None: the record the last link made) with ``after(entries)``."""
    created: list[ScoreEntry] = []
    made: models.Model | None = None
    for p in planned:
        fields = p._asdict()
        link = fields.pop("link")
        entry = entry_record(
            actor=actor if recorder == "actor" else recorder, source=source, **fields
        )
        made = link(entry)
        created.append(entry)
    audit_record(
        actor=actor,
        action=action,
        target=target or made,
        target_id=target_id,
        after=after(created),
    )
    return created


@transaction.atomic
def entry_reverse(
    *,
    actor: Actor,
    entry: ScoreEntry,
    reason: str,
    date: datetime.date | None = None,
    source: str | None = None,
) -> ScoreEntry:
    """Undo an entry by appending its reversal (冲销); the entry itself stays as it was.
    ``source`` is the workflow that reverses it (an appeal …); by default the reversal
    keeps the source of the entry it undoes (a meeting's re-opening, a manual correction)."""
    entry = (
        ScoreEntry.objects.select_for_update()
        .select_related("member__branch", "item")
        .get(pk=entry.pk)
    )
    _require_manage(actor, entry.member)
    if not reason.strip():
        raise ValidationError({"reason": _("冲销须填写原因。")})
    if entry.is_reversal:
        raise ValidationError(
            {"entry": _("记录 %(entry)s 本身是冲销记录，不能再冲销。") % {"entry": entry.code}}
        )
    if ScoreEntry.objects.filter(reverses=entry).exists():
        raise ValidationError({"entry": _("记录 %(entry)s 已经冲销过了。") % {"entry": entry.code}})
    _open_scheme(entry.year, entry.member.branch)
    if date is not None and date.year != entry.year:
        raise ValidationError(
            {"date": _("%(year)s 年度记录的冲销日期必须在 %(year)s 年内。") % {"year": entry.year}}
        )
    reversal = ScoreEntry(
        code=_new_code(entry.year),
        year=entry.year,
        member=entry.member,
        item=entry.item,
        date=date or entry.date,
        occurrences=entry.occurrences,
        points=entry.points,
        reverses=entry,
        source=source or entry.source,
        note=reason,
        recorded_by=user_or_none(actor),
    )
    content = _content(reversal, entry.member.code, entry.item.code, entry.code)
    _link([(reversal, entry.member.branch.code, content)])
    reversal.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError as exc:  # a concurrent reversal won the race
        raise ValidationError(
            {"entry": _("记录 %(entry)s 已经冲销过了。") % {"entry": entry.code}}
        ) from exc
    _audit_entry(actor, "entry.reverse", reversal, note=reason)
    notification_send(
        user=entry.member.user,
        text=_("%(date)s %(item)s（%(points)s 分）的记录已冲销：%(reason)s")
        % {
            "date": f"{entry.date:%Y-%m-%d}",
            "item": entry.item.name,
            "points": points_text(entry.points, entry.item.kind),
            "reason": reason,
        },
        link=f"/me/?year={entry.year}",
    )
    return reversal


@transaction.atomic
def ledger_publish(
    *, actor: Actor, branch: Organization, start: datetime.date, end: datetime.date
) -> Any:
    """Publish a period of the branch's ledger to its members (公示); they are notified."""
    from kaoping.notifications.services import notification_send_many

    from .models import LedgerPublication

    if actor is not None and not scope_for(actor).manages(branch.path):
        raise PermissionDenied(_("您无权公示 %(branch)s 的评分台账。") % {"branch": branch.name})
    if end < start:
        raise ValidationError({"end": _("截止日期不能早于起始日期。")})
    publication = LedgerPublication.objects.create(
        branch=branch,
        start=start,
        end=end,
        published_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="ledger.publish",
        target=branch,
        after={"start": start.isoformat(), "end": end.isoformat()},
    )
    users = [m.user for m in Member.objects.filter(branch=branch).select_related("user")]
    notification_send_many(
        users=users,
        text=f"{branch.name} 公示了 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 的评分台账",
        link=f"/branches/{branch.code}/ledger/{publication.pk}/",
    )
    return publication


ENTRY_COLUMNS = (
    Column("member", "党员编号", comment="本支部党员的编号", example="M0001"),
    Column("item", "指标代码", comment="该日期所在年度方案中的指标代码", example="D07"),
    Column("date", "日期", kind="date", example="2026-03-02"),
    Column("occurrences", "次数", kind="int", required=False, min_value=1, example=1),
    Column("note", "说明", required=False, max_length=NOTE_MAX),
    Column("evidence", "佐证", required=False, max_length=NOTE_MAX),
)


def _sheet_wording() -> list[tuple[str, str, Promise]]:
    """How the sheet check words ``admission``'s rules: (column, rule, text)."""
    return [
        ("党员编号", UNKNOWN_MEMBER, gettext_lazy("本支部没有编号为“%(c)s”的党员。")),
        ("党员编号", DEPARTED, gettext_lazy("%(c)s %(s)s，不参加考评。")),
        ("日期", NO_SCHEME, gettext_lazy("还没有 %(y)s 年度的考评方案。")),
        ("日期", FROZEN, gettext_lazy("%(y)s 年度结果已定格，不能再录入。")),
        ("指标代码", UNKNOWN_ITEM, gettext_lazy("%(y)s 年度方案中没有指标“%(c)s”。")),
        ("指标代码", NOT_APPLICABLE, gettext_lazy("指标 %(c)s 不适用于本支部。")),
        ("指标代码", EXEMPT, gettext_lazy("%(m)s 免于指标 %(c)s。")),
        ("次数", OCCURRENCES, gettext_lazy("次数至少为 1。")),
    ]


def _sheet_errors(
    row: SheetRow, refusals: tuple[str, ...], member: Member | None
) -> list[RowError]:
    """The row's refusals, each on its column (``c``: the code the column holds)."""
    v = row.values
    names = {
        "m": v["member"],
        "s": member.get_status_display() if member is not None else "",
        "y": v["date"].year,
    }
    return [
        RowError(
            row.line,
            column,
            str(message % (names | {"c": v["member"] if column == "党员编号" else v["item"]})),
        )
        for column, rule, message in _sheet_wording()
        if rule in refusals
    ]


def entries_sheet_check(
    *, actor: Actor, branch: Organization, rows: list[SheetRow], progress: ProgressFn = None
) -> tuple[list[ImportedEntry], list[RowError]]:
    """Check spreadsheet rows of entries for one branch (the rules of ``entry_record``),
    without writing; each error names the row and the column."""
    if actor is not None and not scope_for(actor).manages(branch.path):
        raise PermissionDenied(_("您无权为 %(branch)s 记分。") % {"branch": branch.name})

    complete = [
        r for r in rows if None not in (r.values["member"], r.values["item"], r.values["date"])
    ]
    verdicts = iter(
        entries_admissible(
            [
                Candidate(v["member"], v["item"], v["date"].year, v["date"], v["occurrences"] or 1)
                for v in (r.values for r in complete)
            ],
            branch=branch,
        )
    )
    good, errors = [], []
    for index, r in enumerate(rows, start=1):
        if progress is not None and index % 200 == 0:
            progress(index, len(rows) + 1, _("检查第 %(n)s 行") % {"n": r.line})
        v = r.values
        if v["member"] is None or v["item"] is None or v["date"] is None:
            continue  # read_rows has reported it
        member, item, refusals = next(verdicts)
        if refusals or member is None or item is None:
            errors += _sheet_errors(r, refusals, member)
            continue
        occurrences = v["occurrences"] or 1
        good.append(
            ImportedEntry(
                code=_new_code(v["date"].year),
                member_id=member.id,
                member_code=member.code,
                branch_code=branch.code,
                item_id=item.id,
                item_code=item.code,
                date=v["date"],
                occurrences=occurrences,
                points=item.points * occurrences,
                note=v["note"] or "",
                reverses_code=None,
                evidence=v["evidence"] or "",
            )
        )
    return good, errors


@transaction.atomic
def entries_sheet_import(*, actor: Actor, branch: Organization, rows: list[SheetRow]) -> int:
    """Append a spreadsheet of entries for one branch: every row is checked again here and
    all are appended (through ``entries_import``), or none (``SheetErrors``)."""
    good, errors = entries_sheet_check(actor=actor, branch=branch, rows=rows)
    if errors:
        raise SheetErrors(errors)
    if not good:
        raise SheetErrors([RowError(2, "", _("表格中没有数据行。"))])
    count = 0
    for year in sorted({e.date.year for e in good}):
        count += entries_import(
            actor=actor,
            year=year,
            rows=[e for e in good if e.date.year == year],
            source=ScoreEntry.Source.SHEET,
        )
    return count
