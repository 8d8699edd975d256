"""``kaoping accounts-issue --branch CODE [--output FILE.xlsx]``: create the logins of a
branch's members without one (as the accounts page does) and hand out the initial
passwords: into a new spreadsheet readable by its owner only, or printed."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kaoping.accounts.services.logins import Slip, logins_issue
from kaoping.accounts.slips import slips_headers, slips_rows, slips_xlsx_write
from kaoping.orgs.models import Organization


class Command(BaseCommand):
    help = "Create logins for a branch's members without one; write or print the slips."

    def add_arguments(self, parser):
        parser.add_argument("--branch", required=True, help="code of the branch (or subtree)")
        parser.add_argument("--output", help="a new .xlsx file for the slips (made 0600)")

    def handle(self, *args, branch: str, output: str | None, **options):
        org = Organization.objects.filter(code=branch).first()
        if org is None:
            raise CommandError(_("找不到党组织 %(code)s。") % {"code": branch})
        fd = None
        if output:
            try:
                fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError as exc:
                raise CommandError(
                    _("文件 %(path)s 已存在，不会覆盖。") % {"path": output}
                ) from exc
        try:
            batch = logins_issue(actor=None, organization=org, handed_over=True)
        except ValidationError as exc:
            if fd is not None:
                os.close(fd)
                os.unlink(output)
            raise CommandError("; ".join(exc.messages)) from exc
        slips = [
            Slip(
                name=i.member.name,
                code=i.member.code,
                branch=i.member.branch.name,
                username=i.username,
                password=i.password,
            )
            for i in batch.issued
        ]
        site = settings.KAOPING_SITE_URL
        if fd is not None:
            with os.fdopen(fd, "wb") as out:
                slips_xlsx_write(out, slips, site)
        else:
            self.stdout.write("\t".join(slips_headers()))
            for row in slips_rows(slips, site):
                self.stdout.write("\t".join(row))
        self.stderr.write(
            _("已为 %(org)s 的 %(n)s 名党员开通账号。") % {"org": org.name, "n": len(slips)}
            + (f" → {output}" if output else "")
        )
