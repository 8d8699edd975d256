import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaoping.audit.models import AuditEvent
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record, entry_reverse
from kaoping.orgs.models import Member
from kaoping.orgs.services import member_upsert
from kaoping.schemes.services import exemption_set, scheme_item_upsert
from kaoping.scoring.selectors import live_result_of_member

DAY = datetime.date(2026, 3, 5)


def item(district, code):
    return district.scheme.items.get(code=code)


def test_entry_points_are_occurrences_times_item_points(district):
    entry = entry_record(
        actor=district.sec1,
        member=district.m1,
        item=item(district, "D06"),
        date=DAY,
        occurrences=3,
        note="三次未按时完成",
    )
    assert entry.points == Decimal("4.5")
    assert entry.recorded_by == district.sec1
    assert AuditEvent.objects.filter(action="entry.record", target_id=entry.code).exists()


def test_changed_item_value_applies_only_to_later_entries(district):
    d01 = item(district, "D01")
    first = entry_record(actor=district.sec1, member=district.m1, item=d01, date=DAY)
    scheme_item_upsert(
        actor=district.admin,
        scheme=district.scheme,
        code="D01",
        kind="deduction",
        name=d01.name,
        points=Decimal("3"),
        group=d01.group,
    )
    d01.refresh_from_db()
    second = entry_record(actor=district.sec1, member=district.m1, item=d01, date=DAY)
    first.refresh_from_db()
    assert (first.points, second.points) == (Decimal("2"), Decimal("3"))
    assert live_result_of_member(scheme=district.scheme, member=district.m1).deductions == 5


def test_reversal_cancels_entry_and_both_stay(district):
    entry = entry_record(
        actor=district.sec1, member=district.m1, item=item(district, "D01"), date=DAY
    )
    reversal = entry_reverse(actor=district.sec1, entry=entry, reason="补交请假条")
    assert reversal.reverses == entry
    assert ScoreEntry.objects.filter(member=district.m1).count() == 2
    assert live_result_of_member(scheme=district.scheme, member=district.m1).deductions == 0


def test_second_reversal_is_refused_with_message(district):
    entry = entry_record(
        actor=district.sec1, member=district.m1, item=item(district, "D01"), date=DAY
    )
    entry_reverse(actor=district.sec1, entry=entry, reason="错录")
    with pytest.raises(ValidationError, match="已经冲销过了"):
        entry_reverse(actor=district.sec1, entry=entry, reason="再次冲销")
    assert ScoreEntry.objects.count() == 2


def test_reversal_of_reversal_is_refused(district):
    entry = entry_record(
        actor=district.sec1, member=district.m1, item=item(district, "D01"), date=DAY
    )
    reversal = entry_reverse(actor=district.sec1, entry=entry, reason="错录")
    with pytest.raises(ValidationError, match="本身是冲销记录"):
        entry_reverse(actor=district.sec1, entry=reversal, reason="撤销冲销")


def test_reversal_needs_a_reason(district):
    entry = entry_record(
        actor=district.sec1, member=district.m1, item=item(district, "D01"), date=DAY
    )
    with pytest.raises(ValidationError, match="reason"):
        entry_reverse(actor=district.sec1, entry=entry, reason="  ")


@pytest.mark.parametrize("who", ["sec2", "member1", "supervisor", "orgdept", "outsider"])
def test_only_officers_of_the_branch_record(district, who):
    with pytest.raises(PermissionDenied):
        entry_record(
            actor=getattr(district, who), member=district.m1, item=item(district, "D01"), date=DAY
        )
    assert not ScoreEntry.objects.exists()


def test_committee_admin_records_anywhere(district):
    entry_record(actor=district.admin, member=district.m2, item=item(district, "B03"), date=DAY)
    assert ScoreEntry.objects.filter(member=district.m2).count() == 1


def test_date_outside_any_scheme_is_refused(district):
    with pytest.raises(ValidationError, match="2025 年度还没有考评方案"):
        entry_record(
            actor=district.sec1,
            member=district.m1,
            item=item(district, "D01"),
            date=datetime.date(2025, 12, 31),
        )


def test_item_of_retired_category_refused_in_service_branch(district):
    with pytest.raises(ValidationError, match="不适用于"):
        entry_record(actor=district.sec1, member=district.m1, item=item(district, "R01"), date=DAY)
    entry_record(
        actor=district.admin, member=district.r_member, item=item(district, "R01"), date=DAY
    )


def test_exempt_member_refused(district):
    exemption_set(
        actor=district.admin, member=district.r_member, item_code="R01", reason="身体原因"
    )
    with pytest.raises(ValidationError, match="已免于指标"):
        entry_record(
            actor=district.admin, member=district.r_member, item=item(district, "R01"), date=DAY
        )


def test_transferred_member_not_recorded(district):
    member_upsert(
        actor=district.sec1,
        code="M1B",
        name="李四",
        branch=district.b1,
        status=Member.Status.TRANSFERRED_OUT,
    )
    with pytest.raises(ValidationError, match="不参加考评"):
        entry_record(
            actor=district.sec1,
            member=Member.objects.get(code="M1B"),
            item=item(district, "D01"),
            date=DAY,
        )


def test_final_year_is_frozen(district):
    entry = entry_record(
        actor=district.sec1, member=district.m1, item=item(district, "D01"), date=DAY
    )
    type(district.scheme).objects.filter(pk=district.scheme.pk).update(finalised_at=timezone.now())
    with pytest.raises(ValidationError, match="结果已定格"):
        entry_record(actor=district.sec1, member=district.m1, item=item(district, "D01"), date=DAY)
    with pytest.raises(ValidationError, match="结果已定格"):
        entry_reverse(actor=district.sec1, entry=entry, reason="x")


def test_member_is_notified_of_entries_and_reversals(district):
    from kaoping.kit.decimals import points_text
    from kaoping.notifications.models import Notification

    entry = entry_record(
        actor=district.sec1, member=district.m1, item=item(district, "D01"), date=DAY
    )
    entry_reverse(actor=district.sec1, entry=entry, reason="补交请假条")
    texts = list(Notification.objects.filter(user=district.member1).values_list("text", flat=True))
    # the signed points format of the pages (kit.decimals.points_text), never "−2 分"
    assert f"{DAY:%Y-%m-%d} {entry.item.name}：−2.0 分" in texts
    assert any("（−2.0 分）的记录已冲销：补交请假条" in t for t in texts)
    bonus = entry_record(
        actor=district.sec1, member=district.m1, item=item(district, "B01"), date=DAY
    )
    texts = Notification.objects.filter(user=district.member1).values_list("text", flat=True)
    assert f"{DAY:%Y-%m-%d} {bonus.item.name}：{points_text(bonus.points, 'bonus')} 分" in texts
    assert points_text(bonus.points, "bonus").startswith("+")
