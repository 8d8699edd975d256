"""``kaoping demo``: load the demo district, its logins and its computed results."""

import time
import unicodedata
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.audit.models import AuditEvent
from kaoping.bundles.services import BundleError, bundle_import
from kaoping.demo.daily import create_daily, create_tasks_and_inspections
from kaoping.demo.generator import DEFAULT_PASSWORD, DemoLogin, demo_bundle, demo_logins
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.services import member_link_user, role_assign
from kaoping.scoring.models import MemberResult
from kaoping.scoring.services import results_compute

GRADES = (
    ("excellent", "优秀"),
    ("qualified", "合格"),
    ("basic", "基本合格"),
    ("warning", "警示"),
    ("pending", "待认定"),
    ("deferred", "暂缓"),
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def logins_table(rows: list[tuple[str, str, str, str]]) -> str:
    """A plain-text table of (username, password, role, what to look at)."""
    header = ("用户名 username", "密码 password", "角色 role", "看点 what to look at")
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(_pad(row[i], widths[i]) for i in range(3)) + "  " + row[3])
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * _width(header[3]))
    return "\n".join(lines)


def existing_login_rows(
    logins: list[DemoLogin], password: str | None
) -> list[tuple[str, str, str, str]]:
    """Table rows for the demo logins present in the database; the password is shown
    only where it is the one given (checked once per distinct stored hash)."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[lg.username for lg in logins])
    }
    verified: dict[str, bool] = {}
    rows = []
    for login in logins:
        user = users.get(login.username)
        if user is None:
            continue
        if password is not None and user.password not in verified:
            verified[user.password] = check_password(password, user.password)
        shown = password if password is not None and verified[user.password] else "（已设置 set）"
        rows.append((login.username, shown, login.label, login.look_at))
    return rows


class Command(BaseCommand):
    help = (
        "载入演示数据：区直机关工委、12 个党支部、约 300 名党员、一年的评分台账与民主测评，"
        "以及各角色的登录账号。Load a demo district (12 branches, about 300 members, a year "
        "of ledger entries and ballot tallies) with a login for every role, and compute the "
        "year's results. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, default=None, help="the demo year (default: the current year)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (only list the logins) when the database already has members",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password of the demo logins it creates (default {DEFAULT_PASSWORD})",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="seed of the generated data (default 2026)"
        )

    def handle(self, *args, year, if_empty, password, seed, **options):
        year = year or timezone.localdate().year
        bundle = demo_bundle(year=year, seed=seed)
        logins = demo_logins(bundle)
        if if_empty and Member.objects.exists():
            self.stdout.write(
                "数据库中已有党员，未载入演示数据。"
                "The database already has members: the demo was not loaded."
            )
            self._write_logins(logins, password)
            return

        started = time.monotonic()
        events_before = AuditEvent.objects.count()
        try:
            with transaction.atomic():
                summary = bundle_import(actor=None, data=bundle)
                created = self._ensure_logins(logins, password)
                create_daily(year=year, seed=seed)
                create_tasks_and_inspections(year=year, seed=seed)
                changed = created or AuditEvent.objects.count() != events_before
                computed = changed or not MemberResult.objects.filter(year=year).exists()
                if computed:
                    results_compute(actor=None, year=year)
        except BundleError as exc:
            raise CommandError(_("演示数据包被拒绝：\n%(errors)s") % {"errors": exc}) from exc
        elapsed = time.monotonic() - started

        grades = Counter(MemberResult.objects.filter(year=year).values_list("grade", flat=True))
        branches = Organization.objects.filter(kind=Organization.Kind.BRANCH).count()
        parents = Organization.objects.filter(
            kind__in=[Organization.Kind.PARTY_COMMITTEE, Organization.Kind.GENERAL_BRANCH]
        ).count()
        out = self.stdout.write
        out(self.style.SUCCESS(f"考评演示数据 Kaoping demo — {year} 年度 year"))
        out(
            f"  区直机关工委：{parents} 个党委/党总支，{branches} 个党支部 branches · "
            f"{summary.members} 名党员 members · {len(bundle['entries'])} 条台账 ledger entries "
            f"（本次新增 added {summary.entries_added}）"
        )
        out(
            f"  民主测评计票 ballot tallies {summary.votes} · "
            f"上年等次 last year's grades {summary.history}"
        )
        out(
            "  结果 results: "
            + " · ".join(f"{zh} {en} {grades.get(en, 0)}" for en, zh in GRADES)
            + ("" if computed else "（未变化，未重算 unchanged, not recomputed）")
        )
        out(f"  用时 took {elapsed:.1f} s")
        self._write_logins(logins, password)

    def _ensure_logins(self, logins: list[DemoLogin], password: str) -> int:
        """Create the demo users (existing ones are left as they are) and their roles;
        returns how many users were created."""
        User = get_user_model()
        hashed = make_password(password)  # one hash for every demo login: fast
        orgs = {o.code: o for o in Organization.objects.all()}
        members = {
            m.code: m
            for m in Member.objects.filter(
                code__in=[c for lg in logins if lg.role == "member" for c in lg.organizations]
            )
        }
        created = 0
        for login in logins:
            user, new = User.objects.get_or_create(
                username=login.username,
                defaults={
                    "password": hashed,
                    "is_staff": login.superuser,
                    "is_superuser": login.superuser,
                },
            )
            created += new
            for code in login.organizations:
                if login.role == "member":
                    member = members[code]
                    if member.user_id is None:
                        member_link_user(actor=None, member=member, user=user)
                else:
                    role_assign(actor=None, user=user, organization=orgs[code], role=login.role)
        return created

    def _write_logins(self, logins: list[DemoLogin], password: str) -> None:
        rows = existing_login_rows(logins, password)
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write("登录账号 Logins:")
        self.stdout.write(logins_table(rows))
