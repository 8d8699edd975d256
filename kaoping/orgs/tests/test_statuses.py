"""Member statuses have one home, ``Member.Status`` (issue 18): the departed and on-roll
lists are derived from it, and the pure engine's and the bundle schema's lists agree."""

from kaoping.bundles.reading import bundle_schema
from kaoping.orgs.models import DEPARTED_STATUSES, ON_ROLL_STATUSES, Member
from kaoping.scoring.engine import ASSESSED_STATUSES, DEFERRED_STATUSES


def test_the_engine_and_the_schema_name_the_model_statuses():
    statuses = set(Member.Status.values)
    assert set(ON_ROLL_STATUSES) | set(DEPARTED_STATUSES) == statuses
    assert not set(ON_ROLL_STATUSES) & set(DEPARTED_STATUSES)
    assert set(ASSESSED_STATUSES) == set(Member.assessed_statuses())
    assert set(ASSESSED_STATUSES) | set(DEFERRED_STATUSES) == set(ON_ROLL_STATUSES)
    member = bundle_schema()["properties"]["members"]["items"]["properties"]["status"]
    assert set(member["enum"]) == statuses
