"""The linkage attack on the secret ballot (issue 17), PostgreSQL only.

A *snapshot* is what an administrator or a backup holder has: a ``pg_dump`` of the
database, every live row with its ``xmin``/``xmax``/``ctid``, and every dead row version
still on the heap pages (``pageinspect``), decoded column by column. An *attack* tries to
map each voter to the CONTENT of a ballot (the marks, as decoded by a design-specific
``reader``), using everything a program can: transaction ids shared with the voter's rows
(the vote right, audit and notification rows, sessions, jobs...), values shared with rows
written in the voter's transactions (ids, receipts, ciphertexts), and the order of rows
(xmin, xmax, ctid, dump position, primary key, timestamps), across all the snapshots the
attacker holds (a backup taken during the vote and the database after counting).

A random guess puts on average 1 of n voters on their own ballot (the fixed points of a
random permutation, Poisson(1)); ``chance_limit`` is the number of correct links that
chance reaches with probability below 1e-6 over all the orderings tried.
"""

from .attacks import Ballot, Result, Voter, attack, chance_limit, traces
from .snapshots import PG_EPOCH, Row, Snapshot, norm, take, word_counts

__all__ = [
    "Ballot",
    "PG_EPOCH",
    "Result",
    "Row",
    "Snapshot",
    "Voter",
    "attack",
    "chance_limit",
    "norm",
    "take",
    "traces",
    "word_counts",
]
