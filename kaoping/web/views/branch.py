"""A branch's page: its results and recent entries, with the forms that record an entry
and add a member."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from kaoping.evaluation.selectors import round_years
from kaoping.evaluation.services import (
    tally_direct_refusal,
)
from kaoping.kit.answers import form_saved, frozen_refusal
from kaoping.kit.tables import Column, Filter, TableSpec, table
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.selectors import entries_visible
from kaoping.ledger.services import entry_record
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import (
    branch_for_staff,
    scope_for,
)
from kaoping.orgs.services import member_add
from kaoping.schemes.models import Scheme, SchemeItem
from kaoping.schemes.selectors import (
    frozen_notice,
    scheme_chosen,
    scheme_chosen_or_404,
    scheme_years,
)
from kaoping.scoring.models import Grade
from kaoping.scoring.selectors import results_stamps

from .. import selectors
from ..caching import page_body
from ..forms import (
    EntryForm,
    MemberForm,
)
from .years import with_year, year_param

# The branch's ledger (台账) of the year: the newest first, searched by member, item or
# entry, filtered by bonus or deduction, the item's group and where the entry came from.
ENTRY_COLUMNS = (
    Column("date", _lazy("日期"), order=("date",)),
    Column("member", _lazy("党员"), order=("member__code",)),
    Column("item", _lazy("考评项目"), order=("item__code",)),
    Column("points", _lazy("分值"), order=("points",), num=True),
    Column("source", _lazy("来源"), order=("source",)),
    Column("recorded", _lazy("录入"), order=("recorded_at",)),
    Column("code", _lazy("编号"), order=("code",)),
)


def entries_table_spec(groups: list[str]) -> TableSpec:
    return TableSpec(
        columns=ENTRY_COLUMNS,
        default_sort="-recorded",
        search=("member__name", "member__code", "item__name", "item__code", "code", "note"),
        search_label=_lazy("姓名、编号、项目、说明"),
        filters=(
            Filter("kind", _lazy("类型"), SchemeItem.Kind.choices, lookup="item__kind"),
            Filter("group", _lazy("分组"), [(g, g) for g in groups], lookup="item__group"),
            Filter("source", _lazy("来源"), ScoreEntry.Source.choices, lookup="source"),
        ),
        prefix="entries",
    )


# The branch's roster (党员名册): the members the page has already read, paged in Python.
MEMBERS_TABLE = TableSpec(
    columns=(
        Column("code", _lazy("编号"), key=lambda m: m.code),
        Column("name", _lazy("姓名"), key=lambda m: m.name),
        Column("membership", _lazy("党员类别"), key=lambda m: m.membership),
        Column("status", _lazy("状态"), key=lambda m: m.status),
    ),
    default_sort="code",
    search_text=lambda m: f"{m.code} {m.name}",
    search_label=_lazy("姓名、编号"),
    filters=(
        Filter("status", _lazy("状态"), Member.Status.choices, key=lambda m: m.status),
        Filter(
            "membership", _lazy("党员类别"), Member.Membership.choices, key=lambda m: m.membership
        ),
    ),
    prefix="members",
)


def _entry_form(request, branch, scheme: Scheme, data=None) -> EntryForm:
    return EntryForm(
        data,
        members=selectors.branch_members_assessed(actor=request.user, branch=branch),
        items=selectors.scheme_items_for_branch(scheme=scheme, branch=branch),
        scheme=scheme,
        initial={"occurrences": 1},
    )


def _grade_counts(rows) -> list[tuple[str, int]]:
    """The overview's figures: how many of the branch's results are at each grade (those
    with none yet left out), from the rows already read."""
    counts: dict[str, int] = {}
    for row in rows:
        grade = row["result"].grade
        counts[grade] = counts.get(grade, 0) + 1
    return [(grade, counts[grade]) for grade in Grade.values if counts.get(grade)]


def _branch_page(request, branch, choose_scheme, *, entry_form=None, member_form=None):
    """``choose_scheme()`` gives the year's scheme. A frozen year (finalised) shows no
    entry form, reversal or tally links, and says why at the top."""
    actor = request.user
    can_manage = scope_for(actor).manages(branch.path)
    stamp = results_stamps(branch_ids=[branch.pk])[branch.pk]
    scheme = choose_scheme()
    # Reopening a year changes no result (no stamp): the frozen state is in the key.
    notice = frozen_notice(year=scheme.year, branch=branch) if scheme is not None else None
    if notice is not None:
        entry_form = None
    # A form shown again with its errors is not the page everybody else gets.
    with_errors = entry_form is not None or member_form is not None

    def body_context(entry_form=entry_form, member_form=member_form) -> dict:
        members = selectors.branch_members(actor=actor, branch=branch)
        by_code = {m.code: m for m in members}
        rows, entries = [], None
        if scheme is not None:
            results, tallies, decisions = selectors.branch_page_results(
                scheme=scheme, branch=branch, stamp=stamp
            )
            rows = [
                {
                    "result": r,
                    "member": by_code[r.member],
                    "tally": tallies.get(r.member),
                    "decision": decisions.get(r.member),
                }
                for r in results
                if r.member in by_code
            ]
            groups = sorted(set(scheme.items.exclude(group="").values_list("group", flat=True)))
            entries = table(
                request,
                entries_visible(actor=actor, year=scheme.year).filter(member__branch=branch),
                entries_table_spec(groups),
            )
            if can_manage and entry_form is None and notice is None:
                entry_form = _entry_form(request, branch, scheme)
        # The 计票 link only where counts may be typed in (no round, a year already over).
        direct_tally = (
            can_manage
            and scheme is not None
            and tally_direct_refusal(year=scheme.year, branch=branch) is None
        )
        if can_manage and member_form is None:
            member_form = MemberForm()
        return {
            "branch": branch,
            "scheme": scheme,
            "years": scheme_years(),
            "rows": rows,
            "members": members,
            "roster": table(request, members, MEMBERS_TABLE),
            "entries": entries,
            "can_manage": can_manage,
            "frozen_notice": notice,
            "direct_tally": direct_tally,
            "pending": [row["member"] for row in rows if row["result"].grade == "pending"],
            "grades": _grade_counts(rows),
            "entry_form": entry_form if can_manage else None,
            "member_form": member_form if can_manage else None,
        }

    if with_errors:
        body = mark_safe(  # noqa: S308 - our own autoescaped template
            render_to_string("web/_branch_body.html", body_context(), request=request)
        )
    else:
        body = page_body(
            request,
            template="web/_branch_body.html",
            # Opening a round (or a new calendar year) changes who may type in counts.
            key=[
                branch.pk,
                stamp,
                can_manage,
                notice is not None,
                round_years(branch=branch),
                timezone.localdate().year,
            ],
            context=body_context,
        )
    return render(request, "web/branch.html", {"branch": branch, "body": body})


@login_required
@require_GET
def branch_detail(request, code: str):
    branch = branch_for_staff(actor=request.user, code=code)
    return _branch_page(request, branch, lambda: scheme_chosen(request.GET.get("year")))


@login_required
@require_POST
def entry_create(request, code: str):
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code, manage=True)
    scheme = scheme_chosen_or_404(year_param(request))
    notice = frozen_notice(year=scheme.year, branch=branch)
    url = with_year(reverse("web:branch", args=[branch.code]), scheme)
    if notice is not None:  # posted from a page older than the finalisation
        return frozen_refusal(request, notice, url)
    form = _entry_form(request, branch, scheme, data=request.POST)

    def record(d):
        entry = entry_record(actor=actor, **d)
        names = {"name": entry.member.name, "item": entry.item.name}
        return url, _("已为 %(name)s 记录“%(item)s”。") % names

    return form_saved(request, form, record) or _branch_page(
        request, branch, lambda: scheme, entry_form=form
    )


@login_required
@require_POST
def member_create(request, code: str):
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code, manage=True)
    scheme = scheme_chosen(year_param(request))
    form = MemberForm(request.POST)

    def add(d):
        member = member_add(actor=actor, branch=branch, **d)
        url = with_year(reverse("web:branch", args=[branch.code]), scheme)
        return url, _("已添加党员 %(name)s。") % {"name": member.name}

    return form_saved(request, form, add) or _branch_page(
        request, branch, lambda: scheme, member_form=form
    )
