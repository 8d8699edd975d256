"""Writes of the score ledger: record an entry, reverse one, import many. Nothing else
ever writes ``ScoreEntry``; nothing at all updates or deletes it."""

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor, ProgressFn
from kaoping.audit.services import audit_record
from kaoping.kit.bulk import insert_rows
from kaoping.kit.decimals import decimal_text
from kaoping.kit.iterables import batched
from kaoping.kit.text import NOTE_MAX
from kaoping.kit.users import user_or_none
from kaoping.notifications.services import notification_send
from kaoping.orgs.models import DEPARTED_STATUSES, Member, Organization
from kaoping.orgs.selectors import manage_required, scope_for
from kaoping.schemes.models import ItemExemption, Scheme, SchemeItem
from kaoping.schemes.selectors import year_is_frozen
from kaoping.sheets.xlsx import Column, RowError, SheetErrors, SheetRow

from .chain import EntryContent, chain_key, entry_hash, ledger_key
from .models import LedgerChain, ScoreEntry


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
    scheme = _open_scheme(date.year, member.branch)
    if item.scheme_id != scheme.pk:
        raise ValidationError(
            {
                "item": _("%(year)s 年度方案中没有指标 %(item)s。")
                % {"item": item.code, "year": date.year}
            }
        )
    if occurrences < 1:
        raise ValidationError({"occurrences": _("次数至少为 1。")})
    if member.status in DEPARTED_STATUSES:
        raise ValidationError(
            {
                "member": _("党员 %(member)s 的状态为“%(status)s”，不参加考评。")
                % {"member": member.code, "status": member.get_status_display()}
            }
        )
    if not item.applies_to(member.branch.category):
        raise ValidationError(
            {
                "item": _("指标 %(item)s 不适用于“%(category)s”类党组织。")
                % {"item": item.code, "category": member.branch.get_category_display()}
            }
        )
    if ItemExemption.objects.in_force_on(date).filter(member=member, item_code=item.code).exists():
        raise ValidationError(
            {
                "item": _("党员 %(member)s 已免于指标 %(item)s。")
                % {"member": member.code, "item": item.code}
            }
        )
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
    sign = "+" if item.kind == SchemeItem.Kind.BONUS else "−"
    notification_send(
        user=member.user,
        text=f"{date:%Y-%m-%d} {item.name}：{sign}{decimal_text(entry.points)} 分",
        link=f"/me/?year={date.year}",
    )
    return entry


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
        text=f"{entry.date:%Y-%m-%d} {entry.item.name} 的记录已冲销：{reason}",
        link=f"/me/?year={entry.year}",
    )
    return reversal


class ImportedEntry(NamedTuple):
    """One validated entry of a bundle, ready to be appended (a named tuple: cheap to
    build by the hundred thousand)."""

    code: str
    member_id: int
    member_code: str
    branch_code: str
    item_id: int
    item_code: str
    date: datetime.date
    occurrences: int
    points: Decimal
    note: str
    reverses_code: str | None
    evidence: str = ""


class _ChainWriter:
    """Chains many new entries (an import): the heads of a batch's chains are locked
    before the batch is written (``lock``), each chain advances in memory, and the heads
    are written back once at the end (``close``)."""

    def __init__(self) -> None:
        self.heads: dict[str, LedgerChain] = {}
        self.key = ledger_key()

    def lock(self, keys: set[str]) -> None:
        new = keys - self.heads.keys()
        if new:
            LedgerChain.objects.bulk_create(
                [LedgerChain(key=k) for k in new], ignore_conflicts=True
            )
            self.heads |= {
                h.key: h for h in LedgerChain.objects.select_for_update().filter(key__in=new)
            }

    def place(self, key: str, content: EntryContent) -> tuple[int, str]:
        head = self.heads[key]
        head.length += 1
        head.head_hash = entry_hash(head.head_hash, content, key=self.key)
        return head.length, head.head_hash

    def close(self) -> None:
        # One UPDATE a head, pipelined by psycopg's executemany: bulk_update's CASE over
        # every head took several times longer (65-105 ms against 15 for 300 chains).
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {LedgerChain._meta.db_table} SET length = %s, head_hash = %s "  # noqa: S608
                "WHERE id = %s",
                [(h.length, h.head_hash, h.pk) for h in self.heads.values()],
            )


# What an import writes (COPY on PostgreSQL: the append-only trigger guards updates and
# deletes only, so COPY appends like INSERT does).
ENTRY_INSERT_COLUMNS = (
    "code",
    "year",
    "member_id",
    "item_id",
    "date",
    "occurrences",
    "points",
    "reverses_id",
    "source",
    "note",
    "evidence",
    "recorded_by_id",
    "recorded_at",
    "chain_key",
    "chain_seq",
    "chain_hash",
)


