"""Reads of the ledger, scoped to what the actor may see."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.kit.decimals import points_text
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import members_visible, scope_for

from .models import ScoreEntry


def entries_visible(
    *, actor: Actor, year: int | None = None, member: Member | None = None
) -> QuerySet[ScoreEntry]:
    """Entries of the members ``actor`` may see (a member: their own), reversals included."""
    qs = ScoreEntry.objects.filter(member__in=members_visible(actor=actor).values("id"))
    if year is not None:
        qs = qs.filter(year=year)
    if member is not None:
        qs = qs.filter(member=member)
    return qs.select_related("member__branch", "item", "reverses", "reversed_by", "recorded_by")


def entry_access_by_code(*, actor: Actor, code: str, manage: bool = False) -> ScoreEntry:
    """The entry if ``actor`` may see it; the same 404 for missing and out of scope."""
    entry = entries_visible(actor=actor).filter(code=code).first()
    if entry is None:
        raise Http404(_("找不到这条评分记录。"))
    if manage and not scope_for(actor).manages(entry.member.branch.path):
        raise PermissionDenied(_("您无权管理评分记录 %(entry)s。") % {"entry": entry.code})
    return entry


def ledger_verify() -> list[str]:
    """Every break of the tamper-evident chain: a row changed, deleted or inserted outside
    the application. Empty when the ledger is intact. Streams the ledger chain by chain."""
    from .chain import entry_hash
    from .models import LedgerChain
    from .services import _content

    problems: list[str] = []
    heads = {h.key: h for h in LedgerChain.objects.all()}
    seen: set[str] = set()
    rows = (
        ScoreEntry.objects.select_related("member", "item", "reverses")
        .order_by("chain_key", "chain_seq")
        .iterator(chunk_size=5000)
    )
    current_key, expected_seq, previous = None, 1, ""

    def close(key: str | None, length: int) -> None:
        if key is None:
            return
        head = heads.get(key)
        if head is None:
            problems.append(f"{key}: a chain the application never started (inserted outside it)")
        elif head.length > length:
            problems.append(
                f"{key}: the chain holds {head.length} entries but the ledger has {length} "
                f"(entries #{length + 1}–#{head.length} deleted outside the application)"
            )

    for e in rows:
        if e.chain_key != current_key:
            close(current_key, expected_seq - 1)
            current_key, expected_seq, previous = e.chain_key, 1, ""
            seen.add(e.chain_key)
        label = f"{e.chain_key} #{e.chain_seq} ({e.code})"
        if e.chain_seq > expected_seq:
            problems.append(
                f"{e.chain_key}: entries #{expected_seq}–#{e.chain_seq - 1} are missing "
                "(deleted outside the application)"
            )
        head = heads.get(e.chain_key)
        if head is not None and e.chain_seq > head.length:
            problems.append(f"{label}: beyond the chain's head (inserted outside the application)")
        content = _content(e, e.member.code, e.item.code, e.reverses.code if e.reverses else None)
        if entry_hash(previous, content) != e.chain_hash:
            problems.append(f"{label}: changed since it was recorded (or its predecessor was)")
        previous, expected_seq = e.chain_hash, e.chain_seq + 1
    close(current_key, expected_seq - 1)
    for key, head in heads.items():
        if key not in seen and head.length:
            problems.append(f"{key}: all {head.length} entries deleted outside the application")
    return problems


def ledger_publications(*, actor: Actor, branch: Organization) -> QuerySet:
    """Published periods of a branch the actor may read (its members and officers)."""
    from kaoping.orgs.selectors import organization_access_by_code

    from .models import LedgerPublication

    organization_access_by_code(actor=actor, code=branch.code)  # 404 outside the scope
    return LedgerPublication.objects.filter(branch=branch)


def ledger_publication_access_by_id(*, actor: Actor, branch: Organization, pk: int) -> Any:
    publication = ledger_publications(actor=actor, branch=branch).filter(pk=pk).first()
    if publication is None:
        raise Http404(_("找不到这次台账公示。"))

    return publication


def published_entries(*, publication: Any) -> QuerySet[ScoreEntry]:
    """The entries of the branch's current members dated inside the published period."""
    return (
        ScoreEntry.objects.filter(
            member__branch=publication.branch,
            date__gte=publication.start,
            date__lte=publication.end,
        )
        .select_related("member", "item", "reverses", "reversed_by")
        .order_by("date", "id")
    )


def entry_reverse_consequences(*, entry: ScoreEntry) -> list[str]:
    """What reversing ``entry`` will do, for its confirmation step (nothing is done)."""
    names = {
        "name": entry.member.name,
        "item": entry.item.name,
        "date": f"{entry.date:%Y-%m-%d}",
        "points": points_text(entry.points, entry.item.kind),
    }
    # the member's year changes by the opposite of the entry's points
    opposite = "deduction" if entry.item.kind == "bonus" else "bonus"
    return [
        _("新增一条冲销记录，抵消 %(name)s 的“%(item)s”（%(date)s，%(points)s 分）；原记录保留。")
        % names,
        _("%(name)s 的年度得分随之变动 %(change)s 分，并收到通知。")
        % {"name": entry.member.name, "change": points_text(entry.points, opposite)},
        _("冲销不能撤回；如需恢复，须重新录入。"),
    ]


def entry_is_reversible(*, entry: ScoreEntry) -> bool:
    """Neither a reversal itself nor reversed already (else ``entry_reverse`` refuses it,
    and a confirmation would promise what cannot happen)."""
    return not entry.is_reversal and not ScoreEntry.objects.filter(reverses=entry).exists()
