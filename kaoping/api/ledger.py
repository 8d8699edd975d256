"""The ledger through the API: a year's entries, recording an entry and reversing one;
the ledger's export and the entries import (as jobs); the periods published to the
members (台账公示)."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from kaoping.jobs.api import JobOut, branch_import_operations
from kaoping.ledger.selectors import (
    entries_visible,
    entry_access_by_code,
    ledger_publication_access_by_id,
    ledger_publications,
    published_entries,
)
from kaoping.ledger.services import entry_record, entry_reverse, ledger_publish
from kaoping.orgs.selectors import member_access_by_code, organization_access_by_code
from kaoping.schemes.selectors import scheme_items
from kaoping.web.background import ENTRIES_IMPORT, entries_export_start

from .auth import AuthedRequest
from .common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from .pagination import Cursor, Page
from .schemas import Code, EntryIn, EntryOut, ReverseIn, Year

router = Router()


@router.get("/years/{year}/entries", response={200: list[EntryOut], **READ_ERRORS}, tags=["ledger"])
@paginate(Cursor)
def entries(request: AuthedRequest, year: Year, member: Code | None = None):
    """Ledger entries of the year the user may see (reversals included)."""
    scheme_of_year(year)
    subject = member_access_by_code(actor=request.auth, code=member) if member else None
    return entries_visible(actor=request.auth, year=year, member=subject).order_by("date", "id")


@router.post("/years/{year}/entries", response={201: EntryOut, **WRITE_ERRORS}, tags=["ledger"])
def entry_create(request: AuthedRequest, year: Year, payload: EntryIn):
    """Record a deduction or bonus; ``item`` is a code of the year's scheme."""
    scheme = scheme_of_year(year)
    subject = member_access_by_code(actor=request.auth, code=payload.member, manage=True)
    if payload.date.year != year:
        raise DjangoValidationError(
            {
                "date": _("日期 %(date)s 不在 %(year)s 年度内。")
                % {"date": payload.date, "year": year}
            }
        )
    item = scheme_items(scheme).filter(code=payload.item).first()
    if item is None:
        raise DjangoValidationError(
            {
                "item": _("%(year)s 年度方案中没有指标 %(item)s。")
                % {"year": year, "item": payload.item}
            }
        )
    entry = entry_record(
        actor=request.auth,
        member=subject,
        item=item,
        **payload.model_dump(include={"date", "occurrences", "note", "evidence"}),
    )
    return 201, entry


@router.get("/entries/{code}", response={200: EntryOut, **READ_ERRORS}, tags=["ledger"])
def entry(request: AuthedRequest, code: Code):
    return entry_access_by_code(actor=request.auth, code=code)


@router.post("/entries/{code}/reverse", response={201: EntryOut, **WRITE_ERRORS}, tags=["ledger"])
def entry_reverse_view(request: AuthedRequest, code: Code, payload: ReverseIn):
    """Undo an entry by appending its reversal (冲销); the entry itself stays."""
    original = entry_access_by_code(actor=request.auth, code=code, manage=True)
    reversal = entry_reverse(
        actor=request.auth, entry=original, reason=payload.reason, date=payload.date
    )
    return 201, reversal


# --------------------------------------------------------------------------- in the background


@router.post(
    "/years/{year}/entries/export", response={202: JobOut, **WRITE_ERRORS}, tags=["ledger"]
)
def entries_export(request: AuthedRequest, year: Year):
    """Export the year's ledger of every branch the officer reads, as a job: poll
    ``/api/jobs/{id}``, then fetch its ``file``."""
    scheme_of_year(year)
    return 202, entries_export_start(actor=request.auth, year=year)


branch_import_operations(
    router,
    path="/branches/{code}/entries/import",
    spec=ENTRIES_IMPORT,
    operation_ids=(
        "kaoping_api_api_entries_import_check",
        "kaoping_api_api_entries_import_confirm",
    ),
    tags=["ledger"],
    check_doc="Check a spreadsheet of the branch's entries (the page's template and limits): "
    "every row's errors, or the ``token`` that confirms it. Nothing is written.",
)


# --------------------------------------------------------------------------- 台账公示


class PublicationIn(Schema):
    start: datetime.date
    end: datetime.date


class PublicationOut(Schema):
    id: int
    branch: str
    start: datetime.date
    end: datetime.date
    published_at: datetime.datetime

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code


class PublicationDetailOut(PublicationOut):
    entries: list[EntryOut]

    @staticmethod
    def resolve_entries(obj) -> list:
        return list(published_entries(publication=obj))


def _branch(actor, code: str):
    branch = organization_access_by_code(actor=actor, code=code)
    if not branch.is_branch:
        raise Http404(_("找不到这个党支部。"))
    return branch


@router.get(
    "/branches/{code}/ledger-publications",
    response={200: list[PublicationOut], **READ_ERRORS},
    tags=["ledger"],
)
@paginate(Page)
def ledger_publication_list(request: AuthedRequest, code: Code):
    """The periods of the branch's ledger published to its members, newest first (its
    members and officers)."""
    branch = _branch(request.auth, code)
    return ledger_publications(actor=request.auth, branch=branch).select_related("branch")


@router.post(
    "/branches/{code}/ledger-publications",
    response={201: PublicationOut, **WRITE_ERRORS},
    tags=["ledger"],
)
def ledger_publication_create(request: AuthedRequest, code: Code, payload: PublicationIn):
    """Publish a period of the branch's ledger (its officers); the members are told."""
    branch = _branch(request.auth, code)
    return 201, ledger_publish(actor=request.auth, branch=branch, **payload.dict())


@router.get(
    "/branches/{code}/ledger-publications/{id}",
    response={200: PublicationDetailOut, **READ_ERRORS},
    tags=["ledger"],
)
def ledger_publication(request: AuthedRequest, code: Code, id: int):  # noqa: A002
    """One published period with its entries (those of the branch's current members)."""
    branch = _branch(request.auth, code)
    return ledger_publication_access_by_id(actor=request.auth, branch=branch, pk=id)
