"""The writes of a bundle import, once ``checks.BundleCheck`` has passed it: the scheme,
organisations, members and their exemptions, the new entries, votes, history and quota
decisions, each through its app's service, in the caller's transaction."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from kaoping.evaluation.services import quota_decisions_import, tallies_import
from kaoping.kit.bulk import stream_rows
from kaoping.ledger.services import ImportedEntry, entries_import
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.services import (
    MemberRow,
    OrganizationRow,
    members_import,
    organizations_import,
)
from kaoping.schemes.models import BALLOT_OPTION_NAMES, Scheme, SchemeItem
from kaoping.schemes.services import (
    exemptions_import,
    scheme_create,
    scheme_item_upsert,
    scheme_update,
)
from kaoping.scoring.services import grade_records_import

from . import staging
from .across import query
from .checks import OTHER_SCHEME_SETTINGS, SCHEME_SETTINGS, BundleCheck
from .errors import decimal_value, record_label, validation_text


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


def bundle_write(check: BundleCheck) -> ImportSummary:
    """Store a checked bundle."""
    return _Writer(check).write()


class _Writer:
    def __init__(self, check: BundleCheck):
        self.actor = check.actor
        self.top = check.top
        self.counts = check.counts
        self.existing_scheme = check.existing_scheme

    def write(self) -> ImportSummary:
        actor, year = self.actor, self.top["year"]
        summary = ImportSummary(year=year)
        scheme, items = self._write_scheme()
        summary.organizations = self._write_organizations()
        branches = {
            o.code: o
            for o in Organization.objects.filter(
                kind=Organization.Kind.BRANCH,
                code__in=[c for (c,) in query("SELECT DISTINCT branch FROM kp_stage_member")],
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
        for code, exemptions in query(
            "SELECT code, exemptions FROM kp_stage_member WHERE exemptions IS NOT NULL ORDER BY idx"
        ):
            self._write_exemptions(Member.objects.get(code=code), json.loads(exemptions))

        def entries():
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
            k: decimal_value(scheme_data[k]) for k in SCHEME_SETTINGS if k in scheme_data
        }
        for name in OTHER_SCHEME_SETTINGS:
            if name in scheme_data:
                settings[name] = scheme_data[name]
        if settings:
            scheme = _labelled("scheme", scheme_update, actor=actor, scheme=scheme, **settings)
        for i, row in enumerate(scheme_data["items"]):
            _labelled(
                record_label("scheme.items", i, row, "code"),
                scheme_item_upsert,
                actor=actor,
                scheme=scheme,
                code=row["code"],
                kind=row["kind"],
                name=row["name"],
                points=decimal_value(row["points"]),
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
        exemptions_import(actor=self.actor, member=member, wanted=wanted)


def _labelled(label: str, service, **kwargs):
    try:
        return service(**kwargs)
    except ValidationError as exc:
        raise ValidationError(f"{label}: {validation_text(exc)}") from exc


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
