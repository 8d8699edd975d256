"""Import of a year bundle (bundle.md), streaming: the file is read record by record into
temporary staging tables, every check runs before anything is written (per record as it
streams, across records as queries over the staging tables), then everything is written
in bulk in the same transaction. A bad bundle is refused whole with messages naming each
bad record, and nothing of it is stored. Memory does not grow with the size of the file.
"""

import datetime
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.bulk import no_cycle_collection, stream_rows
from kaoping.evaluation.services import quota_decisions_import, tallies_import
from kaoping.ledger.services import ImportedEntry, entries_import
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.services import (
    MemberRow,
    OrganizationRow,
    members_import,
    organizations_import,
)
from kaoping.schemes.models import BALLOT_OPTION_NAMES, ItemExemption, Scheme, SchemeItem
from kaoping.schemes.services import scheme_create, scheme_item_upsert, scheme_update
from kaoping.scoring.services import grade_records_import
from kaoping.text import (
    CODE_MAX,
    CODE_RE,
    CONTROL,
    NAME_MAX,
    NOTE_MAX,
    REASON_MAX,
    bad_name_start,
)

from . import staging
from .reading import (
    BundleNotJSON,
    BundleSource,
    BundleTooDeep,
    DictSource,
    FileSource,
    bundle_schema,
)
from .schema_messages import schema_check, shown

__all__ = ["BundleError", "BundleNotJSON", "bundle_import", "bundle_validate"]

FORMAT = "kaoping.bundle/1"
SCHEME_SETTINGS = (
    "base_points",
    "bonus_cap",
    "democratic_share",
    "excellent_threshold",
    "qualified_threshold",
    "basic_threshold",
    "excellent_quota",
)
MAX_MESSAGES = 50
# What the columns hold (PostgreSQL integer, numeric(12, 4), smallint).
MAX_INT = 2**31 - 1
MAX_POINTS = Decimal(10) ** 8
MAX_YEAR = 32767
DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class BundleError(Exception):
    """A refused bundle; ``errors`` name each offending record and field (the first
    ``MAX_MESSAGES`` of ``total``)."""

    def __init__(self, errors: list[str], total: int | None = None):
        self.errors = errors[:MAX_MESSAGES]
        self.total = max(total or 0, len(errors))
        more = self.total - len(self.errors)
        rest = [gettext("……另有 %(n)s 条问题。") % {"n": more}] if more > 0 else []
        super().__init__("\n".join(self.errors + rest))


@dataclass
class ImportSummary:
    year: int
    organizations: int = 0
    members: int = 0
    entries_added: int = 0
    entries_skipped: int = 0
    votes: int = 0
    history: int = 0
    decisions: int = 0
    notes: list[str] = field(default_factory=list)


class _Messages:
    """The first ``MAX_MESSAGES`` messages by their sort keys, and how many there were
    (a file with a million bad records does not hold a million messages)."""

    def __init__(self) -> None:
        self.kept: list[tuple] = []
        self.total = 0
        self._seq = itertools.count()

    def add(self, key: tuple, message: str) -> None:
        self.total += 1
        self.kept.append((key, next(self._seq), message))
        if len(self.kept) > 20 * MAX_MESSAGES:
            self.kept = sorted(self.kept)[:MAX_MESSAGES]

    def __bool__(self) -> bool:
        return self.total > 0

    def error(self) -> BundleError:
        return BundleError([m for _, _, m in sorted(self.kept)], self.total)


@cache
def _validator(section: str | None) -> jsonschema.Draft202012Validator:
    """The whole document's validator, or one record's of a record list."""
    schema = bundle_schema()
    if section is not None:
        schema = {"$defs": schema["$defs"], **schema["properties"][section]["items"]}
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _record(kind: str, index: int, row: dict, key: str = "id") -> str:
    return f"{kind}[{index}] ({key} {row.get(key)})"


