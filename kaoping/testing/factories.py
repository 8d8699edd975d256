"""factory_boy factories that build records through the services, as real code does."""

import factory
from django.contrib.auth import get_user_model

from kaoping.orgs.models import Member, Organization, RoleAssignment
from kaoping.orgs.services import member_upsert, organization_upsert
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
