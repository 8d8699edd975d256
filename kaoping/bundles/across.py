"""The checks of a bundle across records that run as set queries over the staging tables
(``staging.py``) and the ledger: reversals and the evaluation's records, and the queries
``checks.py`` runs for members and entries (a mixin of ``checks.BundleCheck``: it reads
the check's state and adds to its messages). Whether one entry may be recorded is
``ledger.admission``'s; what it cannot see record by record (members of the bundle,
closed branches, reversals) is asked here, by query."""

from functools import cached_property

from django.db import connection
from django.utils.translation import gettext

from kaoping.kit.bulk import stream_rows
from kaoping.schemes.models import Scheme

from .errors import Messages


class AcrossRecords:
    """The rules across the records of reversals and the evaluation."""

    errors: Messages
    year: int | None
    existing_scheme: Scheme | None

    def _check_reversals(self) -> None:
        """The rules of reversals (bundle.md), over the entries not already in the ledger,
        target by target: the first valid reversal of a target takes it."""
        add = self.errors.add
        current, taken_by = None, None
        for (
            idx,
            code,
            member,
            target,
            in_bundle,
            b_member,
            b_reverses,
            d_id,
            d_reverses,
            d_member,
            reversed_in_db,
        ) in stream_rows(_REVERSALS):
            label = f"entries[{idx}] (id {code})"
            if target != current:
                current, taken_by = target, reversed_in_db
            names = {"record": label, "target": target, "by": taken_by}
            if target == code:
                add((3, idx), gettext("%(record)s：记录不能冲销自身。") % names)
            elif not in_bundle and d_id is None:
                add((3, idx), gettext("%(record)s：要冲销的记录 %(target)s 不存在。") % names)
            elif (d_id is None and b_reverses is not None) or d_reverses is not None:
                add(
                    (3, idx),
                    gettext("%(record)s：要冲销的 %(target)s 本身就是一条冲销记录。") % names,
                )
            elif taken_by is not None:
                add(
                    (3, idx),
                    gettext("%(record)s：要冲销的 %(target)s 已被 %(by)s 冲销。") % names,
                )
            else:
                taken_by = code
                owner = d_member if d_id is not None else b_member
                if owner != member:
                    add(
                        (3, idx),
                        gettext("%(record)s：要冲销的 %(target)s 是其他党员的记录。") % names,
                    )

    def _check_evaluation(self) -> None:
        add = self.errors.add
        for rank, (section, table) in enumerate(
            (
                ("votes", "kp_stage_vote"),
                ("history", "kp_stage_history"),
                ("decisions", "kp_stage_decision"),
            ),
            start=5,
        ):
            for idx, member, _ in query(_UNKNOWN_MEMBER.format(table=table, ident="member")):
                add(
                    (rank, idx),
                    gettext("%(record)s：党员 %(member)s 不存在。")
                    % {"record": f"{section}[{idx}] (member {member})", "member": member},
                )
        for member, n in repeated("kp_stage_vote", "member"):
            add(
                (5, -1),
                gettext("%(record)s：该党员有 %(n)s 份计票。")
                % {"record": f"votes (member {member})", "n": n},
            )
        closed = self._closed_branches
        if closed:
            for rank, (section, table) in (
                (5, ("votes", "kp_stage_vote")),
                (7, ("decisions", "kp_stage_decision")),
            ):
                for idx, member, branch in query(
                    _IN_CLOSED_BRANCH.format(
                        table=table, ident="member", new="", marks=", ".join(["%s"] * len(closed))
                    ),
                    closed,
                ):
                    add(
                        (rank, idx),
                        gettext("%(record)s：党支部 %(branch)s 的 %(year)s 年度结果已定格。")
                        % {
                            "record": f"{section}[{idx}] (member {member})",
                            "branch": branch,
                            "year": self.year,
                        },
                    )

    @cached_property
    def _closed_branches(self) -> list[str]:
        if self.existing_scheme is None:
            return []
        return list(self.existing_scheme.closings.values_list("branch__code", flat=True))


def query(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def repeated(table: str, column: str = "code") -> list[tuple]:
    """The values of ``column`` that more than one staged record holds, with how many, in
    the order of their first record."""
    return query(
        f"SELECT {column}, COUNT(*) FROM {table} GROUP BY {column} "  # noqa: S608
        "HAVING COUNT(*) > 1 ORDER BY MIN(idx)"
    )


# A record's member is known when the bundle or the database has it.
_UNKNOWN_MEMBER = """
SELECT s.idx, s.{ident}, s.member FROM {table} s
WHERE NOT EXISTS (SELECT 1 FROM kp_stage_member b WHERE b.code = s.member)
  AND NOT EXISTS (SELECT 1 FROM orgs_member m WHERE m.code = s.member)
ORDER BY s.idx
"""

# Records of members whose branch (as the bundle leaves it) has closed the year.
_IN_CLOSED_BRANCH = """
SELECT s.idx, s.{ident}, COALESCE(b.branch, o.code) FROM {table} s
LEFT JOIN kp_stage_member b ON b.code = s.member
LEFT JOIN orgs_member m ON m.code = s.member
LEFT JOIN orgs_organization o ON o.id = m.branch_id
WHERE COALESCE(b.branch, o.code) IN ({marks}){new}
ORDER BY s.idx
"""

# Every reversal not yet in the ledger with what it names, in the bundle (its first
# record of that id) and in the ledger, grouped by target in file order.
_REVERSALS = """
SELECT s.idx, s.code, s.member, s.reverses,
       t.idx IS NOT NULL, t.member, t.reverses,
       d.id, d.reverses_id, dm.code,
       (SELECT r.code FROM ledger_scoreentry r WHERE r.reverses_id = d.id)
FROM kp_stage_entry s
LEFT JOIN kp_stage_entry t
  ON t.idx = (SELECT MIN(u.idx) FROM kp_stage_entry u WHERE u.code = s.reverses)
LEFT JOIN ledger_scoreentry d ON d.code = s.reverses
LEFT JOIN orgs_member dm ON dm.id = d.member_id
WHERE s.reverses IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ledger_scoreentry x WHERE x.code = s.code)
ORDER BY s.reverses, s.idx
"""
