"""Who is a voter, the traces each leaves in a snapshot, and the attacks that try to
map each voter to the content of a ballot, judged against chance (``chance_limit``)."""

import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model

from kaoping.orgs.models import Member

from .snapshots import Row, Snapshot, norm


@dataclass
class Voter:
    member_pk: int
    user_pk: int | None
    tokens: tuple[str, ...]  # code, username, name: as they may appear in a text


def _identity_columns() -> dict[str, dict[str, str]]:
    """Per table, the columns that point at a member or a login: column → 'member'/'user'."""
    user_model = get_user_model()
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Member:
                found[model._meta.db_table][f.column] = "member"
            elif f.is_relation and f.related_model is user_model:
                found[model._meta.db_table][f.column] = "user"
    return found


def _session_user(row: Row) -> int | None:
    from django.contrib.sessions.backends.db import SessionStore

    data = row.values.get("session_data")
    if not isinstance(data, str):
        return None
    try:
        user = SessionStore().decode(data).get("_auth_user_id")
    except Exception:  # noqa: BLE001 - a dead tuple may hold anything
        return None
    return int(user) if user else None


def traces(
    snapshots: list[Snapshot], voters: list[Voter], exclude: set[str]
) -> dict[int, list[Row]]:
    """Per voter (member pk), every row version in any snapshot that names them: a column
    pointing at their member record or login, a session of their login, or their code or
    username in a text (audit before/after, notifications, jobs). Tables in ``exclude``
    (where members are named as candidates on ballots) are left out."""
    columns = _identity_columns()
    by_member = {v.member_pk: v.member_pk for v in voters}
    by_user = {v.user_pk: v.member_pk for v in voters if v.user_pk}
    patterns = [
        (re.compile(rf"(?<![\w-]){re.escape(t)}(?![\w-])"), v.member_pk)
        for v in voters
        for t in v.tokens
    ]
    found: dict[int, list[Row]] = defaultdict(list)
    for snap in snapshots:
        for table, rows in snap.rows.items():
            if table in exclude:
                continue
            for row in rows:
                hits = set()
                for column, kind in columns.get(table, {}).items():
                    value = row.values.get(column)
                    lookup = by_member if kind == "member" else by_user
                    if value in lookup:
                        hits.add(lookup[value])
                if table == "django_session":
                    user = _session_user(row)
                    if user in by_user:
                        hits.add(by_user[user])
                for value in row.values.values():
                    if isinstance(value, str | dict | list) and value:
                        text = value if isinstance(value, str) else repr(value)
                        hits.update(m for p, m in patterns if p.search(text))
                for member in hits:
                    found[member].append(row)
    return found


@dataclass
class Ballot:
    """One ballot's content as a reader decoded it, and the row versions that carry it."""

    content: object
    rows: list[Row]


@dataclass
class Result:
    attack: str
    correct: int
    of: int

    def __str__(self) -> str:
        return f"{self.attack}: {self.correct} of {self.of}"


def chance_limit(tries: int, p: float = 1e-6) -> int:
    """The fewest correct links that ``tries`` random guesses reach with probability < p:
    the tail of Poisson(1), the fixed points of a random permutation."""
    k, tail = 0, 1.0
    while tries * tail >= p:
        tail -= math.exp(-1) / math.factorial(k)
        k += 1
    return k


