"""The scheme's settings have one home, ``SchemeSettings`` (issue 18): the draft inherits
them, the engine's rules are settings under the same names and defaults, and the bundle's
and the API's lists are read from the model."""

import dataclasses
from decimal import Decimal

from kaoping.bundles.checks import OTHER_SCHEME_SETTINGS, SCHEME_SETTINGS
from kaoping.planning.models import SchemeDraft
from kaoping.schemes.models import DECIMAL_SETTINGS, SETTING_FIELDS, Scheme, SchemeSettings
from kaoping.scoring.engine import SchemeRules
from kaoping.scoring.selectors import RULE_FIELDS


def test_scheme_and_draft_hold_the_same_settings():
    for model in (Scheme, SchemeDraft):
        assert issubclass(model, SchemeSettings)
        names = [f.name for f in model._meta.fields]
        assert set(SETTING_FIELDS) <= set(names)
    assert "vote_min_turnout" in SETTING_FIELDS and "notice_days" in SETTING_FIELDS


def test_the_engine_rules_are_settings_with_the_same_defaults():
    rules = SchemeRules()
    for f in dataclasses.fields(SchemeRules):
        assert f.name in SETTING_FIELDS, f.name
        default = SchemeSettings._meta.get_field(f.name).get_default()
        if f.name == "ballot_options":
            assert {k: Decimal(v) for k, v in default.items()} == dict(rules.ballot_options)
        else:
            assert default == getattr(rules, f.name), f.name
    assert set(RULE_FIELDS) == {f.name for f in dataclasses.fields(SchemeRules)} - {
        "ballot_options"
    }


def test_the_bundle_carries_the_settings_its_schema_names():
    assert set(SCHEME_SETTINGS) <= set(DECIMAL_SETTINGS)
    assert SCHEME_SETTINGS == (
        "base_points",
        "bonus_cap",
        "democratic_share",
        "excellent_threshold",
        "qualified_threshold",
        "basic_threshold",
        "excellent_quota",
    )
    assert OTHER_SCHEME_SETTINGS == ("quota_rounding", "ballot_options")
