"""Writes of results: compute a year through the engine and store it."""

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor, ProgressFn
from kaoping.audit.services import audit_record, audit_record_many
from kaoping.kit.bulk import no_cycle_collection
from kaoping.kit.iterables import batched
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import Scheme

from .engine import MemberResult as EngineResult
from .engine import compute_year
from .models import GradeRecord, MemberResult
from .selectors import year_batch_count, year_input_batches

# The engine's numbers of a member's result, stored under the same names.
RESULT_NUMBERS = (
    "deductions", "bonus", "daily", "democratic_pct", "democratic", "composite", "rank",
)  # fmt: skip
RESULT_COLUMNS = (
    "year", "member_id", "branch_id", *RESULT_NUMBERS, "grade", "flags", "computed_at",
)  # fmt: skip
COLUMNS = ", ".join(RESULT_COLUMNS)


def _result_row(
    result: EngineResult,
    *,
    year: int,
    member_id: int,
    branch_id: int,
    computed_at: datetime.datetime,
) -> MemberResult:
    """The stored row of one of the engine's results (the one place that maps them)."""
    return MemberResult(
        year=year,
        member_id=member_id,
        branch_id=branch_id,
        grade=str(result.grade),
        flags=list(result.flags),
        computed_at=computed_at,
        **{name: getattr(result, name) for name in RESULT_NUMBERS},
    )


def _copy_text(value: Any) -> str:
    """A value in COPY's text format: NULL is ``\\N``; numbers and grades need no escaping."""
    return "\\N" if value is None else str(value)


STAGE = "kaoping_result_stage"


class _Stage:
    """Where the year's new results collect while they are computed, so that replacing
    the stored ones is one short transaction at the end: on PostgreSQL a temporary table
    (this connection only) filled with COPY, so memory stays flat; elsewhere (SQLite, the
    small embedded case) a list."""

    def __init__(self, year: int, now: datetime.datetime) -> None:
        self.pg = connection.vendor == "postgresql"
        self.year = year
        self.now = now
        self.rows: list[MemberResult] = []
        # COPY text of each distinct set of flags (there are a handful), and of the time
        self.flags: dict[tuple[str, ...], str] = {}
        self.stamp = now.isoformat()
        if self.pg:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {STAGE} AS SELECT {COLUMNS} "  # noqa: S608
                    f"FROM {MemberResult._meta.db_table} WHERE 1 = 0"
                )

    def append(self, results: Iterable[EngineResult], ids: dict[str, tuple[int, int]]) -> None:
        """The engine's results of one batch; ``ids``: member code -> (member id, branch id)."""
        if not self.pg:
            for r in results:
                member_id, branch_id = ids[r.member]
                self.rows.append(
                    _result_row(
                        r,
                        year=self.year,
                        member_id=member_id,
                        branch_id=branch_id,
                        computed_at=self.now,
                    )
                )
            return
        # One COPY text block a batch, formatted here: a row at a time through
        # ``write_row`` costs about three times as much for a million members.
        lines = []
        head = f"{self.year}\t"
        tail = f"\t{self.stamp}\n"
        for r in results:
            flags = self.flags.get(r.flags)
            if flags is None:
                # JSON escapes with backslashes, which COPY's text format doubles
                flags = json.dumps(list(r.flags)).replace("\\", "\\\\")
                self.flags[r.flags] = flags
            member_id, branch_id = ids[r.member]
            lines.append(
                f"{head}{member_id}\t{branch_id}\t{_copy_text(r.deductions)}\t"
                f"{_copy_text(r.bonus)}\t{_copy_text(r.daily)}\t"
                f"{_copy_text(r.democratic_pct)}\t{_copy_text(r.democratic)}\t"
                f"{_copy_text(r.composite)}\t{_copy_text(r.rank)}\t{r.grade.value}\t"
                f"{flags}{tail}"
            )
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {STAGE} ({COLUMNS}) FROM STDIN") as copy,
        ):
            copy.write("".join(lines))

    def store(self) -> None:
        """Into the results table (call inside the replacing transaction)."""
        if not self.pg:
            MemberResult.objects.bulk_create(self.rows, batch_size=2000)
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {MemberResult._meta.db_table} ({COLUMNS}) "  # noqa: S608
                f"SELECT {COLUMNS} FROM {STAGE}"
            )

    def drop(self) -> None:
        if self.pg:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


