"""Sends reminders without Celery or Redis: runs the same sweep in a loop (the embedded default;
`make run` starts it beside the web server). Once a day it also runs the privacy work (account
deletions past their grace period, retention) and every ROLLUP_REFRESH_SECONDS it brings the HR
report's rollups up to date: the work Celery beat runs in production."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from notifications import services
from privacy import services as privacy_services
from reports import rollups

DAY = 24 * 60 * 60


class Command(BaseCommand):
    help = "Run the reminder sweep every --interval seconds (default 60); --once to run it once."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval: float, once: bool, **options):
        privacy_due = rollups_due = time.monotonic()
        while True:
            if time.monotonic() >= privacy_due:
                privacy_services.privacy_daily()
                privacy_due = time.monotonic() + DAY
            if time.monotonic() >= rollups_due:
                rollups.rollups_refresh_recent()
                rollups_due = time.monotonic() + settings.ROLLUP_REFRESH_SECONDS
            result = services.reminders_sweep()
            if result.sent or result.planned or result.cancelled:
                self.stdout.write(
                    f"reminders: {result.planned} planned, {result.cancelled} cancelled, "
                    f"{result.sent} sent"
                )
            if once:
                return
            time.sleep(interval)
