"""factory_boy factories that build records through the services, as real code does, and
the ledger entries many tests start from."""

import datetime

import factory
from django.contrib.auth import get_user_model

from kaoping.dues.services import dues_payment_record, dues_rate_set
from kaoping.ledger.services import entry_record
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


class OrganizationFactory(factory.Factory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"B{n:03d}")
    name = factory.LazyAttribute(lambda o: f"{o.code}党支部")
    kind = Organization.Kind.BRANCH
    parent = None
    category = Organization.Category.IN_SERVICE

    @classmethod
    def _create(cls, model_class, **kwargs):
        return organization_upsert(actor=None, **kwargs)


class MemberFactory(factory.Factory):
    class Meta:
        model = Member

    code = factory.Sequence(lambda n: f"M{n:05d}")
    name = factory.Sequence(lambda n: f"党员{n}")
    branch = factory.SubFactory(OrganizationFactory)
    status = Member.Status.ACTIVE
    membership = Member.Membership.FULL

    @classmethod
    def _create(cls, model_class, **kwargs):
        return member_upsert(actor=None, **kwargs)


class SchemeFactory(factory.Factory):
    class Meta:
        model = Scheme

    year = 2026

    @classmethod
    def _create(cls, model_class, **kwargs):
        return scheme_create(actor=None, **kwargs)


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
