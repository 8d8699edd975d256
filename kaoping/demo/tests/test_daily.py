from io import StringIO

from django.core.management import call_command

from kaoping.claims.models import BonusClaim
from kaoping.dues.models import DuesClosing, DuesPayment
from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.models import LeaveRequest, Meeting

YEAR = 2026


def test_demo_has_daily_management_that_adds_no_entries(db):
    call_command("demo", year=YEAR, stdout=StringIO())
    assert Meeting.objects.filter(status="closed").count() >= 12 * 6
    assert Meeting.objects.filter(status="open").count() == 12
    assert LeaveRequest.objects.filter(status="pending").count() == 12
    assert LeaveRequest.objects.filter(status="approved").exists()
    assert DuesPayment.objects.count() > 1000 and DuesClosing.objects.exists()
    assert BonusClaim.objects.filter(status="pending").exists()
    assert BonusClaim.objects.filter(status="refused").exists()
    assert not ScoreEntry.objects.exclude(source="bundle").exists()
    counts = (Meeting.objects.count(), DuesPayment.objects.count(), BonusClaim.objects.count())
    call_command("demo", year=YEAR, stdout=StringIO())
    assert counts == (
        Meeting.objects.count(),
        DuesPayment.objects.count(),
        BonusClaim.objects.count(),
    )


def test_demo_has_tasks_and_an_inspection_register(db):
    from kaoping.inspections.models import Inspection, SupervisionGroup
    from kaoping.tasks.models import Task

    call_command("demo", "--year", "2026", stdout=StringIO())
    tasks, inspections = Task.objects.count(), Inspection.objects.count()
    assert tasks >= 20 and inspections == 2 and SupervisionGroup.objects.count() == 1
    call_command("demo", "--year", "2026", stdout=StringIO())
    assert (Task.objects.count(), Inspection.objects.count()) == (tasks, inspections)


def test_demo_meetings_start_in_office_hours_and_dues_rates_vary_by_branch(db):
    """Issue 15, item 21d: no meeting at 01:02 (local time, Asia/Shanghai), and the
    branches' dues on-time rates are not all the same (they were all 91.7 %)."""
    import datetime

    from django.utils import timezone

    from kaoping.dashboards.selectors.common import _dues
    from kaoping.orgs.models import Organization

    call_command("demo", year=YEAR, stdout=StringIO())
    for starts_at in Meeting.objects.values_list("starts_at", flat=True):
        local = timezone.localtime(starts_at, timezone.get_default_timezone()).time()
        assert datetime.time(9) <= local <= datetime.time(16, 30), local
        assert local.minute in (0, 30)
    branches = list(Organization.objects.filter(kind=Organization.Kind.BRANCH))
    _, by_branch = _dues(year=YEAR, branches=branches)
    rates = {t.rate for t in by_branch.values() if t.due}
    assert len(rates) > len(by_branch) // 2, rates
    # Closing adds no entry: the months a branch has closed are paid up.
    assert not ScoreEntry.objects.exclude(source="bundle").exists()
