"""Request and response bodies of the JSON API. Records are named by their codes, never
by database ids; decimals travel as strings holding the exact value."""

import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from kaoping.kit.decimals import decimal_text
from kaoping.kit.text import CODE_MAX, NOTE_MAX, control_char


def _plain(value: str) -> str:
    """Free text as every other path takes it (kaoping.kit.text): no control characters."""
    found = control_char(value)
    if found:
        message = gettext("含有不允许的控制字符（%(c)s），请删除后再提交。") % {"c": found}
        raise PydanticCustomError("control_character", "{message}", {"message": message})
    return value


# Codes in paths, queries and bodies: non-empty, bounded, no NUL (PostgreSQL refuses it).
# Lookups only: a code is made with the pattern of kaoping.kit.text (CODE_PATTERN).
Code = Annotated[str, StringConstraints(min_length=1, max_length=CODE_MAX, pattern=r"^[^\x00]+$")]
# Notes, reasons: the limits of the models and the bundles (kaoping.kit.text).
Text = Annotated[str, StringConstraints(max_length=NOTE_MAX), AfterValidator(_plain)]
Year = Annotated[int, Field(ge=1900, le=9999)]


def _in_range(value: datetime.datetime) -> datetime.datetime:
    """A moment the database and the time zones can hold (years 1901 to 9998, so that a
    shift to UTC never leaves the calendar)."""
    if not 1900 < value.year < 9999:
        message = gettext("时间超出范围（1901 至 9998 年）。")
        raise PydanticCustomError("moment_out_of_range", "{message}", {"message": message})
    return value


# A meeting's start, a task's deadline: any moment a person could mean.
Moment = Annotated[datetime.datetime, AfterValidator(_in_range)]


dec = decimal_text


class ErrorOut(Schema):
    """Every error of the API (docs/api.md "Errors"): a stable machine ``code``, the
    message in the request's language, and the messages per field."""

    code: str = Field(..., examples=["validation_error"])
    detail: str
    errors: dict[str, list[str]] = {}


# The 422's schema was its own before every error had ``errors``; kept as a name.
ValidationErrorOut = ErrorOut


# --------------------------------------------------------------------------- people


class RoleOut(Schema):
    role: str
    organization: str


class MeOut(Schema):
    username: str
    name: str
    superuser: bool
    roles: list[RoleOut]
    member: str | None


class OrganizationOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    category: str

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class MemberOut(Schema):
    code: str
    name: str
    branch: str
    status: str
    membership: str

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code


# --------------------------------------------------------------------------- ledger


class EntryOut(Schema):
    code: str
    year: int
    member: str
    item: str
    date: datetime.date
    occurrences: int
    points: str
    note: str
    evidence: str
    source: str
    reverses: str | None
    reversed_by: str | None
    recorded_by: str | None
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.code

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_points(obj) -> str | None:
        return dec(obj.points)

    @staticmethod
    def resolve_reverses(obj) -> str | None:
        return obj.reverses.code if obj.reverses_id else None

    @staticmethod
    def resolve_reversed_by(obj) -> str | None:
        reversal = getattr(obj, "reversed_by", None)  # reverse one-to-one: may be missing
        return reversal.code if reversal is not None else None

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by_id else None


class EntryIn(Schema):
    member: Code
    item: Code
    date: datetime.date
    occurrences: int = Field(1, ge=1, le=1_000_000)
    note: Text = ""
    evidence: Text = ""


class ReverseIn(Schema):
    reason: Text = Field(..., min_length=1)
    date: datetime.date | None = None


# --------------------------------------------------------------------------- evaluation


class TallyIn(Schema):
    excellent: int = Field(..., ge=0, le=1_000_000)
    qualified: int = Field(..., ge=0, le=1_000_000)
    basic: int = Field(..., ge=0, le=1_000_000)
    unqualified: int = Field(..., ge=0, le=1_000_000)


class TallyOut(Schema):
    year: int
    member: str
    excellent: int
    qualified: int
    basic: int
    unqualified: int


class QuotaDecisionIn(Schema):
    member: Code
    excellent: bool
    note: Text = Field(..., min_length=1)


class QuotaDecisionOut(Schema):
    year: int
    member: str
    excellent: bool
    note: str
    decided_by: str | None
    decided_at: datetime.datetime

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.code

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by_id else None


# --------------------------------------------------------------------------- results


class ResultOut(Schema):
    """One member of a results document (bundle.md)."""

    member: str
    branch: str
    deductions: str | None
    bonus: str | None
    daily: str | None
    democratic_pct: str | None
    democratic: str | None
    composite: str | None
    rank: int | None
    grade: str
    flags: list[str]


class StoredResultOut(ResultOut):
    computed_at: datetime.datetime

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.code

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code

    @staticmethod
    def resolve_deductions(obj) -> str | None:
        return dec(obj.deductions)

    @staticmethod
    def resolve_bonus(obj) -> str | None:
        return dec(obj.bonus)

    @staticmethod
    def resolve_daily(obj) -> str | None:
        return dec(obj.daily)

    @staticmethod
    def resolve_democratic_pct(obj) -> str | None:
        return dec(obj.democratic_pct)

    @staticmethod
    def resolve_democratic(obj) -> str | None:
        return dec(obj.democratic)

    @staticmethod
    def resolve_composite(obj) -> str | None:
        return dec(obj.composite)


