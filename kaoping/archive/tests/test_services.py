import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.archive import services
from kaoping.archive.models import Investigation, LostContact, MemberChange, Transfer
from kaoping.audit.models import AuditEvent
from kaoping.ledger.selectors import ledger_verify
from kaoping.ledger.services import entry_record
from kaoping.orgs.models import Member
from kaoping.schemes.models import SchemeItem
from kaoping.scoring.selectors import live_result_of_member, live_results

pytestmark = pytest.mark.django_db
D = datetime.date


def item(d, code):
    return SchemeItem.objects.get(scheme=d.scheme, code=code)


def test_profile_update_writes_one_history_row_per_changed_field(district):
    d = district
    services.member_profile_update(
        actor=d.sec1,
        member=d.m1,
        values={"gender": "male", "phone": "13800000001", "joined_on": D(2005, 7, 1)},
    )
    changes = services.member_profile_update(
        actor=d.sec1,
        member=d.m1,
        values={"gender": "male", "phone": "13900000002", "name": "张三丰"},
    )
    assert sorted(f for f, _o, _n in changes) == ["name", "phone"]
    rows = MemberChange.objects.filter(member=d.m1)
    assert rows.count() == 5
    phone = rows.filter(field="phone").order_by("id").last()
    assert (phone.old, phone.new, phone.actor) == ("13800000001", "13900000002", d.sec1)
    d.m1.refresh_from_db()
    assert d.m1.name == "张三丰"
    assert AuditEvent.objects.filter(action="archive.profile_update").count() == 2


def test_profile_update_refuses_bad_id_and_other_branches(district):
    d = district
    with pytest.raises(ValidationError) as exc:
        services.member_profile_update(actor=d.sec1, member=d.m1, values={"id_number": "123"})
    assert "id_number" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.member_profile_update(actor=d.sec2, member=d.m1, values={"ethnicity": "汉族"})
    with pytest.raises(ValidationError):
        services.member_profile_update(
            actor=d.sec1,
            member=d.m1,
            values={"joined_on": D(2006, 1, 1), "full_member_on": D(2005, 1, 1)},
        )
    assert not MemberChange.objects.exists()


def test_deferral_and_return(district):
    d = district
    entry_record(actor=d.sec1, member=d.m1, item=item(d, "D01"), date=D(2026, 3, 1))
    services.member_investigation_start(
        actor=d.sec1, member=d.m1, body="区纪委监委", started_on=D(2026, 4, 1)
    )
    d.m1.refresh_from_db()
    assert d.m1.status == Member.Status.UNDER_INVESTIGATION
    result = live_result_of_member(scheme=d.scheme, member=d.m1)
    assert result.grade == "deferred" and result.rank is None
    ranked = [r.member for r in live_results(scheme=d.scheme, branches=[d.b1]) if r.rank]
    assert ranked == ["M1B"]
    with pytest.raises(ValidationError):  # one open investigation at a time
        services.member_investigation_start(
            actor=d.sec1, member=d.m1, body="x", started_on=D(2026, 4, 2)
        )
    with pytest.raises(ValidationError):
        services.member_investigation_decide(
            actor=d.sec1, member=d.m1, decided_on=D(2026, 3, 1), decision="了结"
        )
    services.member_investigation_decide(
        actor=d.sec1, member=d.m1, decided_on=D(2026, 6, 1), decision="不予处分"
    )
    d.m1.refresh_from_db()
    assert d.m1.status == Member.Status.ACTIVE
    result = live_result_of_member(scheme=d.scheme, member=d.m1)
    assert result.grade != "deferred" and result.rank is not None
    assert result.deductions == item(d, "D01").points
    statuses = list(
        MemberChange.objects.filter(member=d.m1, field="status")
        .order_by("id")
        .values_list("old", "new")
    )
    assert statuses == [("active", "under_investigation"), ("under_investigation", "active")]
    assert Investigation.objects.get().decision == "不予处分"


def test_transfer_mid_year_ledger_follows_and_receiving_branch_ranks(district):
    d = district
    d1 = item(d, "D01")
    entry_record(actor=d.sec1, member=d.m1, item=d1, date=D(2026, 3, 1), occurrences=2)
    services.member_transfer(
        actor=d.sec1, member=d.m1, to_branch=d.b2, date=D(2026, 6, 30), reason="工作调动"
    )
    d.m1.refresh_from_db()
    assert d.m1.branch == d.b2
    entry_record(actor=d.sec2, member=d.m1, item=d1, date=D(2026, 8, 1))
    b2 = {r.member: r for r in live_results(scheme=d.scheme, branches=[d.b2])}
    assert b2["M1"].deductions == 3 * d1.points and b2["M1"].rank is not None
    assert "M1" not in {r.member for r in live_results(scheme=d.scheme, branches=[d.b1])}
    assert ledger_verify() == []
    transfer = Transfer.objects.get()
    assert (transfer.from_branch, transfer.to_branch) == (d.b1, d.b2)
    change = MemberChange.objects.get(member=d.m1, field="branch")
    assert change.old.startswith("B1") and change.new.startswith("B2")
    with pytest.raises(PermissionDenied):  # B1's secretary no longer keeps M1
        services.member_transfer(
            actor=d.sec1, member=d.m1, to_branch=d.b1, date=D(2026, 9, 1), reason="x"
        )


