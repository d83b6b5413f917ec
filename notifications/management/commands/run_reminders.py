"""Sends reminders without Celery or Redis: runs the same sweep in a loop (the embedded default;
`make run` starts it beside the web server)."""

import time

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Run the reminder sweep every --interval seconds (default 60); --once to run it once."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval: float, once: bool, **options):
        while True:
            result = services.reminders_sweep()
            if result.sent or result.planned or result.cancelled:
                self.stdout.write(
                    f"reminders: {result.planned} planned, {result.cancelled} cancelled, "
                    f"{result.sent} sent"
                )
            if once:
                return
            time.sleep(interval)
