"""Computes the report rollups of every month with data (after an upgrade, a bulk import or a
change of an organisation's time zone). Sealed months, whose rows retention has removed, stay
as they are. Safe to run while the app runs."""

from django.core.management.base import BaseCommand

from reports import rollups
from teams.models import Organization


class Command(BaseCommand):
    help = "Compute the HR report's monthly rollups for every month with data."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="slug of one organisation (default: all)")

    def handle(self, *args, organization: str | None, **options):
        organizations = Organization.objects.order_by("pk")
        if organization:
            organizations = organizations.filter(slug=organization)
        for each in organizations:
            months = rollups.rollups_backfill(organization=each)
            self.stdout.write(f"rollups: {each.slug}: {months} months computed")
