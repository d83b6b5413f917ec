"""Runs the daily privacy work without Celery: deletes accounts past their grace period and
removes what is older than each organisation's retention (`run_reminders` also runs it daily)."""

from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = "Delete accounts whose grace period has passed and apply data retention."

    def handle(self, *args, **options):
        result = services.privacy_daily()
        self.stdout.write(
            f"privacy: {result['accounts_deleted']} accounts deleted, {result['removed']} "
            f"expired rows removed, {result['audit_expired']} audit events expired"
        )
