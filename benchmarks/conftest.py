"""The suite's fixtures (the demo district and the rest) for the benchmarks run with pytest."""

from kaoping.conftest import *  # noqa: F403 - the fixtures, by name
