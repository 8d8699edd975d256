"""``kaoping deliveries digest [--day YYYY-MM-DD]`` plans the day's digests (once a day,
from the operator's scheduler, e.g. at 18:00); ``kaoping deliveries due`` hands every
due copy and group post to the task queue and marks those lost in "sending" failed
(after a restart, or every few minutes with a backend that cannot defer)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.delivery import services


class Command(BaseCommand):
    help = "Plan the day's digests (digest), or enqueue what is due (due)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["digest", "due"])
        parser.add_argument("--day", help="the digest's day, YYYY-MM-DD (default: today)")

    def handle(self, *args, what: str, day: str | None, **options):
        if what == "due":
            n = services.deliveries_due_send()
            self.stdout.write(_("已将 %(n)s 条到期消息交给后台任务。") % {"n": n})
            return
        try:
            date = datetime.date.fromisoformat(day) if day else timezone.localdate()
        except ValueError as exc:
            raise CommandError(_("日期 %(day)s 无效，应为 YYYY-MM-DD。") % {"day": day}) from exc
        n = services.digests_plan(day=date)
        self.stdout.write(
            _("已安排 %(n)s 份 %(day)s 的每日汇总。") % {"n": n, "day": date.isoformat()}
        )
