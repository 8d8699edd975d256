"""The democratic evaluation (民主评议) in the API (issue 20): every action of the round's
pages, one module a concern - the member's and the secretary's steps (``api_steps``), the
branch's round and its vote (``api_round``), paper codes and paper counts (``api_paper``),
casting one's own secret ballot with the page's secrecy (``api_ballot``). The sealed vote's box and
count are in ``api_vote`` (issue 17)."""

from ninja import Router

from . import api_ballot, api_paper, api_round, api_steps

router = Router(tags=["evaluation"])
router.add_router("", api_steps.router)
router.add_router("", api_round.router)
router.add_router("", api_paper.router)
router.add_router("", api_ballot.router)
