"""Kaoping's JSON API (django-ninja), mounted at /api/.

Endpoints are thin: reads go through selectors that take the ``actor`` and return only
what the actor may see; writes go through services. Records are named by their codes.
Errors are JSON: ``{"detail": ...}``, plus ``"errors": {field: [messages]}`` for 422.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from ninja import NinjaAPI
from ninja.decorators import decorate_view
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from kaoping.accounts.api_logins import router as accounts_logins_router
from kaoping.accounts.api_passwords import router as accounts_passwords_router
from kaoping.accounts.api_roles import router as accounts_roles_router
from kaoping.archive.selectors import (
    lost_contacts_open,
    member_archive,
    member_for_archive,
    roster_lines,
)
from kaoping.evaluation.api_vote import router as evaluation_vote_router
from kaoping.evaluation.services import quota_decision_record, tally_set
from kaoping.ledger.selectors import entries_visible, entry_access_by_code
from kaoping.ledger.services import entry_record, entry_reverse
from kaoping.orgs.selectors import (
    branch_for_staff,
    branches_visible,
    member_access_by_code,
    members_visible,
    organization_access_by_code,
    organizations_visible,
    scope_for,
)
from kaoping.schemes.models import BALLOT_OPTION_NAMES, SETTING_FIELDS, Scheme
from kaoping.schemes.selectors import scheme_for_year, scheme_items
from kaoping.scoring.selectors import live_results, stored_results
from kaoping.unqualified.models import UnqualifiedCase
from kaoping.unqualified.selectors import (
    case_access_by_code,
    case_file,
    cases_visible,
    mask_name,
    names_visible,
)

from .auth import api_token_auth, session_auth
from .pagination import Page
from .schemas import (
    CaseDetailOut,
    CaseOut,
    Code,
    EntryIn,
    EntryOut,
    ErrorOut,
    MemberArchiveOut,
    MemberOut,
    MeOut,
    OpenLostContactOut,
    OrganizationOut,
    QuotaDecisionIn,
    QuotaDecisionOut,
    ResultOut,
    ReverseIn,
    RosterLineOut,
    SchemeOut,
    StoredResultOut,
    TallyIn,
    TallyOut,
    ValidationErrorOut,
    Year,
    dec,
)
from .selectors import member_code_of, roles_of

api = NinjaAPI(
    title="Kaoping API",
    version="1",
    description="考评 (Kaoping): quantified daily assessment of Party members. "
    "Authenticate with a session (browsers; CSRF token required on writes) or with "
    "`Authorization: Bearer <token>` (programs; `kaoping create-api-token`).",
    urls_namespace="api",
    auth=[api_token_auth, session_auth],
    openapi_url="/openapi.json",
    docs_url="/docs",
)

# Accounts, passwords and roles (issue 16) live with their app, one router per concept.
api.add_router("", accounts_logins_router)
api.add_router("", accounts_passwords_router)
api.add_router("", accounts_roles_router)
# The sealed vote's ballot box, counting and anonymous ballots (issue 17).
api.add_router("", evaluation_vote_router)

# 422: a malformed query parameter (page, page_size, year ...) - found by the fuzz test.
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
# 400: a body that is not JSON at all ("Cannot parse request body") - found by the fuzz test.
WRITE_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


# --------------------------------------------------------------------------- errors


def _field_of(loc) -> str:
    # ninja locations look like ("body", "payload", "date") or ("query", "page").
    parts = [str(p) for p in loc[1:] if str(p) not in {"payload", "pagination", "filters"}]
    return ".".join(parts) or "__all__"


def _summary(errors: dict[str, list[str]]) -> str:
    return "; ".join(
        m if f == "__all__" else f"{f}: {m}" for f, messages in errors.items() for m in messages
    )


@api.exception_handler(NinjaValidationError)
def _ninja_validation_error(request: HttpRequest, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_of(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return api.create_response(
        request, {"detail": _summary(errors) or _("输入无效。"), "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request: HttpRequest, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = {f: [str(m) for m in ms] for f, ms in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return api.create_response(
        request, {"detail": _summary(errors) or _("输入无效。"), "errors": errors}, status=422
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return api.create_response(
        request, {"detail": str(exc) or _("找不到所请求的内容。")}, status=404
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or _("您没有权限。")}, status=403)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception):
    """Any other failure: a JSON 500 that says nothing of the cause (ninja's own handler
    would re-raise it, or with DEBUG answer the traceback as text); the traceback goes to
    the log, as Django's handler would have sent it."""
    import logging

    from django.utils.translation import gettext

    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, exc_info=exc
    )
    return api.create_response(request, {"detail": gettext("服务器内部错误")}, status=500)


