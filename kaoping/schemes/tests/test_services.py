from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.audit.models import AuditEvent
from kaoping.schemes.models import Scheme
from kaoping.schemes.services import scheme_create, scheme_item_upsert, scheme_update
from kaoping.schemes.template import DEFAULT_ITEMS


def test_template_scheme_has_the_source_items_and_defaults(district):
    scheme = district.scheme
    assert scheme.items.count() == len(DEFAULT_ITEMS)
    d10 = scheme.items.get(code="D10")
    assert (d10.points, d10.disqualifies, d10.name) == (Decimal(10), True, "严重损害公务员形象")
    assert (scheme.base_points, scheme.bonus_cap, scheme.democratic_share) == (
        70,
        10,
        Decimal("0.3"),
    )
    assert scheme.excellent_quota == Decimal("0.15") and scheme.quota_rounding == "floor"


def test_next_year_copies_this_year(district):
    scheme = scheme_update(actor=district.admin, scheme=district.scheme, bonus_cap=Decimal(8))
    scheme_item_upsert(
        actor=district.admin,
        scheme=scheme,
        code="B09",
        kind="bonus",
        name="微信编发推送被采用",
        points=Decimal("0.5"),
        group="products",
    )
    nxt = scheme_create(actor=district.admin, year=2027, copy_from=scheme)
    assert nxt.bonus_cap == 8
    assert nxt.items.filter(code="B09").exists()
    assert nxt.items.count() == district.scheme.items.count()


def test_settings_changes_are_kept_in_history(district):
    scheme_update(actor=district.admin, scheme=district.scheme, excellent_quota=Decimal("0.2"))
    event = AuditEvent.objects.get(action="scheme.update")
    assert (event.before["excellent_quota"], event.after["excellent_quota"]) == ("0.15", "0.2")
    assert event.actor == district.admin


def test_thresholds_must_stay_ordered(district):
    with pytest.raises(ValidationError):
        scheme_update(actor=district.admin, scheme=district.scheme, basic_threshold=Decimal(95))
    assert Scheme.objects.get().basic_threshold == 60


def test_unknown_setting_and_ballot_option_refused(district):
    with pytest.raises(ValidationError, match="未知的方案设置"):
        scheme_update(actor=district.admin, scheme=district.scheme, daily_share=Decimal("0.7"))
    with pytest.raises(ValidationError):
        scheme_update(actor=district.admin, scheme=district.scheme, ballot_options={"great": 100})


@pytest.mark.parametrize("who", ["sec1", "member1", "orgdept", "supervisor"])
def test_only_committee_admin_edits_the_scheme(district, who):
    with pytest.raises(PermissionDenied):
        scheme_update(actor=getattr(district, who), scheme=district.scheme, bonus_cap=Decimal(5))


def test_duplicate_year_refused(district):
    with pytest.raises(ValidationError, match="年度的考评方案已经存在"):
        scheme_create(actor=district.admin, year=2026)


def test_finalised_branch_year_freezes_its_entries_only(district):
    import datetime

    from kaoping.ledger.services import entry_record
    from kaoping.schemes.services import branch_year_finalise, branch_year_reopen

    d01 = district.scheme.items.get(code="D01")
    day = datetime.date(2026, 5, 1)
    branch_year_finalise(actor=district.sec1, scheme=district.scheme, branch=district.b1)
    with pytest.raises(ValidationError, match="评分记录已冻结"):
        entry_record(actor=district.sec1, member=district.m1, item=d01, date=day)
    entry_record(actor=district.sec2, member=district.m2, item=d01, date=day)  # B2 still open
    with pytest.raises(PermissionDenied):
        branch_year_reopen(
            actor=district.sec1, scheme=district.scheme, branch=district.b1, reason="申诉复核"
        )
    with pytest.raises(ValidationError, match="reason"):
        branch_year_reopen(
            actor=district.admin, scheme=district.scheme, branch=district.b1, reason=""
        )
    branch_year_reopen(
        actor=district.admin, scheme=district.scheme, branch=district.b1, reason="上级复核发现漏记"
    )
    entry_record(actor=district.sec1, member=district.m1, item=d01, date=day)
    assert AuditEvent.objects.filter(action="branch_year.reopen", note="上级复核发现漏记").exists()
