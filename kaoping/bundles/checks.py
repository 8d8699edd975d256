"""The checks of a bundle import: the file is read record by record into temporary
staging tables (each record's shape and its own rules checked as it streams), then the
rules across records run as queries over the staging tables. Nothing is written to the
application's tables here; ``writes.py`` stores what passed."""

import json
from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from kaoping.kit.bulk import stream_rows
from kaoping.ledger.admission import UNKNOWN_ITEM, AdmissionFacts, Candidate, entries_admissible
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import (
    BALLOT_OPTION_NAMES,
    DECIMAL_SETTINGS,
    SETTING_FIELDS,
    Scheme,
    SchemeItem,
)

from . import shape, staging
from .across import _IN_CLOSED_BRANCH, _UNKNOWN_MEMBER, AcrossRecords, query, repeated
from .errors import (
    MAX_INT,
    MAX_YEAR,
    Messages,
    decimal_value,
    fits,
    record_label,
)
from .reading import BundleSource, bundle_schema
from .schema_messages import schema_check, shown

FORMAT = "kaoping.bundle/1"
# The scheme's settings a bundle carries (bundle.schema.json), decimals and the others.
_BUNDLE_SCHEME = bundle_schema()["properties"]["scheme"]["properties"]
SCHEME_SETTINGS = tuple(n for n in DECIMAL_SETTINGS if n in _BUNDLE_SCHEME)
OTHER_SCHEME_SETTINGS = tuple(
    n for n in SETTING_FIELDS if n in _BUNDLE_SCHEME and n not in DECIMAL_SETTINGS
)


def _repeated(record: str, code: str, n: int) -> str:
    return gettext("%(record)s：编号 %(code)s 出现了 %(n)s 次。") % {
        "record": record,
        "code": code,
        "n": n,
    }


class BundleCheck(AcrossRecords):
    """One import's checks: ``check`` reads the source into the staging tables and raises
    ``BundleError`` with every problem (inside the caller's transaction)."""

    def __init__(self, *, actor, source: BundleSource):
        self.actor = actor
        self.source = source
        self.schema_errors = Messages()
        self.errors = Messages()
        self.top: Any = None
        self.year: int | None = None
        self.existing_scheme: Scheme | None = None
        self.item_points: dict[str, Decimal] = {}
        self.counts: Counter[str] = Counter()
        self.loader = staging.Loader()
        self.entry_facts = AdmissionFacts()

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
        scheme: dict[str, Any] = top["scheme"] if isinstance(top.get("scheme"), dict) else {}
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
                    self.item_points[item["code"]] = decimal_value(item.get("points"))
                except ValueError:
                    self.item_points[item["code"]] = Decimal(0)
        # What ``admission`` checks a record against: the bundle's one year and the items
        # of its scheme (and the stored one); members and closed branches are checked
        # across records, over the staging tables (_check_entries).
        key = self.year or 0
        self.entry_facts = AdmissionFacts(
            schemes={key: existing.pk if existing else None},
            items={
                (key, code): SchemeItem(code=code, points=p) for code, p in self.item_points.items()
            },
        )

    def _schema_check(self, document: Any) -> None:
        if not shape.is_valid(None, document):
            schema_check(self.schema_errors, shape.validator(None), document)

    def _on_record(self, section: str, index: int, record: Any) -> None:
        self.counts[section] += 1
        if not shape.is_valid(section, record):
            at = (section, index)
            if schema_check(self.schema_errors, shape.validator(section), record, at=at):
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
        add, record = self.errors.add, record_label("entries", i, e)
        occurrences = e.get("occurrences", 1)
        (verdict,) = entries_admissible(
            [Candidate(None, e["item"], self.year or 0, None, occurrences)],
            facts=self.entry_facts,
            history=True,
        )
        if UNKNOWN_ITEM in verdict.refusals:
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
                value = decimal_value(e["points"])
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
                elif not fits(value):
                    add(
                        (3, i),
                        gettext("%(record)s：分值 %(value)s 须小于 10^8，且最多 4 位小数。")
                        % {"record": record, "value": shown(e["points"])},
                    )
        elif e["item"] in self.item_points and not fits(
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
                % {"record": record_label("votes", i, v, "member"), "max": MAX_INT},
            )
            counts = [min(c, MAX_INT) for c in counts]
        self.loader.add("kp_stage_vote", (i, v["member"], *counts))

    def _stage_history(self, i: int, h: dict) -> None:
        if not 0 < h["year"] <= MAX_YEAR:
            self.errors.add(
                (6, i),
                gettext("%(record)s：年份 %(year)s 无效。")
                % {"record": record_label("history", i, h, "member"), "year": h["year"]},
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
                            "record": record_label("scheme.items", i, item, "code"),
                            "old": old_kind,
                            "new": item["kind"],
                        },
                    )
        for name in SCHEME_SETTINGS:
            if name in scheme and decimal_value(scheme[name]) < 0:
                add((0,), gettext("%(record)s：不能为负数。") % {"record": f"scheme.{name}"})
        for name in ("democratic_share", "excellent_quota"):
            if name in scheme and decimal_value(scheme[name]) > 1:
                add((0,), gettext("%(record)s：须在 0 到 1 之间。") % {"record": f"scheme.{name}"})
        for i, item in enumerate(scheme["items"]):
            if decimal_value(item["points"]) < 0:
                add(
                    (0,),
                    gettext("%(record)s：分值不能为负数。")
                    % {"record": record_label("scheme.items", i, item, "code")},
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
            label = record_label("organizations", i, org, "code")
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

    def _check_entries(self) -> None:
        add = self.errors.add
        for code, n in repeated("kp_stage_entry"):
            add((3, -1), _repeated(f"entries (id {code})", code, n))
        for idx, code, member in query(
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
            for idx, code, branch in query(
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

    def _check_members(self) -> None:
        add = self.errors.add
        for code, n in repeated("kp_stage_member"):
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