def _repeated(record: str, code: str, n: int) -> str:
    return gettext("%(record)s：编号 %(code)s 出现了 %(n)s 次。") % {
        "record": record,
        "code": code,
        "n": n,
    }


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a decimal number") from exc


def _fits(value: Decimal) -> bool:
    """Fits a score column (12 digits, 4 after the point)."""
    return value.is_finite() and abs(value) < MAX_POINTS and value == round(value, 4)


def _validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


# Conservative checks of one record's shape: True means the record surely satisfies the
# schema, so the (slow) jsonschema validation is skipped; False means it runs and names
# the problem. They are the schema's rules for the common case, nothing more.


def _code(v: Any) -> bool:
    return type(v) is str and 0 < len(v) <= CODE_MAX and CODE_RE.match(v) is not None


def _note(v: Any) -> bool:
    return type(v) is str and len(v) <= NOTE_MAX and CONTROL.search(v) is None


def _name(v: Any) -> bool:
    return (
        type(v) is str
        and 0 < len(v) <= NAME_MAX
        and not bad_name_start(v)
        and CONTROL.search(v) is None
    )


def _opt(record: dict, key: str, test: Any) -> bool:
    return key not in record or test(record[key])


def _is_str(v: Any) -> bool:
    return type(v) is str


def _is_int(v: Any) -> bool:
    return type(v) is int


def _is_date(v: Any) -> bool:
    if type(v) is not str or not DATE.fullmatch(v):
        return False
    try:
        datetime.date.fromisoformat(v)
    except ValueError:
        return False
    return True


MEMBER_STATUSES = {"active", "under_investigation", "lost_contact", "transferred_out", "deceased"}
GRADES = {"excellent", "qualified", "basic", "warning"}
SHAPES = {
    "members": lambda r: (
        _code(r.get("id"))
        and _name(r.get("name"))
        and _code(r.get("branch"))
        and _opt(r, "status", lambda v: _is_str(v) and v in MEMBER_STATUSES)
        and _opt(r, "membership", lambda v: _is_str(v) and v in ("full", "probationary"))
        and _opt(
            r,
            "exemptions",
            lambda v: (
                type(v) is list
                and all(
                    type(x) is dict
                    and _code(x.get("item"))
                    and _opt(x, "reason", lambda t: _note(t) and len(t) <= REASON_MAX)
                    for x in v
                )
            ),
        )
    ),
    "entries": lambda r: (
        _code(r.get("id"))
        and _code(r.get("member"))
        and _code(r.get("item"))
        and _is_date(r.get("date"))
        and _opt(r, "occurrences", lambda v: _is_int(v) and v >= 1)
        and _opt(r, "reverses", _code)
        and _opt(r, "note", _note)
    ),
    "votes": lambda r: (
        _code(r.get("member"))
        and type(r.get("tally")) is dict
        and all(k in BALLOT_OPTION_NAMES and _is_int(v) and v >= 0 for k, v in r["tally"].items())
    ),
    "history": lambda r: (
        _code(r.get("member"))
        and _is_int(r.get("year"))
        and _is_str(r.get("grade"))
        and r["grade"] in GRADES
    ),
    "decisions": lambda r: (
        _code(r.get("member"))
        and r.get("kind") == "quota_tie"
        and _opt(r, "excellent", lambda v: type(v) is bool)
        and _opt(r, "note", _note)
    ),
}


class _Rollback(Exception):
    pass


def bundle_validate(data: Any) -> list[str]:
    """Every problem of an in-memory bundle (the first ``MAX_MESSAGES``), as messages
    naming the record; empty when it is good. Stores nothing."""
    try:
        with transaction.atomic():
            _BundleImport(actor=None, source=DictSource(data)).check()
            raise _Rollback
    except BundleError as exc:
        return exc.errors
    except _Rollback:
        return []


