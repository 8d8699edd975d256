"""Import of a year bundle (bundle.md): validate everything first, then write everything
in one transaction. A bad bundle is refused whole with messages naming each bad record."""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError
from django.db import transaction

from kaoping.audit.services import audit_record
from kaoping.evaluation.services import quota_decision_record, tally_set
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import ImportedEntry, entries_import
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.services import member_upsert, organization_upsert
from kaoping.schemes.models import ItemExemption, Scheme, SchemeItem
from kaoping.schemes.services import scheme_create, scheme_item_upsert, scheme_update
from kaoping.scoring.services import grade_record_set

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


class BundleError(Exception):
    """A refused bundle; ``errors`` name each offending record and field."""

    def __init__(self, errors: list[str]):
        self.errors = errors[:MAX_MESSAGES]
        more = len(errors) - len(self.errors)
        super().__init__("\n".join(self.errors + ([f"… and {more} more"] if more > 0 else [])))


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


@cache
def bundle_schema() -> dict:
    return json.loads((Path(__file__).with_name("bundle.schema.json")).read_text(encoding="utf-8"))


def _label(data: Any, path: list) -> str:
    """``entries[17] (id E000123)`` for a JSON path into the bundle."""
    parts: list[str] = []
    node = data
    ident = ""
    for step in path:
        if isinstance(step, int):
            parts[-1] = f"{parts[-1]}[{step}]" if parts else f"[{step}]"
        else:
            parts.append(str(step))
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            for key in ("id", "code", "member"):
                if isinstance(node.get(key), str | int):
                    ident = f" ({key} {node[key]})"
                    break
    return ".".join(parts) + ident if parts else "bundle"


def _record(kind: str, index: int, row: dict, key: str = "id") -> str:
    return f"{kind}[{index}] ({key} {row.get(key)})"


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a decimal number") from exc


def _validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.schema == bundle_schema()["$defs"]["decimal"]:
        return f'{error.instance!r} is not a decimal number (write it as a string such as "0.5")'
    return error.message


