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