def _evidence_attack(
    snapshots: list[Snapshot],
    ballots: list[Ballot],
    voter_rows: dict[int, list[Row]],
    truth: dict[object, int],
    ballot_tables: set[str],
) -> tuple[Result, Result]:
    """Transaction ids and values: a transaction touched by one voter only ties to them
    every row it wrote, locked or deleted (the "bridge" rows: a ciphertext, an audit row);
    a ballot whose rows share that transaction, or a value of the voter's own rows or of a
    bridge row (an id, a receipt, a ciphertext), is a candidate. Each voter's candidates
    are intersected; a voter is linked when one ballot is left."""
    voters_of_txid: dict[int, set[int]] = defaultdict(set)
    writers_of_txid: dict[int, set[int]] = defaultdict(set)
    for member, rows in voter_rows.items():
        for row in rows:
            for t in row.txids():
                voters_of_txid[t].add(member)
            for t in row.writes():
                writers_of_txid[t].add(member)
    ballots_of_txid: dict[int, set[int]] = defaultdict(set)
    ballots_of_value: dict[str, set[int]] = defaultdict(set)
    for i, ballot in enumerate(ballots):
        for row in ballot.rows:
            for t in row.txids():
                ballots_of_txid[t].add(i)
            for value in row.values.values():
                if (v := norm(value)) is not None:
                    ballots_of_value[v].add(i)
    # A transaction is a voter's own if they alone wrote in it, or alone touched it.
    own = {
        t for t, members in voters_of_txid.items() if len(writers_of_txid.get(t) or members) == 1
    }
    voters_of_txid = {t: writers_of_txid.get(t) or voters_of_txid[t] for t in own}
    trace_ids = {id(r) for rows in voter_rows.values() for r in rows}
    bridges: dict[int, list[Row]] = defaultdict(list)
    for snap in snapshots:
        for row in snap.all_rows():
            if id(row) in trace_ids:
                continue
            for t in row.txids() & own:
                bridges[next(iter(voters_of_txid[t]))].append(row)
    by_txid = by_value = 0
    for member, rows in voter_rows.items():
        mine = {t for r in rows for t in r.txids() & own if voters_of_txid[t] == {member}}
        evidence = [ballots_of_txid[t] for t in mine]
        evidence = [e for e in evidence if e]
        if evidence and _linked(evidence, ballots, truth, member):
            by_txid += 1
        for row in [*rows, *bridges.get(member, [])]:  # the voter's rows: their own keys too
            for value in row.values.values():
                if (v := norm(value)) is not None and ballots_of_value.get(v):
                    evidence.append(ballots_of_value[v])
        for bridge in bridges.get(member, []):
            evidence.extend(ballots_of_txid[t] for t in bridge.txids() if ballots_of_txid.get(t))
        if evidence and _linked(evidence, ballots, truth, member):
            by_value += 1
    n = len(ballots)
    return Result("shared transaction id", by_txid, n), Result(
        "shared transaction id, or a value of the voter's rows or of a row written in their"
        " transactions",
        by_value,
        n,
    )


def _linked(evidence: list[set[int]], ballots: list[Ballot], truth, member: int) -> bool:
    candidates = set.intersection(*evidence)
    return len(candidates) == 1 and truth.get(ballots[candidates.pop()].content) == member


def _orderings(rows_by_owner: dict[object, list[Row]]) -> dict[str, list[object]]:
    """Owners sorted by each key of their rows, per (snapshot, table, key, live/dead)."""
    keyed: dict[str, dict[object, object]] = defaultdict(dict)
    for owner, rows in rows_by_owner.items():
        for row in rows:
            state = "live" if row.live else "dead"
            for key, value in row.keys().items():
                name = f"{row.snapshot}/{row.table}/{key}/{state}"
                old = keyed[name].get(owner)
                if old is None or value < old:
                    keyed[name][owner] = value
    return {
        name: [o for o, _v in sorted(values.items(), key=lambda kv: kv[1])]
        for name, values in keyed.items()
        if len(values) >= 2
    }


def _order_attack(
    voter_rows: dict[int, list[Row]], ballots: list[Ballot], truth: dict[object, int]
) -> tuple[Result, int]:
    """Pair the voters and the ballots by rank in every order both can be sorted by."""
    voter_orders = _orderings(voter_rows)
    ballot_orders = _orderings({i: b.rows for i, b in enumerate(ballots)})
    best, tried = Result("order", 0, len(ballots)), set()
    for vname, vorder in voter_orders.items():
        for bname, border in ballot_orders.items():
            for direction, ordered in (("", border), (" reversed", border[::-1])):
                pairs = tuple(zip(vorder, ordered, strict=False))
                tried.add(pairs)
                correct = sum(truth.get(ballots[b].content) == v for v, b in pairs)
                if correct > best.correct:
                    best = Result(f"order: {vname} ~ {bname}{direction}", correct, len(ballots))
    return best, len(tried)


def attack(
    snapshots: list[Snapshot],
    voters: list[Voter],
    reader: Callable[[Snapshot], list[Ballot]],
    truth: dict[object, int],
    ballot_tables: set[str],
) -> tuple[list[Result], int]:
    """Every attack on the latest snapshot's ballots with all the snapshots held; the
    results and the chance limit for the number of orderings tried."""
    ballots = reader(snapshots[-1])
    voter_rows = traces(snapshots, voters, exclude=ballot_tables)
    results = list(_evidence_attack(snapshots, ballots, voter_rows, truth, ballot_tables))
    best_order, tried = _order_attack(voter_rows, ballots, truth)
    results.append(best_order)
    return results, chance_limit(max(tried, 1) + len(results))
