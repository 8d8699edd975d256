"""Writes of results: compute a year through the engine and store it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.audit.services import audit_record
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import Scheme

from .engine import compute_year
from .models import GradeRecord, MemberResult
from .selectors import year_input

BRANCH_BATCH = 20  # organisations computed per engine run when a whole year is recomputed


def results_compute(*, actor, year: int, progress=None) -> int:
    """Compute (or recompute) every member's result of ``year`` and store it; returns the
    number of result rows. Results are derived: they are replaced wholesale each time.

    The engine runs over batches of branches (ranks and the quota are per branch, so this
    is exact), telling ``progress(done, total, message)`` after each batch; the results
    are then stored in one short transaction."""
    if actor is not None and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied("only a committee admin can compute the whole year")
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is None:
        raise ValidationError({"year": f"there is no scheme for {year}"})
    holders = list(Organization.objects.filter(members__isnull=False).distinct().order_by("path"))
    batches = [holders[i : i + BRANCH_BATCH] for i in range(0, len(holders), BRANCH_BATCH)]
    results = []
    for number, batch in enumerate(batches, start=1):
        results += compute_year(year_input(scheme=scheme, branches=batch))
        if progress is not None:
            progress(
                number,
                len(batches),
                _("%(first)s–%(last)s：已计算 %(n)s 名党员")
                % {"first": batch[0].code, "last": batch[-1].code, "n": len(results)},
            )
    with transaction.atomic():
        return _results_store(actor, scheme, results)


def _results_store(actor, scheme: Scheme, results) -> int:
    year = scheme.year
    member_ids = dict(Member.objects.values_list("code", "id"))
    branch_ids = dict(Organization.objects.values_list("code", "id"))
    now = timezone.now()
    MemberResult.objects.filter(year=year).delete()
    MemberResult.objects.bulk_create(
        [
            MemberResult(
                year=year,
                member_id=member_ids[r.member],
                branch_id=branch_ids[r.branch],
                deductions=r.deductions,
                bonus=r.bonus,
                daily=r.daily,
                democratic_pct=r.democratic_pct,
                democratic=r.democratic,
                composite=r.composite,
                rank=r.rank,
                grade=str(r.grade),
                flags=list(r.flags),
                computed_at=now,
            )
            for r in results
        ],
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action="results.compute",
        target=scheme,
        after={"year": year, "members": len(results)},
    )
    return len(results)


@transaction.atomic
def grade_record_set(*, actor, member: Member, year: int, grade: str) -> GradeRecord:
    """Record a member's final grade of an earlier year (imported history)."""
    if actor is not None and not scope_for(actor).manages(member.branch.path):
        raise PermissionDenied("you cannot manage this member")
    record = GradeRecord.objects.filter(member=member, year=year).first()
    if record is not None and record.grade == grade:
        return record
    before = {"grade": record.grade} if record else None
    record, _ = GradeRecord.objects.update_or_create(
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


@transaction.atomic
def branch_results_store(*, actor, scheme: Scheme, branch: Organization) -> int:
    """Compute one branch's results through the engine and store them (replacing that
    branch's stored results of the year); used by publication (公示) and finalisation."""
    if actor is not None and not scope_for(actor).manages(branch.path):
        raise PermissionDenied("you cannot manage this branch")
    from .selectors import branch_results

    results = branch_results(scheme=scheme, branch=branch)
    member_ids = dict(Member.objects.filter(branch=branch).values_list("code", "id"))
    now = timezone.now()
    MemberResult.objects.filter(year=scheme.year, member_id__in=member_ids.values()).delete()
    MemberResult.objects.filter(year=scheme.year, branch=branch).delete()
    MemberResult.objects.bulk_create(
        [
            MemberResult(
                year=scheme.year,
                member_id=member_ids[r.member],
                branch=branch,
                deductions=r.deductions,
                bonus=r.bonus,
                daily=r.daily,
                democratic_pct=r.democratic_pct,
                democratic=r.democratic,
                composite=r.composite,
                rank=r.rank,
                grade=str(r.grade),
                flags=list(r.flags),
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
