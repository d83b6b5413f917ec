"""Re-encrypts every chat webhook URL under the first key of CHAT_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand

from chat import services


class Command(BaseCommand):
    help = "Re-encrypt chat webhook URLs under the newest CHAT_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        count = services.keys_rotate()
        self.stdout.write(f"{count} chat channel(s) re-encrypted.")
