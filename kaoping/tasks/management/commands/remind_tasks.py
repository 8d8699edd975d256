import datetime

from django.core.management.base import BaseCommand

from kaoping.tasks.services import tasks_remind_due


class Command(BaseCommand):
    help = "Tell members whose tasks are due within --hours (default 24) and not yet done."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours: int, **options):
        sent = tasks_remind_due(actor=None, within=datetime.timedelta(hours=hours))
        self.stdout.write(f"{sent} reminder(s) sent")
