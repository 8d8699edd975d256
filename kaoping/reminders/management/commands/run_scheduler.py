import signal
import time

from django.core.management.base import BaseCommand

from kaoping.reminders.schedule import schedules_run_due


class Command(BaseCommand):
    help = (
        "Enqueue the scheduled tasks (reminders) when they are due; run one or more beside "
        "the workers: each run is enqueued once (docs/notifications.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=float, default=20.0, help="seconds between checks")

    def handle(self, *args, once: bool, interval: float, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            for name in schedules_run_due():
                self.stdout.write(f"enqueued {name}")
            self.stdout.flush()
            if once or stopping:
                return
            time.sleep(interval)