# --------------------------------------------------------------------------- helpers


def _scheme(year: int) -> Scheme:
    scheme = scheme_for_year(year)
    if scheme is None:
        raise Http404(_("%(year)s 年度还没有考评方案。") % {"year": year})
    return scheme


def _branches_in(actor, branch: str | None):
    """Visible branches, all or those under the organisation ``branch`` names."""
    branches = branches_visible(actor=actor)
    if branch:
        org = organization_access_by_code(actor=actor, code=branch)
        if org.is_branch:  # readable, so visible: the only branch under itself
            return [org]
        branches = branches.filter(path__startswith=org.path)
    return list(branches)


# --------------------------------------------------------------------------- people


@api.get("/me", response={200: MeOut, 401: ErrorOut}, tags=["people"])
@decorate_view(ensure_csrf_cookie)
def me(request: HttpRequest):
    """The signed-in user, their roles and their member record (sets the CSRF cookie)."""
    user = request.auth
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "superuser": user.is_superuser,
        "roles": [{"role": r, "organization": o} for r, o in roles_of(actor=user)],
        "member": member_code_of(actor=user),
    }


@api.get(
    "/organizations",
    response={200: list[OrganizationOut], 401: ErrorOut, 422: ValidationErrorOut},
    tags=["people"],
)
@paginate(Page)
def organizations(request: HttpRequest):
    """Organisations the user may see, in tree order."""
    return organizations_visible(actor=request.auth).select_related("parent").order_by("path")


@api.get("/members", response={200: list[MemberOut], **READ_ERRORS}, tags=["people"])
@paginate(Page)
def members(request: HttpRequest, branch: Code | None = None):
    """Members the user may see; ``branch`` narrows to an organisation's subtree."""
    qs = members_visible(actor=request.auth)
    if branch:
        org = organization_access_by_code(actor=request.auth, code=branch)
        qs = qs.filter(branch__path__startswith=org.path)
    return qs.order_by("branch__path", "code")


@api.get("/members/{code}", response={200: MemberOut, **READ_ERRORS}, tags=["people"])
def member(request: HttpRequest, code: Code):
    return member_access_by_code(actor=request.auth, code=code)


# --------------------------------------------------------------------------- archive

_PROFILE_DATES = frozenset({"birth_date", "joined_on", "full_member_on"})


def _profile_row(values: dict, profile) -> dict:
    """``values`` as ``archive.selectors.profile_values`` made them for this reader (masked
    there or not at all), dates as dates and the gender also as its code."""
    row = {f: (v or None) if f in _PROFILE_DATES else v for f, v in values.items()}
    row["gender_label"] = row["gender"]
    row["gender"] = profile.gender if profile is not None else ""
    return row


def _member_row(member) -> dict:
    return {
        "code": member.code,
        "name": member.name,
        "branch": member.branch.code,
        "membership": member.membership,
        "status": member.status,
    }


@api.get(
    "/members/{code}/archive", response={200: MemberArchiveOut, **READ_ERRORS}, tags=["archive"]
)
def member_archive_view(request: HttpRequest, code: Code):
    """A member's archive (党员台账), for whoever may open its page and masked as there."""
    subject = member_for_archive(actor=request.auth, code=code)
    archive = member_archive(actor=request.auth, member=subject)
    return _member_row(subject) | {
        "personal_data_full": archive.full,
        "profile": _profile_row(archive.values, archive.profile),
        "changes": archive.changes,
        "transfers": archive.transfers,
        "lost_contacts": archive.lost_contacts,
        "investigations": archive.investigations,
        "exemptions": archive.exemptions,
    }


@api.get(
    "/branches/{code}/roster", response={200: list[RosterLineOut], **READ_ERRORS}, tags=["archive"]
)
@paginate(Page)
def roster(request: HttpRequest, code: Code):
    """A branch roster (党员名册) for those who keep or read the branch as staff, masked
    as the roster page masks it (in full for the committee and the org department)."""
    branch = branch_for_staff(actor=request.auth, code=code)
    return [
        _member_row(line.member)
        | {"profile": _profile_row(line.values, getattr(line.member, "profile", None))}
        for line in roster_lines(actor=request.auth, org=branch)
    ]


