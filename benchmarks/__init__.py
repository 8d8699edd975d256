"""Kaoping's benchmark suite (``scripts/bench``); see benchmarks/README.md."""
