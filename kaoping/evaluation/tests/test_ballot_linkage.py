"""Can a program holding the database link a voter to a ballot's content? (issue 17)

A 25-voter online vote through HTTP; each voter marks one candidate "basic" and the others
"excellent", so that a ballot's content names its voter and any link is detectable. At
three moments - (a) the vote open with 20 ballots cast, (b) right after counting, (c)
after VACUUM - the test takes a snapshot (``kaoping.testing.linkage``: pg_dump, live rows
with xmin/xmax/ctid, dead row versions through pageinspect) and runs every attack with
all the snapshots taken so far (a backup kept from the vote is the worst case).

Against the design before issue 17 (ballot and mark rows readable, rewritten in key
order at closing, the ballot's id and receipt hash kept), this test measured on PostgreSQL
15 (numbers in the report of issue 17):
(a) the marks of the 20 cast ballots readable in the pages and the dump (480 "excellent",
    20 "basic" in evaluation_ballotmark); a shared transaction id linked 20 of 20, and so
    did the order (sign-in rows by xmin ~ marks by xmin);
(b) right after closing and publishing, the dead row versions linked 25 of 25 by xmin;
(c) after VACUUM the database alone linked none (the best order 3 or 4 of 25: chance), but
    with the backup from (a) the ballots' ids and receipts linked 20 of 25, with (b) 25.
With the sealed ballot the same attacks link 0 of 25 by transaction id or value and 2 to 4
of 25 by order (chance) at (b) and (c), whatever snapshots are held; at (a) they link 20
of 20 voters to their ciphertexts (the control below), and no table holds a mark.
"""

import itertools
import random
import re

import pytest
from django.db import connection

from kaoping.evaluation.models import Ballot, BallotMark, SealedBallot
from kaoping.evaluation.services import vote_close, vote_publish
from kaoping.testing import linkage

from .support import branch_of, count_votes, round_at_vote

pytestmark = pytest.mark.django_db(transaction=True)

OPTIONS = ("excellent", "qualified", "basic", "unqualified")
CAST_BEFORE_SNAPSHOT = 20


def content_of(i: int, members: list) -> dict[str, str]:
    """Voter i's marks: candidate i+1 "basic", everyone else "excellent"."""
    marks = {m.code: "excellent" for m in members}
    marks[members[(i + 1) % len(members)].code] = "basic"
    return marks


def key_of(marks_by_pk: dict[int, str]) -> frozenset:
    return frozenset(marks_by_pk.items())


# --------------------------------------------------------------------------- the design under test


def cast(client, voter, marks: dict[str, str]) -> str:
    """Vote through HTTP as the voter; the receipt shown."""
    client.force_login(voter.user)
    data = {f"m:{code}": option for code, option in marks.items()}
    response = client.post("/eval/2026/vote/", data)
    assert response.status_code == 200, response.content.decode()[:500]
    return re.search(r'id="receipt-code">([0-9a-f]{64})<', response.content.decode()).group(1)


def count(district, round_) -> None:
    """Close and count with two of the scrutineers' shares (moment b)."""
    vote_close(actor=district.sec1, round_=round_)
    count_votes(district, round_)


def publish(district, round_) -> None:
    vote_publish(actor=district.sec1, round_=round_)


BALLOT_TABLES = {BallotMark._meta.db_table, Ballot._meta.db_table}


def reader(snapshot: linkage.Snapshot) -> list[linkage.Ballot]:
    """Ballots as their marks (live and dead row versions), grouped by ballot."""
    marks: dict[object, list] = {}
    for row in snapshot.rows.get(BallotMark._meta.db_table, []):
        marks.setdefault(linkage.norm(row.values["ballot_id"]), []).append(row)
    heads = {}
    for row in snapshot.rows.get(Ballot._meta.db_table, []):
        heads.setdefault(linkage.norm(row.values["id"]), []).append(row)
    return [
        linkage.Ballot(
            key_of({r.values["member_id"]: r.values["option"] for r in rows}),
            rows + heads.get(ballot, []),
        )
        for ballot, rows in marks.items()
    ]