@api.get(
    "/archive/lost-contact",
    response={200: list[OpenLostContactOut], 403: ErrorOut, **READ_ERRORS},
    tags=["archive"],
)
@paginate(Page)
def lost_contacts(request: HttpRequest):
    """Members out of contact now (失联党员) in the user's scope, longest first; staff only."""
    return lost_contacts_open(actor=request.auth)


# --------------------------------------------------------------------------- ledger


@api.get("/years/{year}/entries", response={200: list[EntryOut], **READ_ERRORS}, tags=["ledger"])
@paginate(Page)
def entries(request: HttpRequest, year: Year, member: Code | None = None):
    """Ledger entries of the year the user may see (reversals included)."""
    _scheme(year)
    subject = member_access_by_code(actor=request.auth, code=member) if member else None
    return entries_visible(actor=request.auth, year=year, member=subject).order_by("date", "id")


@api.post("/years/{year}/entries", response={201: EntryOut, **WRITE_ERRORS}, tags=["ledger"])
def entry_create(request: HttpRequest, year: Year, payload: EntryIn):
    """Record a deduction or bonus; ``item`` is a code of the year's scheme."""
    scheme = _scheme(year)
    subject = member_access_by_code(actor=request.auth, code=payload.member, manage=True)
    if payload.date.year != year:
        raise DjangoValidationError({"date": f"{payload.date} is not in {year}"})
    item = scheme_items(scheme).filter(code=payload.item).first()
    if item is None:
        raise DjangoValidationError({"item": f"unknown item {payload.item} in the {year} scheme"})
    entry = entry_record(
        actor=request.auth,
        member=subject,
        item=item,
        date=payload.date,
        occurrences=payload.occurrences,
        note=payload.note,
        evidence=payload.evidence,
    )
    return 201, entry


@api.get("/entries/{code}", response={200: EntryOut, **READ_ERRORS}, tags=["ledger"])
def entry(request: HttpRequest, code: Code):
    return entry_access_by_code(actor=request.auth, code=code)


@api.post("/entries/{code}/reverse", response={201: EntryOut, **WRITE_ERRORS}, tags=["ledger"])
def entry_reverse_view(request: HttpRequest, code: Code, payload: ReverseIn):
    """Undo an entry by appending its reversal (冲销); the entry itself stays."""
    original = entry_access_by_code(actor=request.auth, code=code, manage=True)
    reversal = entry_reverse(
        actor=request.auth, entry=original, reason=payload.reason, date=payload.date
    )
    return 201, reversal


# --------------------------------------------------------------------------- evaluation


@api.put(
    "/years/{year}/tallies/{member}", response={200: TallyOut, **WRITE_ERRORS}, tags=["evaluation"]
)
def tally_put(request: HttpRequest, year: Year, member: Code, payload: TallyIn):
    """Enter the paper-ballot counts of one member (纸质选票计票)."""
    _scheme(year)
    subject = member_access_by_code(actor=request.auth, code=member, manage=True)
    counts = tally_set(actor=request.auth, year=year, member=subject, counts=payload.dict())
    return {"year": year, "member": subject.code} | {
        o: counts.get(o, 0) for o in BALLOT_OPTION_NAMES
    }


@api.post(
    "/years/{year}/quota-decisions",
    response={201: QuotaDecisionOut, **WRITE_ERRORS},
    tags=["evaluation"],
)
def quota_decision_create(request: HttpRequest, year: Year, payload: QuotaDecisionIn):
    """Record the branch's decision on a tie at the excellent quota (组织认定)."""
    _scheme(year)
    subject = member_access_by_code(actor=request.auth, code=payload.member, manage=True)
    decision = quota_decision_record(
        actor=request.auth,
        year=year,
        member=subject,
        excellent=payload.excellent,
        note=payload.note,
    )
    return 201, decision


# --------------------------------------------------------------------------- results


def _live_row(result) -> dict:
    row = result.as_dict()
    for field in ("deductions", "bonus", "daily", "democratic_pct", "democratic", "composite"):
        value = getattr(result, field)
        row[field] = dec(value)
    return row


@api.get("/years/{year}/results", response={200: list[ResultOut], **READ_ERRORS}, tags=["results"])
@paginate(Page)
def results_live(request: HttpRequest, year: Year, branch: Code | None = None):
    """Live results computed now from the ledger, for the members the user may see
    (ranks and quotas are per whole branch; a member sees only their own row)."""
    scheme = _scheme(year)
    branches = _branches_in(request.auth, branch)
    if not branches:
        return []
    visible = None  # an officer reading every one of the branches sees all their members
    if not all(scope_for(request.auth).reads(b.path) for b in branches):
        visible = set(
            members_visible(actor=request.auth)
            .filter(branch__in=branches)
            .values_list("code", flat=True)
        )
    results = live_results(scheme=scheme, branches=branches)
    return [_live_row(r) for r in results if visible is None or r.member in visible]