def test_transfer_out_of_the_system(district):
    d = district
    with pytest.raises(ValidationError):
        services.member_transfer(
            actor=d.sec1, member=d.m1b, to_branch=None, date=D(2026, 5, 1), reason="调出"
        )
    services.member_transfer(
        actor=d.sec1,
        member=d.m1b,
        to_branch=None,
        destination="市教育局机关党委",
        date=D(2026, 5, 1),
        reason="调出",
    )
    d.m1b.refresh_from_db()
    assert d.m1b.status == Member.Status.TRANSFERRED_OUT and d.m1b.branch == d.b1
    assert live_result_of_member(scheme=d.scheme, member=d.m1b) is None


def test_lost_contact_and_found(district):
    d = district
    services.member_lost_contact_mark(
        actor=d.sec1, member=d.m1, since=D(2026, 2, 1), efforts="电话、走访均未联系上"
    )
    d.m1.refresh_from_db()
    assert d.m1.status == Member.Status.LOST_CONTACT
    assert live_result_of_member(scheme=d.scheme, member=d.m1).grade != "deferred"
    with pytest.raises(ValidationError):
        services.member_lost_contact_mark(
            actor=d.sec1, member=d.m1, since=D(2026, 3, 1), efforts="x"
        )
    with pytest.raises(ValidationError):
        services.member_found(actor=d.sec1, member=d.m1, found_on=D(2026, 1, 1))
    services.member_found(actor=d.sec1, member=d.m1, found_on=D(2026, 5, 1), note="本人返回")
    d.m1.refresh_from_db()
    assert d.m1.status == Member.Status.ACTIVE
    assert LostContact.objects.get().found_on == D(2026, 5, 1)


def test_exemption_needs_a_reason_and_is_listed(district):
    d = district
    with pytest.raises(ValidationError):
        services.exemption_add(
            actor=d.sec1, member=d.m1, item_code="D01", reason=" ", starts_on=D(2026, 1, 1)
        )
    exemption = services.exemption_add(
        actor=d.sec1, member=d.m1, item_code="D01", reason="身体原因", starts_on=D(2026, 1, 1)
    )
    with pytest.raises(ValidationError):
        entry_record(actor=d.sec1, member=d.m1, item=item(d, "D01"), date=D(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        services.exemption_remove(actor=d.sec2, exemption=exemption)
    services.exemption_remove(actor=d.sec1, exemption=exemption)
    entry_record(actor=d.sec1, member=d.m1, item=item(d, "D01"), date=D(2026, 3, 1))


def test_exemption_period_counts_only_inside_it(district):
    d = district
    d01 = item(d, "D01")
    before = entry_record(actor=d.sec1, member=d.m1, item=d01, date=D(2026, 2, 1))
    inside = entry_record(actor=d.sec1, member=d.m1, item=d01, date=D(2026, 4, 1))

    def exempt(starts_on, ends_on):
        services.exemption_add(
            actor=d.sec1, member=d.m1, item_code="D01", reason="住院治疗", starts_on=starts_on,
            ends_on=ends_on,
        )  # fmt: skip

    with pytest.raises(ValidationError):  # ends before it starts
        exempt(D(2026, 6, 1), D(2026, 3, 1))
    exempt(D(2026, 3, 1), D(2026, 5, 31))
    with pytest.raises(ValidationError):  # refused inside the period
        entry_record(actor=d.sec1, member=d.m1, item=d01, date=D(2026, 5, 31))
    entry_record(actor=d.sec1, member=d.m1, item=d01, date=D(2026, 6, 1))
    result = live_result_of_member(scheme=d.scheme, member=d.m1)
    assert result.deductions == 2 * d01.points  # February and June; April does not count
    from kaoping.ledger.services import entry_reverse

    entry_reverse(actor=d.sec1, entry=inside, reason="录错")  # a reversal inside is harmless
    entry_reverse(actor=d.sec1, entry=before, reason="录错")
    assert live_result_of_member(scheme=d.scheme, member=d.m1).deductions == d01.points