def bundle_import(
    *, actor: Actor, data: Any = None, path: str | Path | None = None
) -> ImportSummary:
    """Import a bundle (a parsed ``data`` or a file at ``path``, streamed), all or
    nothing; raises ``BundleError`` (or ``BundleNotJSON``) and stores nothing when anything
    is wrong. Existing organisations and members are updated; entries whose id is already
    in the ledger are skipped; importing the same bundle twice changes nothing."""
    source = FileSource(path) if path is not None else DictSource(data)
    try:
        with transaction.atomic():
            importer = _BundleImport(actor=actor, source=source)
            importer.check()
            with no_cycle_collection():
                return importer.write()
    except ValidationError as exc:  # a model invariant the checks did not foresee
        raise BundleError([_validation_text(exc)]) from exc
    except BundleTooDeep as exc:
        raise BundleError([str(exc)]) from exc


class _BundleImport:
    """One import: ``check`` reads the source into the staging tables and raises
    ``BundleError`` with every problem; ``write`` then stores it. Both inside the caller's
    transaction."""

    def __init__(self, *, actor: Actor, source: BundleSource) -> None:
        self.actor = actor
        self.source = source
        self.schema_errors = _Messages()
        self.errors = _Messages()
        self.top: Any = None
        self.year: int | None = None
        self.existing_scheme: Scheme | None = None
        self.item_points: dict[str, Decimal] = {}
        self.counts: Counter[str] = Counter()
        self.loader: staging.Loader | None = None

    # ------------------------------------------------------------------ reading, checks

    def check(self) -> None:
        staging.create()
        self.loader = staging.Loader()
        self.source.read(self._on_top, self._on_record)
        self.loader.flush()
        if not isinstance(self.top, dict):
            self._schema_check(self.top)
        if self.schema_errors:
            raise self.schema_errors.error()
        staging.finish_loading()
        self._check_scheme()
        self._check_organizations()
        self._check_members()
        self._check_entries()
        self._check_evaluation()
        if self.errors:
            raise self.errors.error()

    def _on_top(self, top: Any) -> None:
        """The top level (record lists empty), before the entries stream."""
        self.top = top
        if not isinstance(top, dict):
            return
        self._schema_check(top)
        year = top.get("year")
        self.year = year if type(year) is int else None
        scheme = top.get("scheme") if isinstance(top.get("scheme"), dict) else {}
        existing = Scheme.objects.filter(year=self.year).first() if self.year else None
        self.existing_scheme = existing
        self.item_points = (
            dict(SchemeItem.objects.filter(scheme=existing).values_list("code", "points"))
            if existing
            else {}
        )
        for item in scheme.get("items") or []:
            if isinstance(item, dict) and isinstance(item.get("code"), str):
                try:
                    self.item_points[item["code"]] = _decimal(item.get("points"))
                except ValueError:
                    self.item_points[item["code"]] = Decimal(0)

    def _schema_check(self, document: Any) -> None:
        schema_check(self.schema_errors, _validator(None), document)

    def _on_record(self, section: str, index: int, record: Any) -> None:
        self.counts[section] += 1
        if not (type(record) is dict and SHAPES[section](record)):
            at = (section, index)
            if schema_check(self.schema_errors, _validator(section), record, at=at):
                return
        if self.schema_errors:
            return  # the bundle is refused on its shape; stop staging
        getattr(self, f"_stage_{section}")(index, record)

    def _stage_members(self, i: int, m: dict) -> None:
        exemptions = m.get("exemptions")
        self.loader.add(
            "kp_stage_member",
            (
                i,
                m["id"],
                m["name"],
                m["branch"],
                m.get("status", Member.Status.ACTIVE),
                m.get("membership", Member.Membership.FULL),
                None if exemptions is None else json.dumps(exemptions, ensure_ascii=False),
            ),
        )

    def _stage_entries(self, i: int, e: dict) -> None:
        add, record = self.errors.add, _record("entries", i, e)
        occurrences = e.get("occurrences", 1)
        if e["item"] not in self.item_points:
            add(
                (3, i),
                gettext("%(record)s：指标 %(item)s 不存在。")
                % {"record": record, "item": e["item"]},
            )
        if self.year is not None and not e["date"].startswith(f"{self.year:04d}-"):
            add(
                (3, i),
                gettext("%(record)s：日期 %(date)s 不在 %(year)s 年度内。")
                % {"record": record, "date": e["date"], "year": self.year},
            )
        points = None
        if "points" in e:
            try:
                value = _decimal(e["points"])
            except ValueError:
                add(
                    (3, i),
                    gettext("%(record)s：分值 %(value)s 不是十进制数。")
                    % {"record": record, "value": shown(e["points"])},
                )
            else:
                points = str(value)
                if value < 0:
                    add((3, i), gettext("%(record)s：分值不能为负数。") % {"record": record})
                elif not _fits(value):
                    add(
                        (3, i),
                        gettext("%(record)s：分值 %(value)s 须小于 10^8，且最多 4 位小数。")
                        % {"record": record, "value": shown(e["points"])},
                    )
        elif e["item"] in self.item_points and not _fits(
            self.item_points[e["item"]] * min(occurrences, MAX_INT + 1)
        ):
            add(
                (3, i),
                gettext("%(record)s：次数 %(n)s 过多，分值超出范围。")
                % {"record": record, "n": occurrences},
            )
        if occurrences > MAX_INT:
            add(
                (3, i),
                gettext("%(record)s：次数最多为 %(max)s。") % {"record": record, "max": MAX_INT},
            )
        self.loader.add(
            "kp_stage_entry",
            (
                i,
                e["id"],
                e["member"],
                e["item"],
                e["date"],
                min(occurrences, MAX_INT),
                points,
                e.get("note", ""),
                e.get("reverses"),
            ),
        )

    def _stage_votes(self, i: int, v: dict) -> None:
        counts = [v["tally"].get(option, 0) for option in BALLOT_OPTION_NAMES]
        if max(counts) > MAX_INT:
            self.errors.add(
                (5, i),
                gettext("%(record)s：票数最多为 %(max)s。")
                % {"record": _record("votes", i, v, "member"), "max": MAX_INT},
            )
            counts = [min(c, MAX_INT) for c in counts]
        self.loader.add("kp_stage_vote", (i, v["member"], *counts))

    def _stage_history(self, i: int, h: dict) -> None:
        if not 0 < h["year"] <= MAX_YEAR:
            self.errors.add(
                (6, i),
                gettext("%(record)s：年份 %(year)s 无效。")
                % {"record": _record("history", i, h, "member"), "year": h["year"]},
            )
            return
        self.loader.add("kp_stage_history", (i, h["member"], h["year"], h["grade"]))

    def _stage_decisions(self, i: int, d: dict) -> None:
        excellent = d.get("excellent")
        self.loader.add(
            "kp_stage_decision",
            (i, d["member"], None if excellent is None else int(excellent), d.get("note", "")),
        )

    def _check_scheme(self) -> None:
        add = self.errors.add
        year, scheme = self.top["year"], self.top["scheme"]
        for code, n in Counter(i["code"] for i in scheme["items"]).items():
            if n > 1:
                add((0,), _repeated(f"scheme.items (code {code})", code, n))
        existing = self.existing_scheme
        if existing is not None and existing.is_final:
            add((0,), gettext("%(year)s 年度：结果已定格，数据包不能再更改。") % {"year": year})
        if existing is not None:
            items_with_entries = dict(
                SchemeItem.objects.filter(scheme=existing, entries__isnull=False)
                .values_list("code", "kind")
                .distinct()
            )
            for i, item in enumerate(scheme["items"]):
                old_kind = items_with_entries.get(item["code"])
                if old_kind and old_kind != item["kind"]:
                    add(
                        (0,),
                        gettext("%(record)s：该指标已有记分，类别不能从 %(old)s 改为 %(new)s。")
                        % {
                            "record": _record("scheme.items", i, item, "code"),
                            "old": old_kind,
                            "new": item["kind"],
                        },
                    )
        for name in SCHEME_SETTINGS:
            if name in scheme and _decimal(scheme[name]) < 0:
                add((0,), gettext("%(record)s：不能为负数。") % {"record": f"scheme.{name}"})
        for name in ("democratic_share", "excellent_quota"):
            if name in scheme and _decimal(scheme[name]) > 1:
                add((0,), gettext("%(record)s：须在 0 到 1 之间。") % {"record": f"scheme.{name}"})
        for i, item in enumerate(scheme["items"]):
            if _decimal(item["points"]) < 0:
                add(
                    (0,),
                    gettext("%(record)s：分值不能为负数。")
                    % {"record": _record("scheme.items", i, item, "code")},
                )

    def _check_organizations(self) -> None:
        add = self.errors.add
        organizations = self.top["organizations"]
        orgs = {o["code"]: o for o in organizations}
        for code, n in Counter(o["code"] for o in organizations).items():
            if n > 1:
                add((1,), _repeated(f"organizations (code {code})", code, n))
        db_orgs = dict(Organization.objects.values_list("code", "kind"))
        self.org_kinds = db_orgs | {c: o["kind"] for c, o in orgs.items()}
        for i, org in enumerate(organizations):
            label = _record("organizations", i, org, "code")
            parent = org.get("parent")
            if parent is None and org["kind"] != "committee":
                add((1,), gettext("%(record)s：只有委员会可以没有上级组织。") % {"record": label})
            elif parent is not None and parent not in self.org_kinds:
                add(
                    (1,),
                    gettext("%(record)s：上级组织 %(parent)s 不存在。")
                    % {"record": label, "parent": parent},
                )
            elif parent is not None and self.org_kinds[parent] == "branch":
                add(
                    (1,),
                    gettext("%(record)s：上级组织 %(parent)s 是党支部，不能下设组织。")
                    % {"record": label, "parent": parent},
                )
        # A parent chain that loops never reaches a root.
        for code in orgs:
            seen, cur = set(), code
            while cur in orgs and orgs[cur].get("parent") is not None:
                if cur in seen:
                    add(
                        (1,),
                        gettext("%(record)s：上级组织链形成循环。")
                        % {"record": f"organizations (code {code})"},
                    )
                    break
                seen.add(cur)
                cur = orgs[cur]["parent"]

    def _check_members(self) -> None:
        add = self.errors.add
        for code, n in _query(
            "SELECT code, COUNT(*) FROM kp_stage_member GROUP BY code HAVING COUNT(*) > 1 "
            "ORDER BY MIN(idx)"
        ):
            add((2, -1), _repeated(f"members (id {code})", code, n))
        kinds = self.org_kinds
        for idx, code, branch, exemptions in stream_rows(
            "SELECT idx, code, branch, exemptions FROM kp_stage_member ORDER BY idx"
        ):
            label = f"members[{idx}] (id {code})"
            if branch not in kinds:
                add(
                    (2, idx),
                    gettext("%(record)s：党支部 %(branch)s 不存在。")
                    % {"record": label, "branch": branch},
                )
            elif kinds[branch] != "branch":
                add(
                    (2, idx),
                    gettext("%(record)s：%(branch)s 不是党支部，只有党支部才有党员。")
                    % {"record": label, "branch": branch},
                )
            for j, ex in enumerate(json.loads(exemptions) if exemptions else []):
                if ex["item"] not in self.item_points:
                    add(
                        (2, idx),
                        gettext("%(record)s：指标 %(item)s 不存在。")
                        % {"record": f"{label}.exemptions[{j}]", "item": ex["item"]},
                    )

    def _check_entries(self) -> None:
        add = self.errors.add
        for code, n in _query(
            "SELECT code, COUNT(*) FROM kp_stage_entry GROUP BY code HAVING COUNT(*) > 1 "
            "ORDER BY MIN(idx)"
        ):
            add((3, -1), _repeated(f"entries (id {code})", code, n))
        for idx, code, member in _query(
            _UNKNOWN_MEMBER.format(table="kp_stage_entry", ident="code")
        ):
            add(
                (3, idx),
                gettext("%(record)s：党员 %(member)s 不存在。")
                % {"record": f"entries[{idx}] (id {code})", "member": member},
            )
        self._check_reversals()
        closed = self._closed_branches
        if closed:
            for idx, code, branch in _query(
                _IN_CLOSED_BRANCH.format(
                    table="kp_stage_entry",
                    ident="code",
                    new=" AND NOT EXISTS (SELECT 1 FROM ledger_scoreentry x WHERE x.code = s.code)",
                    marks=", ".join(["%s"] * len(closed)),
                ),
                closed,
            ):
                add(
                    (3, idx),
                    gettext(
                        "%(record)s：党支部 %(branch)s 的 %(year)s 年度结果已定格，不能再增加记分。"
                    )
                    % {
                        "record": f"entries[{idx}] (id {code})",
                        "branch": branch,
                        "year": self.year,
                    },
                )

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
            for idx, member, _ in _query(_UNKNOWN_MEMBER.format(table=table, ident="member")):
                add(
                    (rank, idx),
                    gettext("%(record)s：党员 %(member)s 不存在。")
                    % {"record": f"{section}[{idx}] (member {member})", "member": member},
                )
        for member, n in _query(
            "SELECT member, COUNT(*) FROM kp_stage_vote GROUP BY member HAVING COUNT(*) > 1 "
            "ORDER BY MIN(idx)"
        ):
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
                for idx, member, branch in _query(
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

    # ------------------------------------------------------------------ writing

    def write(self) -> ImportSummary:
        actor, year = self.actor, self.top["year"]
        summary = ImportSummary(year=year)
        scheme, items = self._write_scheme()
        summary.organizations = self._write_organizations()
        branches = {
            o.code: o
            for o in Organization.objects.filter(
                kind=Organization.Kind.BRANCH,
                code__in=[c for (c,) in _query("SELECT DISTINCT branch FROM kp_stage_member")],
            )
        }
        summary.members = members_import(
            actor=actor,
            rows=(
                MemberRow(
                    code=code,
                    name=name,
                    branch=branches[branch],
                    status=status,
                    membership=membership,
                )
                for code, name, branch, status, membership in stream_rows(
                    "SELECT code, name, branch, status, membership FROM kp_stage_member "
                    "ORDER BY idx"
                )
            ),
        )
        for code, exemptions in _query(
            "SELECT code, exemptions FROM kp_stage_member WHERE exemptions IS NOT NULL ORDER BY idx"
        ):
            self._write_exemptions(Member.objects.get(code=code), json.loads(exemptions))

        def entries() -> Any:
            for (
                code,
                member_id,
                member,
                branch,
                item,
                date,
                occurrences,
                points,
                note,
                reverses,
            ) in stream_rows(_NEW_ENTRIES):
                item_id, item_points = items[item]
                yield ImportedEntry(
                    code=code,
                    member_id=member_id,
                    member_code=member,
                    branch_code=branch,
                    item_id=item_id,
                    item_code=item,
                    date=datetime.date.fromisoformat(date),
                    occurrences=occurrences,
                    points=Decimal(points) if points is not None else item_points * occurrences,
                    note=note,
                    reverses_code=reverses,
                )

        summary.entries_added = entries_import(
            actor=actor, year=year, rows=entries(), rows_are_new=True
        )
        summary.entries_skipped = self.counts["entries"] - summary.entries_added
        summary.votes = tallies_import(
            actor=actor,
            year=year,
            rows=(
                (member, dict(zip(BALLOT_OPTION_NAMES, counts, strict=True)))
                for member, *counts in stream_rows(
                    "SELECT member, excellent, qualified, basic, unqualified "
                    "FROM kp_stage_vote ORDER BY idx"
                )
            ),
        )
        summary.history = grade_records_import(
            actor=actor,
            rows=stream_rows("SELECT member, year, grade FROM kp_stage_history ORDER BY idx"),
        )
        quota_decisions_import(
            actor=actor,
            year=year,
            rows=(
                (member, bool(excellent), note)
                for member, excellent, note in stream_rows(
                    "SELECT member, excellent, note FROM kp_stage_decision "
                    "WHERE excellent IS NOT NULL ORDER BY idx"
                )
            ),
        )
        summary.decisions = self.counts["decisions"]
        staging.drop()
        return summary

    def _write_scheme(self) -> tuple[Scheme, dict[str, tuple[int, Decimal]]]:
        actor, year, scheme_data = self.actor, self.top["year"], self.top["scheme"]
        scheme = self.existing_scheme or scheme_create(
            actor=actor, year=year, with_template_items=False
        )
        settings: dict[str, Any] = {
            k: _decimal(scheme_data[k]) for k in SCHEME_SETTINGS if k in scheme_data
        }
        for name in ("quota_rounding", "ballot_options"):
            if name in scheme_data:
                settings[name] = scheme_data[name]
        if settings:
            scheme = _labelled("scheme", scheme_update, actor=actor, scheme=scheme, **settings)
        for i, row in enumerate(scheme_data["items"]):
            _labelled(
                _record("scheme.items", i, row, "code"),
                scheme_item_upsert,
                actor=actor,
                scheme=scheme,
                code=row["code"],
                kind=row["kind"],
                name=row["name"],
                points=_decimal(row["points"]),
                group=row.get("group", ""),
                disqualifies=row.get("disqualifies", False),
                categories=row.get("categories") or [],
            )
        items = {
            code: (pk, points)
            for code, pk, points in SchemeItem.objects.filter(scheme=scheme).values_list(
                "code", "id", "points"
            )
        }
        return scheme, items

    def _write_organizations(self) -> int:
        return organizations_import(
            actor=self.actor,
            rows=[
                OrganizationRow(
                    code=o["code"],
                    name=o["name"],
                    kind=o["kind"],
                    parent=o.get("parent"),
                    category=o.get("category", Organization.Category.IN_SERVICE),
                )
                for o in self.top["organizations"]
            ],
        )

    def _write_exemptions(self, member: Member, exemptions: list[dict]) -> None:
        wanted = {ex["item"]: ex.get("reason", "") for ex in exemptions}
        current = dict(
            ItemExemption.objects.filter(member=member).values_list("item_code", "reason")
        )
        if wanted == current:
            return
        ItemExemption.objects.filter(member=member).exclude(item_code__in=wanted).delete()
        for code, reason in wanted.items():
            ItemExemption.objects.update_or_create(
                member=member, item_code=code, defaults={"reason": reason}
            )
        audit_record(
            actor=self.actor,
            action="exemptions.import",
            target=member,
            before=current,
            after=wanted,
        )


def _labelled(label: str, service: Any, **kwargs: Any) -> Any:
    try:
        return service(**kwargs)
    except ValidationError as exc:
        raise ValidationError(f"{label}: {_validation_text(exc)}") from exc


def _query(sql: str, params: Any = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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

# The entries to append: members as the bundle left them, plain entries before
# reversals, file order within each chain (year and branch). Grouped by chain, the rows
# reach the ledger's indexes in runs (member, chain position): about a fifth less work
# for PostgreSQL than the file's order.
_NEW_ENTRIES = """
SELECT s.code, m.id, s.member, o.code, s.item, s.date, s.occurrences, s.points, s.note, s.reverses
FROM kp_stage_entry s
JOIN orgs_member m ON m.code = s.member
JOIN orgs_organization o ON o.id = m.branch_id
WHERE NOT EXISTS (SELECT 1 FROM ledger_scoreentry x WHERE x.code = s.code)
ORDER BY CASE WHEN s.reverses IS NULL THEN 0 ELSE 1 END, o.code, s.idx
"""
