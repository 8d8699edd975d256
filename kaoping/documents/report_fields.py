"""What the branch's annual report (支部年度考评报告) is filled from: the figures of the
branch's dashboard as tables, for its officers and the committee (through the same
selector as the dashboard and its print page)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.dashboards.printing import branch_report_page
from kaoping.kit.decimals import score_text
from kaoping.scoring.models import Grade


def _grade(value) -> str:
    return str(Grade(value).label) if value in Grade.values else str(value or "")


def _score(value) -> str:
    return "—" if value is None else score_text(value)


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def annual_report_page(*, actor: Actor, code: str, year: int) -> dict:
    """The print page's context (the 404s of the dashboard: officers and committee)."""
    return branch_report_page(actor=actor, code=code, year=year)


def annual_report_fields(page: dict) -> dict[str, object]:
    """The report's fields from ``annual_report_page``'s context."""
    branch, data, year = page["branch"], page["data"], page["scheme"].year
    publication = data.get("publication")
    ranking = [
        {
            "rank": row["result"].rank if row["result"].rank is not None else "—",
            "name": row["member"].name if row["member"] else row["result"].member,
            "deductions": _score(row["result"].deductions),
            "bonus": _score(row["result"].bonus),
            "daily": _score(row["result"].daily),
            "democratic": (
                _score(row["result"].democratic)
                if row["result"].democratic_pct is not None
                else "—"
            ),
            "composite": _score(row["result"].composite),
            "grade": _grade(row["result"].grade),
        }
        for row in data.get("ranking", [])
    ]
    deductions = data.get("deductions") or {"items": [], "total": 0}
    return {
        "organization": branch.parent.name if branch.parent is not None else "",
        "branch": branch.name,
        "year": year,
        "status": (
            _("%(day)s 公示") % {"day": timezone.localtime(publication.published_at).date()}
            if publication is not None
            else _("实时结果，尚未公示")
        ),
        "members_count": data.get("members_count", 0),
        "ranked_count": len(ranking),
        "deductions_total": _score(deductions["total"]),
        "grades": "、".join(
            _("%(grade)s %(n)s 人") % {"grade": _grade(grade), "n": n}
            for grade, n in data.get("grade_counts", [])
        ),
        "ranking": ranking,
        "deduction_items": [
            {"item": f"{item['code']} {item['name']}", "total": _score(item["total"])}
            for item in deductions["items"]
        ],
        "attendance": [
            {
                "month": _("%(month)s月") % {"month": row["month"]},
                "total": row["total"],
                "present": row.get("present", 0),
                "leave": row.get("leave", 0),
                "absent": row.get("absent", 0),
                "rate": _rate(row.get("rate")),
            }
            for row in data.get("attendance", [])
            if row.get("total")
        ],
        "dues": [
            {
                "month": _("%(month)s月") % {"month": row["month"]},
                "due": row["tally"].due,
                "paid": row["tally"].paid,
                "late": row["tally"].late,
                "short": row["tally"].short,
                "unpaid": row["tally"].unpaid,
                "rate": _rate(row["tally"].rate),
            }
            for row in data.get("dues", [])
        ],
        "generated_on": timezone.localdate().isoformat(),
    }
