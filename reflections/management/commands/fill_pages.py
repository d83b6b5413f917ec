"""Fills the writer-filled pages (every team's questions list and the pages of the sessions
its sessions page lists) as the nightly task does: after a deploy, whose new code starts with
an empty cache, and in the benchmarks (docs/caching.md)."""

from django.core.management.base import BaseCommand

from reflections import question_page


class Command(BaseCommand):
    help = "Fill every team's questions list and listed session pages (docs/caching.md)."

    def handle(self, *args, **options):
        teams = question_page.fill_all()
        self.stdout.write(f"Filled the pages of {teams} teams.")
