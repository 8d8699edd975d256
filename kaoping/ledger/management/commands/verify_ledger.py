from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.selectors import ledger_verify


class Command(BaseCommand):
    help = "Check the ledger's tamper-evident chain; exits non-zero on any break."

    def handle(self, *args, **options):
        problems = ledger_verify()
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(_("评分台账不完整：发现 %(n)s 处问题。") % {"n": len(problems)})

        self.stdout.write(f"the ledger is intact: {ScoreEntry.objects.count()} entries verified")
