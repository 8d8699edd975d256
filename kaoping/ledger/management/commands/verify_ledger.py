from django.core.management.base import BaseCommand, CommandError

from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.selectors import ledger_verify


class Command(BaseCommand):
    help = "Check the ledger's tamper-evident chain; exits non-zero on any break."

    def handle(self, *args, **options):
        problems = ledger_verify()
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"the ledger is NOT intact: {len(problems)} problem(s)")
        self.stdout.write(f"the ledger is intact: {ScoreEntry.objects.count()} entries verified")
