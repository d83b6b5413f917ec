"""Runs the daily privacy work without Celery: deletes accounts past their grace period and
removes what is older than each organisation's retention (also run by `run_reminders`)."""

from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = "Delete accounts whose grace period has passed and apply data retention."

    def handle(self, *args, **options):
        deleted = sum(
            services.account_deletion_execute_due(user_id=user_id)
            for user_id in services.account_deletions_due()
        )
        result = services.retention_sweep()
        self.stdout.write(
            f"privacy: {deleted} accounts deleted, {result['removed']} expired rows removed, "
            f"{result['audit_expired']} audit events expired"
        )
