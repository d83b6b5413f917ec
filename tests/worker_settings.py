"""Settings for the real Celery workers started by the integration tests: e-mail goes to files
(optionally slowly, to catch a worker mid-batch), with a short lease and small batches."""

import os

from learning_lead.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "tests.support.slow_mail.EmailBackend",
        "OPTIONS": {"file_path": os.environ["MAIL_DIR"]},
    }
}
REMINDER_LEASE_SECONDS = 2
REMINDER_BATCH_SIZE = 25
