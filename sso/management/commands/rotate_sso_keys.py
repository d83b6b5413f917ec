"""Re-encrypts every identity-provider client secret under the first SSO_ENCRYPTION_KEYS key."""

from django.core.management.base import BaseCommand

from sso import services


class Command(BaseCommand):
    help = "Re-encrypt SSO client secrets under the newest SSO_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        count = services.keys_rotate()
        self.stdout.write(f"{count} SSO connection(s) re-encrypted.")
