"""factory_boy factories that build records through the services, as real code does, and
the ledger entries many tests start from."""

import datetime
from collections.abc import Callable
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from kaoping.dues.services import dues_payment_record, dues_rate_set
from kaoping.ledger.services import entry_record
from kaoping.meetings.services import meeting_schedule
from kaoping.monitoring.models import MonitoringSettings
from kaoping.orgs.models import Member, Organization, RoleAssignment
from kaoping.orgs.services import member_link_user, member_upsert, organization_upsert
from kaoping.schemes.models import Scheme
from kaoping.schemes.services import scheme_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-for-tests-1")


class ServiceFactory(factory.Factory):
    """A factory that creates through the model's upsert/create service (``_service``, called
    by nobody), as real code does, not through ``Model.objects.create``."""

    _service: Callable[..., Any]

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return cls._service(actor=None, **kwargs)


class OrganizationFactory(ServiceFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"B{n:03d}")
    name = factory.LazyAttribute(lambda o: f"{o.code}党支部")
    kind = Organization.Kind.BRANCH
    parent = None
    category = Organization.Category.IN_SERVICE
    _service = staticmethod(organization_upsert)


class MemberFactory(ServiceFactory):
    class Meta:
        model = Member

    code = factory.Sequence(lambda n: f"M{n:05d}")
    name = factory.Sequence(lambda n: f"党员{n}")
    branch = factory.SubFactory(OrganizationFactory)
    status = Member.Status.ACTIVE
    membership = Member.Membership.FULL
    _service = staticmethod(member_upsert)


class SchemeFactory(ServiceFactory):
    class Meta:
        model = Scheme

    year = 2026
    _service = staticmethod(scheme_create)


def grant(user, organization: Organization, role: str) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, organization=organization, role=role)


def member_with_login(branch, code: str, name: str, username: str) -> Member:
    """A new member of ``branch`` linked to a new login ``username`` (as ``member.user``)."""
    member = MemberFactory(code=code, name=name, branch=branch)
    member_link_user(actor=None, member=member, user=UserFactory(username=username))
    return member


def ledger_entry(district, member, code: str, date: datetime.date, *, actor=None, **fields):
    """``member``'s entry of the district scheme's item ``code`` on ``date``, recorded
    through the service (by nobody unless ``actor``)."""
    item = district.scheme.items.get(code=code)
    return entry_record(actor=actor, member=member, item=item, date=date, **fields)


def b1_ledger(district, n: int, note=lambda i: "") -> None:
    """``n`` entries of B1's two members, one a day from 2026-01-01, alternating M1B and
    M1: every third a bonus (B01), the others deductions (D01), each noted ``note(i)``."""
    for i in range(n):
        ledger_entry(
            district,
            district.m1 if i % 2 else district.m1b,
            "B01" if i % 3 == 0 else "D01",
            datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
            note=note(i),
        )


def dues_paid(district, member, amount, paid_on: datetime.date) -> None:
    """``member``'s monthly dues set at ``amount`` for ``paid_on``'s year by B1's secretary,
    and that month paid in full on ``paid_on``."""
    dues_rate_set(actor=district.sec1, member=member, year=paid_on.year, amount=amount)
    dues_payment_record(
        actor=district.sec1,
        member=member,
        period=paid_on.replace(day=1),
        amount=amount,
        paid_on=paid_on,
    )


def b1_meeting(district, starts_at: datetime.datetime | None = None, **fields):
    """A meeting scheduled through the service: by default B1's 支部党员大会 (general) by
    its secretary, tomorrow at 9:00 local time, on 学习党章 in 三楼会议室, every assessed
    member attending; ``fields`` change any of them (actor, branch, kind, place, topic,
    members)."""
    if starts_at is None:
        nine = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
        starts_at = nine + datetime.timedelta(days=1)
    defaults = {
        "actor": district.sec1,
        "branch": district.b1,
        "kind": "general",
        "place": "三楼会议室",
        "topic": "学习党章",
    }
    return meeting_schedule(starts_at=starts_at, **(defaults | fields))


def meetings_not_required(
    year: int, evaluation_deadline: datetime.date, *, lecture_every: int = 0
) -> MonitoringSettings:
    """``year``'s monitoring settings requiring no 支部党员大会, 支委会 nor 党小组会, and a
    党课 every ``lecture_every`` months (0: none either)."""
    return MonitoringSettings.objects.create(
        year=year,
        general_every=0,
        committee_every=0,
        group_every=0,
        lecture_every=lecture_every,
        evaluation_deadline=evaluation_deadline,
    )