def results_compute(*, actor: Actor, year: int, progress: ProgressFn = None) -> int:
    """Compute (or recompute) every member's result of ``year`` and store it; returns the
    number of result rows. Results are derived: they are replaced wholesale each time.

    The ledger is summed per member in the database and streamed through the engine a
    batch of whole branches at a time (ranks and the quota are per branch, so this is
    exact), so memory does not grow with the number of members. After each batch
    ``progress(done, total, message)`` is told (outside any transaction, so a job's
    progress shows while it runs); the new results collect in a temporary table and
    replace the stored ones in one short transaction at the end."""
    if actor is not None and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以计算全年的结果。"))
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is None:
        raise ValidationError({"year": _("%(year)s 年度还没有考评方案。") % {"year": year}})
    total = year_batch_count(scheme=scheme)
    stage = _Stage(year, timezone.now())
    try:
        count = 0
        with no_cycle_collection():
            for done, (data, ids) in enumerate(year_input_batches(scheme=scheme), start=1):
                results = compute_year(data)
                stage.append(results, ids)
                count += len(results)
                if progress is not None:
                    progress(
                        done,
                        max(total, done),
                        _("%(first)s–%(last)s：已计算 %(n)s 名党员")
                        % {
                            "first": data.members[0].branch,
                            "last": data.members[-1].branch,
                            "n": count,
                        },
                    )
        with transaction.atomic():
            MemberResult.objects.filter(year=year).delete()
            stage.store()
            audit_record(
                actor=actor,
                action="results.compute",
                target=scheme,
                after={"year": year, "members": count},
            )
    finally:
        stage.drop()
    return count


@transaction.atomic
def grade_record_set(*, actor: Actor, member: Member, year: int, grade: str) -> GradeRecord:
    """Record a member's final grade of an earlier year (imported history)."""
    if actor is not None and not scope_for(actor).manages(member.branch.path):
        raise PermissionDenied(_("您无权管理党员 %(member)s。") % {"member": member.code})
    record = GradeRecord.objects.filter(member=member, year=year).first()
    if record is not None and record.grade == grade:
        return record
    before = {"grade": record.grade} if record else None
    record, _created = GradeRecord.objects.update_or_create(
        member=member, year=year, defaults={"grade": grade}
    )
    audit_record(
        actor=actor,
        action="grade_record.set",
        target=member,
        before=before,
        after={"year": year, "grade": grade},
    )
    return record


def grade_records_import(
    *, actor: Actor, rows: Iterable[tuple[str, int, str]], batch_size: int = 2000
) -> int:
    """Record many members' final grades of earlier years (导入历年等次): ``(member code,
    year, grade)``, the rules of ``grade_record_set`` a batch at a time. Runs inside the
    caller's transaction; returns how many rows it read."""
    count = 0
    for batch in batched(rows, batch_size):
        count += len(batch)
        members = {
            m.code: m
            for m in Member.objects.filter(code__in=[r[0] for r in batch]).select_related("branch")
        }
        current = {
            (g.member_id, g.year): g.grade
            for g in GradeRecord.objects.filter(member__in=members.values())
        }
        records: dict[tuple[int, int], GradeRecord] = {}  # the last row of a key wins
        audits = []
        for code, year, grade in batch:
            member = members[code]
            if actor is not None and not scope_for(actor).manages(member.branch.path):
                raise PermissionDenied(_("您无权管理党员 %(member)s。") % {"member": member.code})
            old = current.get((member.pk, year))
            if old == grade:
                continue
            records[member.pk, year] = GradeRecord(member=member, year=year, grade=grade)
            current[member.pk, year] = grade
            audits.append((member, {"grade": old} if old else None, {"year": year, "grade": grade}))
        GradeRecord.objects.bulk_create(
            list(records.values()),
            update_conflicts=True,
            unique_fields=["member", "year"],
            update_fields=["grade"],
        )
        audit_record_many(actor=actor, action="grade_record.set", rows=audits)
    return count


@transaction.atomic
def branch_results_store(*, actor: Actor, scheme: Scheme, branch: Organization) -> int:
    """Compute one branch's results through the engine and store them (replacing that
    branch's stored results of the year); used by publication (公示) and finalisation."""
    if actor is not None and not scope_for(actor).manages(branch.path):
        raise PermissionDenied(_("您无权管理 %(branch)s。") % {"branch": branch.name})

    from .selectors import live_results

    results = live_results(scheme=scheme, branches=[branch])
    member_ids = dict(Member.objects.filter(branch=branch).values_list("code", "id"))
    now = timezone.now()
    MemberResult.objects.filter(year=scheme.year, member_id__in=member_ids.values()).delete()
    MemberResult.objects.filter(year=scheme.year, branch=branch).delete()
    MemberResult.objects.bulk_create(
        [
            _result_row(
                r,
                year=scheme.year,
                member_id=member_ids[r.member],
                branch_id=branch.pk,
                computed_at=now,
            )
            for r in results
        ]
    )
    audit_record(
        actor=actor,
        action="results.store_branch",
        target=branch,
        after={"year": scheme.year, "members": len(results)},
    )
    return len(results)
