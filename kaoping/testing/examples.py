"""Where the tests find the example bundles and their expected results documents.

The project keeps its own copies (``kaoping/bundles/tests/data/examples``, copied from the
specification's ``../shared/examples``) so that a plain clone tests on its own; the copies
are checked against the shared folder when it is beside the repository
(``bundles/tests/test_examples.py::test_the_examples_are_copies_of_the_shared_ones``)."""

from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = _ROOT / "kaoping" / "bundles" / "tests" / "data" / "examples"
SHARED_EXAMPLES = _ROOT.parent / "shared" / "examples"
