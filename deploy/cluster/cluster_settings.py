"""Settings of the processes deploy/cluster/run starts: the production settings (DEBUG off,
PgBouncer, the replica and Redis Sentinel all from the environment) with e-mail written to
files, one per message (to count reminders), and a short reminder lease so that a worker
killed during the run has its claimed reminders claimed again within the run."""

import os

from learning_lead.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "tests.support.slow_mail.EmailBackend",
        "OPTIONS": {"file_path": os.environ["CLUSTER_MAIL_DIR"]},
    }
}
REMINDER_LEASE_SECONDS = 20
# The bench people's password is stored with a cheap hash by the run (check.py
# cheap-passwords): each load run signs 11 people in, and on a shared 2-core machine PBKDF2's
# second per sign-in would be most of what the first seconds measure.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
REMINDER_BATCH_SIZE = 25
