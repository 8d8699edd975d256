"""Fixtures shared by every app's tests: a small district with one user per role."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from kaoping.orgs.models import Member, Organization, RoleAssignment
from kaoping.orgs.services import member_link_user
from kaoping.schemes.models import Scheme
from kaoping.testing.browser import (  # noqa: F401 - the Playwright fixtures
    browser,
    open_page,
    shots,
)
from kaoping.testing.factories import (
    MemberFactory,
    OrganizationFactory,
    SchemeFactory,
    UserFactory,
    grant,
)
from kaoping.testing.office import office  # noqa: F401 - LibreOffice headless
from kaoping.testing.redis import redis_url  # noqa: F401 - a private redis-server
from kaoping.testing.slapd import slapd  # noqa: F401 - the directory server fixture

Role = RoleAssignment.Role


@dataclass
class District:
    """W (committee) → P1 (party committee) → B1, B2; W → R1 (retired branch)."""

    root: Organization
    p1: Organization
    b1: Organization
    b2: Organization
    r1: Organization
    scheme: Scheme
    m1: Member  # in B1, has a login (member1)
    m1b: Member  # in B1, no login
    m2: Member  # in B2, has a login (member2)
    r_member: Member  # in R1
    admin: User  # committee admin at W
    orgdept: User  # organization department reviewer at W
    sec1: User  # secretary of B1
    sec2: User  # secretary of B2
    supervisor: User  # supervision group assigned to B2
    member1: User
    member2: User
    outsider: User  # a login with no role and no member record


@pytest.fixture
def district(db) -> District:
    return make_district()


def make_district() -> District:
    """The ``district`` fixture's data, for fixtures of a wider scope (the access matrix)."""
    root = OrganizationFactory(code="W", name="区直机关工委", kind=Organization.Kind.COMMITTEE)
    p1 = OrganizationFactory(
        code="P1", name="区财政局机关党委", kind=Organization.Kind.PARTY_COMMITTEE, parent=root
    )
    b1 = OrganizationFactory(code="B1", name="第一党支部", parent=p1)
    b2 = OrganizationFactory(code="B2", name="第二党支部", parent=p1)
    r1 = OrganizationFactory(
        code="R1", name="离退休干部党支部", parent=root, category=Organization.Category.RETIRED
    )
    scheme = SchemeFactory(year=2026)
    users = {
        name: UserFactory(username=name)
        for name in (
            "admin",
            "orgdept",
            "sec1",
            "sec2",
            "supervisor",
            "member1",
            "member2",
            "outsider",
        )
    }
    grant(users["admin"], root, Role.COMMITTEE_ADMIN)
    grant(users["orgdept"], root, Role.ORG_DEPARTMENT)
    grant(users["sec1"], b1, Role.SECRETARY)
    grant(users["sec2"], b2, Role.SECRETARY)
    grant(users["supervisor"], b2, Role.SUPERVISOR)
    m1 = MemberFactory(code="M1", name="张三", branch=b1)
    m1b = MemberFactory(code="M1B", name="李四", branch=b1)
    m2 = MemberFactory(code="M2", name="王五", branch=b2)
    r_member = MemberFactory(code="R01", name="赵六", branch=r1)
    member_link_user(actor=None, member=m1, user=users["member1"])
    member_link_user(actor=None, member=m2, user=users["member2"])
    return District(
        root=root,
        p1=p1,
        b1=b1,
        b2=b2,
        r1=r1,
        scheme=scheme,
        m1=m1,
        m1b=m1b,
        m2=m2,
        r_member=r_member,
        **users,
    )


@pytest.fixture
def empty_database_url(tmp_path):
    """A factory of URLs of databases that do not exist yet, on the engine under test."""
    import uuid

    import psycopg
    from django.conf import settings

    config = settings.DATABASES["default"]
    created: list[str] = []

    def server(sql: str) -> None:
        """Run ``sql`` on the server's maintenance database (outside a transaction)."""
        with psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(sql)

    def make() -> str:
        if config["ENGINE"] != "django.db.backends.postgresql":
            return f"sqlite:///{tmp_path / uuid.uuid4().hex}.sqlite3"
        name = f"kaoping_cli_{uuid.uuid4().hex[:12]}"
        server(f'CREATE DATABASE "{name}"')
        created.append(name)
        user = config["USER"]
        return f"postgres://{user}@{config['HOST']}:{config['PORT'] or 5432}/{name}"

    yield make
    for name in created:
        server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """A request with the English cookie leaves English active in the test's thread
    (LocaleMiddleware does not switch back); restore the default for the next test."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def year_2026_over(monkeypatch):
    """Today's date in 2027, so that the district's 2026 is a year already over: paper
    counts of a year held outside Kaoping may then be typed in directly
    (``evaluation.services.tally_direct_refusal``). Only the date moves, not the clock."""
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2027, 1, 15))


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to the test's own folder, not the media root of the machine."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