def bundle_validate(data: Any) -> list[str]:
    """Every problem of the bundle, as messages naming the record; empty when it is good."""
    validator = jsonschema.Draft202012Validator(
        bundle_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [
        f"{_label(data, list(e.absolute_path))}: {_schema_message(e)}"
        for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if errors:
        return errors
    year = data["year"]
    scheme = data["scheme"]
    items = {i["code"]: i for i in scheme["items"]}
    for code, n in Counter(i["code"] for i in scheme["items"]).items():
        if n > 1:
            errors.append(f"scheme.items (code {code}): the code appears {n} times")
    existing_scheme = Scheme.objects.filter(year=year).first()
    if existing_scheme is not None and existing_scheme.is_final:
        errors.append(f"year {year}: the results are final; a bundle cannot change them")
    if existing_scheme is not None:
        items_with_entries = dict(
            SchemeItem.objects.filter(scheme=existing_scheme, entries__isnull=False)
            .values_list("code", "kind")
            .distinct()
        )
        for i, item in enumerate(scheme["items"]):
            old_kind = items_with_entries.get(item["code"])
            if old_kind and old_kind != item["kind"]:
                errors.append(
                    f"{_record('scheme.items', i, item, 'code')}: kind cannot change from "
                    f"{old_kind} to {item['kind']}, the item already has entries"
                )
    known_items = set(items) | set(
        SchemeItem.objects.filter(scheme=existing_scheme).values_list("code", flat=True)
        if existing_scheme
        else ()
    )
    for name in SCHEME_SETTINGS:
        if name in scheme:
            value = _decimal(scheme[name])
            if value < 0:
                errors.append(f"scheme.{name}: must not be negative")
    for name in ("democratic_share", "excellent_quota"):
        if name in scheme and _decimal(scheme[name]) > 1:
            errors.append(f"scheme.{name}: must be between 0 and 1")
    for i, item in enumerate(scheme["items"]):
        if _decimal(item["points"]) < 0:
            errors.append(
                f"{_record('scheme.items', i, item, 'code')}: points must not be negative"
            )

    orgs = {o["code"]: o for o in data["organizations"]}
    for code, n in Counter(o["code"] for o in data["organizations"]).items():
        if n > 1:
            errors.append(f"organizations (code {code}): the code appears {n} times")
    db_orgs = dict(Organization.objects.values_list("code", "kind"))
    org_kinds = db_orgs | {c: o["kind"] for c, o in orgs.items()}
    for i, org in enumerate(data["organizations"]):
        label = _record("organizations", i, org, "code")
        parent = org.get("parent")
        if parent is None and org["kind"] != "committee":
            errors.append(f"{label}: only a committee may have no parent")
        elif parent is not None and parent not in org_kinds:
            errors.append(f"{label}: unknown parent organization {parent}")
        elif parent is not None and org_kinds[parent] == "branch":
            errors.append(f"{label}: parent {parent} is a branch and cannot hold organizations")
    # A parent chain that loops never reaches a root.
    for code in orgs:
        seen, cur = set(), code
        while cur in orgs and orgs[cur].get("parent") is not None:
            if cur in seen:
                errors.append(f"organizations (code {code}): the parent chain loops")
                break
            seen.add(cur)
            cur = orgs[cur]["parent"]

    members = {m["id"]: m for m in data["members"]}
    for code, n in Counter(m["id"] for m in data["members"]).items():
        if n > 1:
            errors.append(f"members (id {code}): the id appears {n} times")
    for i, m in enumerate(data["members"]):
        label = _record("members", i, m)
        if m["branch"] not in org_kinds:
            errors.append(f"{label}: unknown branch {m['branch']}")
        elif org_kinds[m["branch"]] != "branch":
            errors.append(f"{label}: {m['branch']} is not a branch; only branches hold members")
        for j, ex in enumerate(m.get("exemptions", [])):
            if ex["item"] not in known_items:
                errors.append(f"{label}.exemptions[{j}]: unknown item {ex['item']}")
    known_members = set(members) | set(Member.objects.values_list("code", flat=True))

    entries = data.get("entries", [])
    for code, n in Counter(e["id"] for e in entries).items():
        if n > 1:
            errors.append(f"entries (id {code}): the id appears {n} times")
    in_bundle = {e["id"]: e for e in entries}
    in_db = {
        code: (rev is not None)
        for code, rev in ScoreEntry.objects.filter(
            code__in=list(in_bundle) + [e["reverses"] for e in entries if "reverses" in e]
        ).values_list("code", "reverses_id")
    }
    reversed_in_db = dict(
        ScoreEntry.objects.filter(
            reverses__code__in=[e["reverses"] for e in entries if "reverses" in e]
        ).values_list("reverses__code", "code")
    )
    reversed_by: dict[str, str] = {}
    for i, e in enumerate(entries):
        label = _record("entries", i, e)
        if e["member"] not in known_members:
            errors.append(f"{label}: unknown member {e['member']}")
        if e["item"] not in known_items:
            errors.append(f"{label}: unknown item {e['item']}")
        try:
            if datetime.date.fromisoformat(e["date"]).year != year:
                errors.append(f"{label}: date {e['date']} is outside the year {year}")
        except ValueError:
            errors.append(f"{label}: date {e['date']!r} is not a date (YYYY-MM-DD)")
        if "points" in e:
            try:
                if _decimal(e["points"]) < 0:
                    errors.append(f"{label}: points must not be negative")
            except ValueError as exc:
                errors.append(f"{label}: points {exc}")
        target = e.get("reverses")
        if target is None or e["id"] in in_db:
            continue
        if target == e["id"]:
            errors.append(f"{label}: an entry cannot reverse itself")
        elif target not in in_bundle and target not in in_db:
            errors.append(f"{label}: reverses unknown entry {target}")
        elif (target in in_bundle and "reverses" in in_bundle[target]) or in_db.get(target):
            errors.append(f"{label}: reverses {target}, which is itself a reversal")
        elif target in reversed_by or target in reversed_in_db:
            errors.append(
                f"{label}: reverses {target}, which is already reversed by "
                f"{reversed_by.get(target) or reversed_in_db[target]}"
            )
        else:
            reversed_by[target] = e["id"]
            if (
                target in in_bundle
                and in_bundle[target]["member"] != e["member"]
                and target not in in_db
            ):
                errors.append(f"{label}: reverses {target}, an entry of another member")

    for kind, key in (("votes", "member"), ("history", "member"), ("decisions", "member")):
        for i, row in enumerate(data.get(kind, [])):
            if row[key] not in known_members:
                errors.append(f"{_record(kind, i, row, key)}: unknown member {row[key]}")
    for code, n in Counter(v["member"] for v in data.get("votes", [])).items():
        if n > 1:
            errors.append(f"votes (member {code}): the member has {n} tallies")
    return errors


def bundle_import(*, actor, data: Any) -> ImportSummary:
    """Import a parsed bundle, all or nothing; raises ``BundleError`` and stores nothing
    when anything is wrong. Existing organisations and members are updated; entries whose
    id is already in the ledger are skipped; importing the same bundle twice changes nothing."""
    errors = bundle_validate(data)
    if errors:
        raise BundleError(errors)
    try:
        with transaction.atomic():
            return _write(actor, data)
    except ValidationError as exc:  # a model invariant the checks above did not foresee
        raise BundleError([_validation_text(exc)]) from exc


def _write(actor, data: dict) -> ImportSummary:
    year = data["year"]
    summary = ImportSummary(year=year)
    scheme_data = data["scheme"]
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is None:
        scheme = scheme_create(actor=actor, year=year, with_template_items=False)
    settings: dict[str, Any] = {
        k: _decimal(scheme_data[k]) for k in SCHEME_SETTINGS if k in scheme_data
    }
    if "quota_rounding" in scheme_data:
        settings["quota_rounding"] = scheme_data["quota_rounding"]
    if "ballot_options" in scheme_data:
        settings["ballot_options"] = scheme_data["ballot_options"]
    if settings:
        scheme = _labelled("scheme", scheme_update, actor=actor, scheme=scheme, **settings)
    items: dict[str, SchemeItem] = {}
    for i, row in enumerate(scheme_data["items"]):
        items[row["code"]] = _labelled(
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
    items |= {i.code: i for i in SchemeItem.objects.filter(scheme=scheme).exclude(code__in=items)}

    orgs = {o["code"]: o for o in data["organizations"]}
    done: dict[str, Organization] = {}

    def ensure(code: str) -> Organization:
        if code in done:
            return done[code]
        if code not in orgs:
            return Organization.objects.get(code=code)
        row = orgs[code]
        parent = ensure(row["parent"]) if row.get("parent") else None
        done[code] = _labelled(
            f"organizations (code {code})",
            organization_upsert,
            actor=actor,
            code=code,
            name=row["name"],
            kind=row["kind"],
            parent=parent,
            category=row.get("category", "in_service"),
        )
        return done[code]

    for code in orgs:
        ensure(code)
    summary.organizations = len(orgs)
    branches = {o.code: o for o in Organization.objects.filter(kind="branch")}
    for i, row in enumerate(data["members"]):
        member = _labelled(
            _record("members", i, row),
            member_upsert,
            actor=actor,
            code=row["id"],
            name=row["name"],
            branch=branches[row["branch"]],
            status=row.get("status", "active"),
            membership=row.get("membership", "full"),
        )
        if "exemptions" in row:
            wanted = {ex["item"]: ex.get("reason", "") for ex in row["exemptions"]}
            current = dict(
                ItemExemption.objects.filter(member=member).values_list("item_code", "reason")
            )
            if wanted != current:
                ItemExemption.objects.filter(member=member).exclude(item_code__in=wanted).delete()
                for code, reason in wanted.items():
                    ItemExemption.objects.update_or_create(
                        member=member, item_code=code, defaults={"reason": reason}
                    )
                audit_record(
                    actor=actor,
                    action="exemptions.import",
                    target=member,
                    before=current,
                    after=wanted,
                )
    summary.members = len(data["members"])
    member_rows = {
        code: (pk, branch)
        for code, pk, branch in Member.objects.values_list("code", "id", "branch__code")
    }

    rows = [
        ImportedEntry(
            code=e["id"],
            member_id=member_rows[e["member"]][0],
            member_code=e["member"],
            branch_code=member_rows[e["member"]][1],
            item_id=items[e["item"]].pk,
            item_code=e["item"],
            date=datetime.date.fromisoformat(e["date"]),
            occurrences=e.get("occurrences", 1),
            points=_decimal(e["points"])
            if "points" in e
            else items[e["item"]].points * e.get("occurrences", 1),
            note=e.get("note", ""),
            reverses_code=e.get("reverses"),
        )
        for e in data.get("entries", [])
    ]
    summary.entries_added = entries_import(actor=actor, year=year, rows=rows)
    summary.entries_skipped = len(rows) - summary.entries_added

    members = {
        m.code: m
        for m in Member.objects.filter(
            code__in={
                r["member"] for k in ("votes", "history", "decisions") for r in data.get(k, [])
            }
        ).select_related("branch")
    }
    for row in data.get("votes", []):
        member = members[row["member"]]
        counts = {
            option: row["tally"].get(option, 0)
            for option in ("excellent", "qualified", "basic", "unqualified")
        }
        tally_set(actor=actor, year=year, member=member, counts=counts)
    summary.votes = len(data.get("votes", []))
    for row in data.get("history", []):
        grade_record_set(
            actor=actor, member=members[row["member"]], year=row["year"], grade=row["grade"]
        )
    summary.history = len(data.get("history", []))
    for row in data.get("decisions", []):
        if "excellent" in row:
            quota_decision_record(
                actor=actor,
                year=year,
                member=members[row["member"]],
                excellent=row["excellent"],
                note=row.get("note", ""),
            )
    summary.decisions = len(data.get("decisions", []))
    return summary


def _labelled(label: str, service, **kwargs):
    try:
        return service(**kwargs)
    except ValidationError as exc:
        raise ValidationError(f"{label}: {_validation_text(exc)}") from exc
