"""The evaluation's inputs through the API: paper-ballot tallies and the branch's
decisions at the excellent quota (the sealed vote has its own router in evaluation)."""

from ninja import Router

from kaoping.evaluation.services import quota_decision_record, tally_set
from kaoping.orgs.selectors import member_access_by_code
from kaoping.schemes.models import BALLOT_OPTION_NAMES

from .auth import AuthedRequest
from .common import WRITE_ERRORS, scheme_of_year
from .schemas import Code, QuotaDecisionIn, QuotaDecisionOut, TallyIn, TallyOut, Year

router = Router()


@router.put(
    "/years/{year}/tallies/{member}", response={200: TallyOut, **WRITE_ERRORS}, tags=["evaluation"]
)
def tally_put(request: AuthedRequest, year: Year, member: Code, payload: TallyIn):
    """Enter the paper-ballot counts of one member (纸质选票计票)."""
    scheme_of_year(year)
    subject = member_access_by_code(actor=request.auth, code=member, manage=True)
    counts = tally_set(actor=request.auth, year=year, member=subject, counts=payload.dict())
    return {"year": year, "member": subject.code} | {
        o: counts.get(o, 0) for o in BALLOT_OPTION_NAMES
    }


@router.post(
    "/years/{year}/quota-decisions",
    response={201: QuotaDecisionOut, **WRITE_ERRORS},
    tags=["evaluation"],
)
def quota_decision_create(request: AuthedRequest, year: Year, payload: QuotaDecisionIn):
    """Record the branch's decision on a tie at the excellent quota (组织认定)."""
    scheme_of_year(year)
    subject = member_access_by_code(actor=request.auth, code=payload.member, manage=True)
    decision = quota_decision_record(
        actor=request.auth,
        year=year,
        member=subject,
        **payload.model_dump(include={"excellent", "note"}),
    )
    return 201, decision
