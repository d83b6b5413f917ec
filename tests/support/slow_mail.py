"""A file e-mail backend that writes each message to its own file, after an optional delay
(MAIL_DELAY seconds), so tests can stop a worker in the middle of a batch."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def __init__(self, *, file_path: str, **kwargs):
        super().__init__(**kwargs)
        self.path = Path(file_path)
        self.delay = float(os.environ.get("MAIL_DELAY", "0"))

    def send_messages(self, messages) -> int:
        for message in messages:
            time.sleep(self.delay)
            target = self.path / f"{uuid.uuid4().hex}.eml"
            target.write_bytes(message.message().as_bytes())
        return len(messages)