# --------------------------------------------------------------------------- scheme


class SchemeItemOut(Schema):
    code: str
    kind: str
    group: str
    name: str
    points: str
    disqualifies: bool
    categories: list[str]


class SchemeOut(Schema):
    year: int
    base_points: str
    bonus_cap: str
    democratic_share: str
    excellent_threshold: str
    qualified_threshold: str
    basic_threshold: str
    excellent_quota: str
    quota_rounding: str
    ballot_options: dict[str, str]
    notice_days: int
    vote_min_turnout: str
    final: bool
    items: list[SchemeItemOut]


# --------------------------------------------------------------------------- unqualified


class CaseOut(Schema):
    """An "unqualified" case (不合格党员处置); ``member_name`` is masked (张*) for those
    who do not keep the branch."""

    code: str
    year: int
    branch: str
    member: str
    member_name: str
    condition: str
    condition_label: str
    state: str
    round: int
    created_at: datetime.datetime
    closed_at: datetime.datetime | None


class CaseStepOut(Schema):
    round: int
    stage: str
    body: str
    action: str
    by: str | None
    at: datetime.datetime
    reason: str


class CaseVoteOut(Schema):
    held_on: datetime.date
    entitled: int
    present: int
    in_favour: int
    against: int
    abstaining: int
    basis: str
    passed: bool


class CaseHandlingOut(Schema):
    kind: str
    decided_on: datetime.date
    due_on: datetime.date | None
    completed_on: datetime.date | None
    note: str


class CaseDetailOut(CaseOut):
    steps: list[CaseStepOut]
    vote: CaseVoteOut | None
    handlings: list[CaseHandlingOut]
    evidence_files: int


# --------------------------------------------------------------------------- archive


class ProfileOut(Schema):
    """A member's basic information (党员基本信息) as the archive shows it to the reader:
    ``id_number`` and ``phone`` masked (``1101**********0011``, ``138****0001``) unless
    the reader's role sees them in full (docs/archive.md); "" where nothing is recorded."""

    gender: str
    gender_label: str
    ethnicity: str
    birth_date: datetime.date | None
    id_number: str
    education: str
    native_place: str
    joined_on: datetime.date | None
    full_member_on: datetime.date | None
    job: str
    phone: str


class MemberChangeOut(Schema):
    """One changed field of the archive (变更记录); old and new values of ID and phone
    numbers are masked exactly as the profile is."""

    at: datetime.datetime
    field: str
    field_label: str
    old: str
    new: str
    source: str
    by: str | None

    @staticmethod
    def resolve_by(obj) -> str | None:
        return obj.actor.get_username() if obj.actor_id else None


class TransferOut(Schema):
    """A transfer of the Party relationship (组织关系转接); ``to_branch`` is empty when the
    member left for ``destination`` outside the deployment."""

    date: datetime.date
    from_branch: str
    to_branch: str | None
    destination: str
    reason: str

    @staticmethod
    def resolve_from_branch(obj) -> str:
        return obj.from_branch.code

    @staticmethod
    def resolve_to_branch(obj) -> str | None:
        return obj.to_branch.code if obj.to_branch_id else None


class LostContactOut(Schema):
    """A period out of contact (失联): ``open`` until ``found_on`` is recorded."""

    since: datetime.date
    efforts: str
    found_on: datetime.date | None
    found_note: str
    open: bool

    @staticmethod
    def resolve_open(obj) -> bool:
        return obj.found_on is None


class InvestigationOut(Schema):
    """An investigation (接受调查, 暂不纳入考评): ``open`` (deferred) until the decision."""

    body: str
    started_on: datetime.date
    decided_on: datetime.date | None
    decision: str
    state: Literal["open", "decided"]

    @staticmethod
    def resolve_state(obj) -> str:
        return "open" if obj.decided_on is None else "decided"


class ExemptionOut(Schema):
    """An item the member is exempt from (免于考评的指标); no dates = every day."""

    item: str
    item_name: str
    reason: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item_code


class MemberArchiveOut(Schema):
    """A member's archive (党员台账) as the archive page shows it to the reader;
    ``personal_data_full`` says whether ID and phone numbers are shown in full."""

    code: str
    name: str
    branch: str
    membership: str
    status: str
    personal_data_full: bool
    profile: ProfileOut
    changes: list[MemberChangeOut]
    transfers: list[TransferOut]
    lost_contacts: list[LostContactOut]
    investigations: list[InvestigationOut]
    exemptions: list[ExemptionOut]


class RosterLineOut(Schema):
    """One line of a branch roster (党员名册), masked as the roster page masks it: in full
    only for the committee and the organisation department."""

    code: str
    name: str
    branch: str
    membership: str
    status: str
    profile: ProfileOut


class OpenLostContactOut(Schema):
    """A member out of contact now (失联党员), for the staff's list."""

    member: str
    member_name: str
    branch: str
    since: datetime.date
    efforts: str

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.code

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.member.branch.code