def entries_import(
    *,
    actor: Actor,
    year: int,
    rows: Iterable[ImportedEntry],
    source: str = ScoreEntry.Source.BUNDLE,
    rows_are_new: bool = False,
    batch_size: int = 10000,
) -> int:
    """Append validated entries in bulk (导入台账), skipping codes already in the ledger
    (unless the caller has already left them out: ``rows_are_new``).

    Streams: the rows are consumed a batch at a time, chained and appended with COPY on
    PostgreSQL. Runs inside the caller's transaction (imports are all-or-nothing). A
    reversal must come after the entry it reverses (callers put plain entries first).
    """
    user = user_or_none(actor)
    user_id = user.pk if user is not None else None
    now = timezone.now()
    chain = _ChainWriter()
    added = skipped = 0
    for batch in batched(rows, batch_size):
        if not rows_are_new:
            existing = set(
                ScoreEntry.objects.filter(code__in=[r.code for r in batch]).values_list(
                    "code", flat=True
                )
            )
            fresh = [r for r in batch if r.code not in existing]
            skipped += len(batch) - len(fresh)
        else:
            fresh = batch
        # Plain entries of the batch first, so a reversal can name an entry of the batch.
        plain = [r for r in fresh if r.reverses_code is None]
        reversals = [r for r in fresh if r.reverses_code is not None]
        for part in (plain, reversals):
            if not part:
                continue
            targets = (
                dict(
                    ScoreEntry.objects.filter(code__in={r.reverses_code for r in part}).values_list(
                        "code", "id"
                    )
                )
                if part is reversals
                else {}
            )
            chain.lock({chain_key(year, r.branch_code) for r in part})
            insert_rows(
                ScoreEntry._meta.db_table,
                ENTRY_INSERT_COLUMNS,
                _chained_rows(part, chain, year, source, targets, user_id, now),
            )
            added += len(part)
    chain.close()
    if added:
        audit_record(
            actor=actor,
            action="entries.import",
            target_type="ledger.scoreentry",
            target_id=str(year),
            after={"count": added, "skipped": skipped, "source": source},
        )
    return added


def _chained_rows(
    part: Any,
    chain: Any,
    year: int,
    source: Any,
    targets: Any,
    user_id: Any,
    now: datetime.datetime,
) -> Any:
    """The rows to append, each chained as it is produced: with COPY the database takes
    in one row while the next is hashed."""
    for r in part:
        points = decimal_text(r.points)
        content = EntryContent(
            code=r.code,
            year=year,
            member=r.member_code,
            item=r.item_code,
            date=r.date.isoformat(),
            occurrences=r.occurrences,
            points=points,
            reverses=r.reverses_code or "",
            source=source,
            note=r.note,
            evidence=r.evidence,
        )
        key = chain_key(year, r.branch_code)
        seq, digest = chain.place(key, content)
        yield (
            r.code,
            year,
            r.member_id,
            r.item_id,
            r.date,
            r.occurrences,
            r.points,
            targets[r.reverses_code] if r.reverses_code else None,
            source,
            r.note,
            r.evidence,
            user_id,
            now,
            key,
            seq,
            digest,
        )


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


def entries_sheet_check(
    *, actor: Actor, branch: Organization, rows: list[SheetRow], progress: ProgressFn = None
) -> tuple[list[ImportedEntry], list[RowError]]:
    """Check spreadsheet rows of entries for one branch (the rules of ``entry_record``),
    without writing; each error names the row and the column."""
    if actor is not None and not scope_for(actor).manages(branch.path):
        raise PermissionDenied(_("您无权为 %(branch)s 记分。") % {"branch": branch.name})

    members = {m.code: m for m in Member.objects.filter(branch=branch)}
    years = {r.values["date"].year for r in rows if r.values.get("date")}
    schemes = {s.year: s for s in Scheme.objects.filter(year__in=years)}
    items = {
        (i.scheme.year, i.code): i
        for i in SchemeItem.objects.filter(scheme__year__in=years).select_related("scheme")
    }
    frozen = {y for y in schemes if year_is_frozen(year=y, branch=branch)}
    exempt: dict[tuple[str, str], list[ItemExemption]] = {}
    for x in ItemExemption.objects.filter(member__branch=branch).select_related("member"):
        exempt.setdefault((x.member.code, x.item_code), []).append(x)
    good, errors = [], []
    for index, r in enumerate(rows, start=1):
        if progress is not None and index % 200 == 0:
            progress(index, len(rows) + 1, _("检查第 %(n)s 行") % {"n": r.line})
        v = r.values
        if v["member"] is None or v["item"] is None or v["date"] is None:
            continue  # read_rows has reported it
        problems = []
        member = members.get(v["member"])
        year = v["date"].year
        item = items.get((year, v["item"]))
        if member is None:
            problems.append(("党员编号", _("本支部没有编号为“%(c)s”的党员。") % {"c": v["member"]}))
        elif member.status in DEPARTED_STATUSES:
            problems.append(
                (
                    "党员编号",
                    _("%(c)s %(s)s，不参加考评。")
                    % {"c": member.code, "s": member.get_status_display()},
                )
            )
        if year not in schemes:
            problems.append(("日期", _("还没有 %(y)s 年度的考评方案。") % {"y": year}))
        elif year in frozen:
            problems.append(("日期", _("%(y)s 年度结果已定格，不能再录入。") % {"y": year}))
        elif item is None:
            problems.append(
                ("指标代码", _("%(y)s 年度方案中没有指标“%(c)s”。") % {"y": year, "c": v["item"]})
            )
        elif not item.applies_to(branch.category):
            problems.append(("指标代码", _("指标 %(c)s 不适用于本支部。") % {"c": item.code}))
        elif member is not None and any(
            x.covers(v["date"]) for x in exempt.get((member.code, item.code), ())
        ):
            problems.append(
                ("指标代码", _("%(m)s 免于指标 %(c)s。") % {"m": member.code, "c": item.code})
            )
        errors += [RowError(r.line, column, message) for column, message in problems]
        if problems:
            continue
        occurrences = v["occurrences"] or 1
        good.append(
            ImportedEntry(
                code=_new_code(year),
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
