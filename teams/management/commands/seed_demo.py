"""Creates (or tops up) the demo organisation. Safe to run again: nothing is duplicated."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from learning_lead import fragments
from notifications import demo as notifications_demo
from privacy import services as privacy_services
from privacy.models import AuditEvent
from reflections import demo as reflections_demo
from teams import demo


def _settle_privacy(people) -> None:
    """The demo organisation is set up: its privacy settings chosen and its page read, so
    the set-up checklist (learning_lead/setup_checklist.py) stays away."""
    organization = people.organization
    if not organization.audit_events.filter(action=AuditEvent.Action.RETENTION_CHANGE).exists():
        privacy_services.organization_retention_set(
            organization=organization,
            retention_months=organization.retention_months,
            min_group_size=organization.min_group_size,
            actor=people.hr,
        )
    privacy_services.privacy_page_seen(organization=organization)


class Command(BaseCommand):
    help = "Create a demo organisation with teams, people and content (password: learn-together)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="The demo organisation's language, and its content's (when it is created).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (production data!)."
        )

    def handle(self, *args, force: bool = False, language: str = "", **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Use --force to seed demo data anyway."
            )
        with transaction.atomic(), fragments.bulk():
            people = demo.seed_people(language or settings.LANGUAGE_CODE)
            reflections_demo.seed_rhythms(people)
            demo.seed_direction(people)
            notifications_demo.seed_notifications(people)
            reflections_demo.seed_place(people)
            reflections_demo.link_thoughts_to_goals(people)
            reflections_demo.seed_goal_posts(people)
            _settle_privacy(people)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation '{people.organization}' ready with "
                f"{len(people.teams)} teams. Sign in as demo-supervisor, demo-employee or "
                f"demo-hr with the password '{demo.DEMO_PASSWORD}'."
            )
        )