def sealed_reader(snapshot: linkage.Snapshot) -> list[linkage.Ballot]:
    """The control: ciphertexts (live and dead versions), known by their receipt. Tying a
    voter to one is no link to content while the key is gone, but the attack must find it
    (the same transaction uses the right and stores the ciphertext, by design)."""
    rows: dict[str, list] = {}
    for row in snapshot.rows.get(SealedBallot._meta.db_table, []):
        rows.setdefault(row.values["receipt"], []).append(row)
    return [linkage.Ballot(receipt, found) for receipt, found in rows.items()]


# --------------------------------------------------------------------------- the test


def test_no_program_links_a_voter_to_a_ballots_content(client, district):
    if connection.vendor != "postgresql":
        pytest.skip("xmin, ctid, pg_dump and pageinspect are PostgreSQL's; SQLite has none")
    members = branch_of(district, 25)
    round_ = round_at_vote(district)
    voters = [linkage.Voter(m.pk, m.user_id, (m.code, m.user.username, m.name)) for m in members]
    by_code = {m.code: m.pk for m in members}
    contents = {m.pk: content_of(i, members) for i, m in enumerate(members)}
    truth = {key_of({by_code[c]: o for c, o in contents[pk].items()}): pk for pk in contents}
    assert len(truth) == 25  # every content names its voter
    # The voting order is not the order of codes or keys (it would fake an order link).
    order = random.sample(members, len(members))

    vacuum()  # earlier tests' ballots, deleted by their flush, leave dead row versions
    baseline = linkage.take("open")
    assert not reader(baseline) and not sealed_reader(baseline), "VACUUM left old ballots"
    receipts = {cast(client, v, contents[v.pk]): v.pk for v in order[:CAST_BEFORE_SNAPSHOT]}
    snapshots = [linkage.take("a")]
    plaintext = new_words(baseline, snapshots[0])
    report = run(snapshots, voters, truth)
    control, _limit = linkage.attack(
        snapshots, voters, sealed_reader, receipts, {SealedBallot._meta.db_table}
    )
    # The control: every attack finds the voter-to-ciphertext links.
    assert all(r.correct == r.of == CAST_BEFORE_SNAPSHOT for r in control), control

    for voter in order[CAST_BEFORE_SNAPSHOT:]:
        cast(client, voter, contents[voter.pk])
    count(district, round_)
    snapshots.append(linkage.take("b"))
    assert len(reader(snapshots[-1])) == 25  # the content is there to be linked
    report |= run(snapshots, voters, truth)

    publish(district, round_)
    vacuum()
    snapshots.append(linkage.take("c"))
    report |= run(snapshots, voters, truth)
    print(
        *(f"{held}: {r} (chance < {limit})" for held, (rs, limit) in report.items() for r in rs),
        sep="\n",
    )  # noqa: T201

    assert not plaintext, f"ballot marks readable while the vote is open: {plaintext}"
    assert not reader(snapshots[0]), "ballot content stored while the vote is open"
    for held, (results, limit) in report.items():
        for result in results:
            assert result.correct < limit, f"holding {held}: {result} (chance: < {limit})"


def vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")


def run(snapshots: list, voters, truth) -> dict:
    """Every attack on the latest snapshot's ballots, by every attacker: one who holds this
    snapshot only, and ones who also kept any of the earlier ones (a backup, a replica)."""
    latest, earlier = snapshots[-1], snapshots[:-1]
    found = {}
    for n in range(len(earlier) + 1):
        for kept in itertools.combinations(earlier, n):
            held = [*kept, latest]
            label = "+".join(s.label for s in held)
            found[label] = linkage.attack(held, voters, reader, truth, BALLOT_TABLES)
    return found


def new_words(before: linkage.Snapshot, after: linkage.Snapshot) -> dict:
    """Option names that appeared since the vote opened: in a page or in the dump."""
    old = linkage.word_counts(before, OPTIONS)
    new = linkage.word_counts(after, OPTIONS)
    return {k: n for k, n in new.items() if n > old.get(k, 0)}
