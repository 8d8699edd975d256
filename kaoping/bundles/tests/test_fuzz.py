"""Hypothesis on the bundle importer: a valid bundle mutated anywhere (a value replaced by
arbitrary JSON, a key dropped, a record duplicated), or arbitrary JSON, is either imported
or refused with the app's ``BundleError`` - never another exception - and a refusal
changes nothing."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.bundles.services import BundleError, bundle_import, bundle_validate

from .test_services import EXAMPLES, counts

pytestmark = pytest.mark.django_db
EXAMPLE = EXAMPLES / "rules-tour.bundle.json"
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["", "2026-02-30", "-1", "1e999", "B1", "M1", "D01", "<script>"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


def paths(value, prefix=()):
    """Every path (keys and indexes) into a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, (*prefix, i))


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def mutated(example):
    all_paths = [p for p in paths(example) if p]

    @st.composite
    def build(draw):
        data = copy.deepcopy(example)
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            path = draw(st.sampled_from(all_paths))
            parent = data
            try:
                for key in path[:-1]:
                    parent = parent[key]
                last = path[-1]
                parent[last]  # noqa: B018 - the path may be gone after an earlier change
            except (KeyError, IndexError, TypeError):
                continue
            how = draw(st.sampled_from(["replace", "drop", "duplicate"]))
            if how == "replace":
                parent[last] = draw(json_values)
            elif how == "drop":
                del parent[last]
            elif isinstance(parent, list):
                parent.append(copy.deepcopy(parent[last]))
        return data

    return build()


def check(data):
    before = counts()
    try:
        bundle_import(actor=None, data=data)
    except BundleError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors)
        assert counts() == before


def test_the_example_imports(example):
    assert bundle_validate(example) == []


@FUZZ
@given(data=st.data())
def test_mutated_bundles_import_or_are_refused_whole(example, data):
    check(data.draw(mutated(example)))


@FUZZ
@given(data=json_values)
def test_arbitrary_json_is_refused_with_messages(data):
    before = counts()
    with pytest.raises(BundleError):
        bundle_import(actor=None, data=data)
    assert counts() == before
