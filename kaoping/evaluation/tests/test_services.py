import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.evaluation.models import QuotaDecision, VoteTally
from kaoping.evaluation.services import quota_decision_record, tally_set


def test_tally_set_and_correct(year_2026_over, district):
    tally_set(
        actor=district.sec1,
        year=2026,
        member=district.m1,
        counts={"excellent": 8, "qualified": 3, "basic": 0, "unqualified": 0},
    )
    tally_set(actor=district.sec1, year=2026, member=district.m1, counts={"excellent": 9})
    assert dict(VoteTally.objects.filter(member=district.m1).values_list("option", "count")) == {
        "excellent": 9,
        "qualified": 3,
        "basic": 0,
        "unqualified": 0,
    }


@pytest.mark.parametrize("counts", [{"great": 1}, {"excellent": -1}, {"excellent": 1.5}])
def test_bad_tallies_refused(district, counts):
    with pytest.raises(ValidationError):
        tally_set(actor=district.sec1, year=2026, member=district.m1, counts=counts)
    assert not VoteTally.objects.exists()


def test_other_branch_cannot_enter_tallies(district):
    with pytest.raises(PermissionDenied):
        tally_set(actor=district.sec2, year=2026, member=district.m1, counts={"excellent": 1})


def test_quota_decision_needs_reason(district):
    with pytest.raises(ValidationError, match="认定优秀名额须填写理由"):
        quota_decision_record(
            actor=district.sec1, year=2026, member=district.m1, excellent=True, note=""
        )
    quota_decision_record(
        actor=district.sec1, year=2026, member=district.m1, excellent=True, note="支委会认定"
    )
    assert QuotaDecision.objects.get().decided_by == district.sec1


def test_no_scheme_no_tally(district):
    with pytest.raises(ValidationError, match="2030 年度还没有考评方案"):
        tally_set(actor=district.sec1, year=2030, member=district.m1, counts={"excellent": 1})