@api.get(
    "/years/{year}/results/stored",
    response={200: list[StoredResultOut], **READ_ERRORS},
    tags=["results"],
)
@paginate(Page)
def results_stored(request: HttpRequest, year: Year, branch: Code | None = None):
    """Results as last stored by ``kaoping compute``, for the members the user may see."""
    _scheme(year)
    qs = stored_results(actor=request.auth, year=year)
    if branch:
        org = organization_access_by_code(actor=request.auth, code=branch)
        qs = qs.filter(branch__path__startswith=org.path)
    return qs


# --------------------------------------------------------------------------- scheme


def _setting(value):
    if isinstance(value, Decimal):
        return dec(value)
    if isinstance(value, dict):  # ballot options, as stored
        return {k: str(v) for k, v in value.items()}
    return value


@api.get("/years/{year}/scheme", response={200: SchemeOut, **READ_ERRORS}, tags=["scheme"])
def scheme(request: HttpRequest, year: Year):
    """The year's scheme: its settings and its items."""
    s = _scheme(year)
    return {
        "year": s.year,
        **{f: _setting(getattr(s, f)) for f in SETTING_FIELDS},
        "final": s.is_final,
        "items": [
            {
                "code": i.code,
                "kind": i.kind,
                "group": i.group,
                "name": i.name,
                "points": dec(i.points),
                "disqualifies": i.disqualifies,
                "categories": list(i.categories or []),
            }
            for i in scheme_items(s)
        ],
    }


# --------------------------------------------------------------------------- unqualified


def _case_row(actor, case, full_names: dict[int, bool]) -> dict:
    if case.branch_id not in full_names:
        full_names[case.branch_id] = names_visible(actor, case.branch)
    name = case.member.name
    return {
        "code": case.code,
        "year": case.year,
        "branch": case.branch.code,
        "member": case.member.code,
        "member_name": name if full_names[case.branch_id] else mask_name(name),
        "condition": case.condition,
        "condition_label": str(case.get_condition_display()),
        "state": case.state,
        "round": case.round,
        "created_at": case.created_at,
        "closed_at": case.closed_at,
    }


@api.get("/unqualified-cases", response={200: list[CaseOut], **READ_ERRORS}, tags=["unqualified"])
@paginate(Page)
def unqualified_cases(
    request: HttpRequest, year: Year | None = None, state: UnqualifiedCase.State | None = None
):
    """The "unqualified" cases (不合格党员处置) of the branches where the user acts for the
    branch, the working committee or the organisation department, oldest first."""
    qs = cases_visible(actor=request.auth).order_by("created_at", "code")
    if year is not None:
        qs = qs.filter(year=year)
    if state is not None:
        qs = qs.filter(state=state)
    full_names: dict[int, bool] = {}
    return [_case_row(request.auth, case, full_names) for case in qs]


@api.get(
    "/unqualified-cases/{code}",
    response={200: CaseDetailOut, **READ_ERRORS},
    tags=["unqualified"],
)
def unqualified_case(request: HttpRequest, code: Code):
    """One case's file: every step (who, when, why), the general meeting's vote, the
    handling decided, and how many evidence files it holds (the files themselves are on
    the case's page)."""
    case = case_access_by_code(actor=request.auth, code=code)
    file = case_file(case=case)
    vote = file["vote"]
    return _case_row(request.auth, case, {}) | {
        "member_name": case.member.name,  # the file names the member, as its page does
        "steps": [
            {
                "round": s.round,
                "stage": s.stage,
                "body": s.body,
                "action": s.action,
                "by": s.actor.username if s.actor else None,
                "at": s.at,
                "reason": s.reason,
            }
            for s in file["steps"]
        ],
        "vote": None
        if vote is None
        else {
            "held_on": vote.held_on,
            "entitled": vote.entitled,
            "present": vote.present,
            "in_favour": vote.in_favour,
            "against": vote.against,
            "abstaining": vote.abstaining,
            "basis": vote.basis,
            "passed": vote.passed,
        },
        "handlings": [
            {
                "kind": h.kind,
                "decided_on": h.decided_on,
                "due_on": h.due_on,
                "completed_on": h.completed_on,
                "note": h.note,
            }
            for h in file["handlings"]
        ],
        "evidence_files": len(file["evidence"]),
    }
