"""What the engine's tests share: the scheme items of the hand-built years."""

from kaoping.scoring.engine import ItemRule

ITEMS = {
    "D": ItemRule("D", "deduction"),
    "B": ItemRule("B", "bonus"),
    "DQ": ItemRule("DQ", "deduction", disqualifies=True),
    "R": ItemRule("R", "deduction", categories=frozenset({"retired"})),
}
