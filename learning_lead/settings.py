"""Learning Lead settings: one module, every value from the environment (see README)."""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from learning_lead.env import (
    database_config,
    envbool,
    envint,
    envlist,
    envstr,
    mailer_from_env,
    redis_url_for_test_worker,
    sentinel_broker_url,
    sentinels_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-change-me-for-anything-real-0123456789"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "teams",
    "reflections",
    "notifications",
    "reports",
    "privacy",
    "chat",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the session's: it sees the session's write (read-your-writes, db_router.py).
    "learning_lead.db_router.StickyPrimaryMiddleware",
    "learning_lead.input_guard.InputGuardMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "learning_lead.headers.PrivacyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "teams.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as axes asks: turns a locked-out sign-in's answer into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "learning_lead.urls"
WSGI_APPLICATION = "learning_lead.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "teams.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
            "builtins": ["learning_lead.fragment_tags"],
        },
    }
]

# Connections (docs/topology.md): persistent (DB_CONN_MAX_AGE seconds) by default;
# DATABASE_PGBOUNCER=1 behind PgBouncer in transaction mode; DATABASE_POOL=1 for Django's
# psycopg pool in each process when there is no PgBouncer.
_DATABASE_OPTIONS = {
    "conn_max_age": envint("DB_CONN_MAX_AGE", 60),
    "pgbouncer": envbool("DATABASE_PGBOUNCER", False),
    "pool": envbool("DATABASE_POOL", False),
    "pool_min": envint("DATABASE_POOL_MIN", 2),
    "pool_max": envint("DATABASE_POOL_MAX", 8),
    "pool_timeout": envint("DATABASE_POOL_TIMEOUT", 10),
}
DATABASES = {
    "default": database_config(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), **_DATABASE_OPTIONS
    )
}
# A streaming replica for chosen reads (learning_lead/db_router.py); in tests, the primary.
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_config(DATABASE_REPLICA_URL, **_DATABASE_OPTIONS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["learning_lead.db_router.ReplicaRouter"]
# After a write, the writer's chosen reads stay on the primary this long (read-your-writes);
# longer than the replica's usual lag.
REPLICA_STICKY_SECONDS = envint("REPLICA_STICKY_SECONDS", 10)
# A cached text built from the replica lives at most this long (it may be a moment stale).
REPLICA_FRAGMENT_SECONDS = envint("REPLICA_FRAGMENT_SECONDS", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "teams.User"
# The first refuses locked-out sign-ins (django-axes, learning_lead/login_throttle.py); the
# second loads the signed-in person with the navigation's roles and unread count (one query).
USER_BACKEND = "learning_lead.auth.RequestUserBackend"
AUTHENTICATION_BACKENDS = ["learning_lead.login_throttle.LoginThrottleBackend", USER_BACKEND]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
# Reset e-mails per address and per account: one per interval, a few a day
# (teams/password_reset.py).
PASSWORD_RESET_INTERVAL_SECONDS = envint("PASSWORD_RESET_INTERVAL_SECONDS", 5 * 60)
PASSWORD_RESET_DAILY_LIMIT = envint("PASSWORD_RESET_DAILY_LIMIT", 5)
INVITATION_MAX_AGE = 60 * 60 * 24 * 7  # a week
# Resending an invitation (teams/services.py, invitation_resend): once per invitation in
# INVITATION_RESEND_INTERVAL_MINUTES, and INVITATION_RESEND_HOURLY_LIMIT per organisation.
INVITATION_RESEND_INTERVAL_MINUTES = envint("INVITATION_RESEND_INTERVAL_MINUTES", 10)
INVITATION_RESEND_HOURLY_LIMIT = envint("INVITATION_RESEND_HOURLY_LIMIT", 30)
# Sign-up of a new organisation at /signup/ (teams/signup_services.py). Self-hosted installs
# usually turn it off and run `manage.py create_organisation` instead. The verification link
# works SIGNUP_VERIFY_MAX_AGE seconds; one client address may sign up SIGNUP_HOURLY_LIMIT
# times an hour.
SIGNUP_ENABLED = envbool("SIGNUP_ENABLED", True)
SIGNUP_VERIFY_MAX_AGE = envint("SIGNUP_VERIFY_MAX_AGE", 60 * 60 * 24 * 2)
SIGNUP_HOURLY_LIMIT = envint("SIGNUP_HOURLY_LIMIT", 5)
# Login throttling (django-axes, docs/security.md): after LOGIN_FAILURE_LIMIT wrong passwords
# for one username from one client address, that pair cannot sign in for
# LOGIN_LOCKOUT_SECONDS on any login form; other addresses can. With proxies in front, set
# TRUSTED_PROXY_COUNT so the client's address is read from X-Forwarded-For.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = envint("LOGIN_LOCKOUT_SECONDS", 15 * 60)
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "learning_lead.login_throttle.username_key"
AXES_CLIENT_IP_CALLABLE = "learning_lead.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "learning_lead.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A lockout lasts exactly LOGIN_LOCKOUT_SECONDS, as the lockout page says; tries during it
# are refused without extending it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Only failures are kept, and only until their cool-off ends: no log of every sign-in.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every start of every command

LANGUAGE_CODE = "fi"
# Swedish as written in Finland; browsers asking for sv or sv-SE get it too (Django falls back
# from a variant to any supported one of the same language).
LANGUAGES = [("fi", _("Finnish")), ("sv-fi", _("Swedish")), ("en", _("English"))]
# Finnish dates for Swedish (Django's sv is Sweden's) and British ones for English.
FORMAT_MODULE_PATH = ["learning_lead.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True, console:, locmem:), else Django's
# EMAIL_HOST/EMAIL_PORT/... variables; turned into Django 6.1's MAILERS.
MAILERS = {
    "default": mailer_from_env(
        envstr("EMAIL_URL", "console:" if DEBUG else ""),
        host=envstr("EMAIL_HOST", "localhost"),
        port=envint("EMAIL_PORT", 25),
        username=envstr("EMAIL_HOST_USER"),
        password=envstr("EMAIL_HOST_PASSWORD"),
        use_tls=envbool("EMAIL_USE_TLS", False),
    )
}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Learning Lead <noreply@localhost>")

# Redis: at REDIS_URL, or behind Redis Sentinel (REDIS_SENTINELS="host:port,...", the
# master's name in REDIS_SENTINEL_MASTER, REDIS_DB, REDIS_PASSWORD): the broker, the cache and
# the sessions then follow a failover (docs/topology.md).
REDIS_SENTINELS = sentinels_from_env("REDIS_SENTINELS")
REDIS_SENTINEL_MASTER = envstr("REDIS_SENTINEL_MASTER", "mymaster")
REDIS_DB = envint("REDIS_DB", 0)
REDIS_PASSWORD = envstr("REDIS_PASSWORD")
# Under pytest-xdist each test worker gets a Redis database of its own (env.py says which).
REDIS_URL = redis_url_for_test_worker(envstr("REDIS_URL"), envstr("PYTEST_XDIST_WORKER"))
if REDIS_SENTINELS and REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL or REDIS_SENTINELS, not both.")
REDIS = bool(REDIS_URL or REDIS_SENTINELS)

# Celery: without Redis tasks run eagerly in the web process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if REDIS_SENTINELS:
    CELERY_BROKER_URL = sentinel_broker_url(REDIS_SENTINELS, db=REDIS_DB, password=REDIS_PASSWORD)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "master_name": REDIS_SENTINEL_MASTER,
        "sentinel_kwargs": {"socket_timeout": 1, "socket_connect_timeout": 1},
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

# Cached pages (docs/caching.md) need a cache every process shares: a change made in one
# process must reach the others. Only with Redis; the embedded mode renders every time.
# FRAGMENT_CACHE=0 turns them off with Redis too (to measure what the cache buys).
FRAGMENT_CACHE = envbool("FRAGMENT_CACHE", REDIS)
if FRAGMENT_CACHE and not REDIS:
    raise ImproperlyConfigured("FRAGMENT_CACHE needs REDIS_URL: a shared cache.")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Short timeouts: a Redis that stops answering (a machine gone, not a refused port) must not
# hold a page for long; the page is then rendered without the cache (redis_cache.py).
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "learning_lead.redis_cache.ReusingRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 1},
    }
elif REDIS_SENTINELS:
    CACHES["default"] = {
        "BACKEND": "learning_lead.redis_cache.ReusingRedisCache",
        "LOCATION": "",
        "OPTIONS": {
            "sentinels": REDIS_SENTINELS,
            "service_name": REDIS_SENTINEL_MASTER,
            "db": REDIS_DB,
            "password": REDIS_PASSWORD or None,
            "socket_timeout": 2,
            "socket_connect_timeout": 1,
        },
    }

# Sessions are read from the shared cache and written through to the database, so a page
# costs no session query (Django's cached_db, which learning_lead/session_store.py keeps
# working while Redis fails over). Only with Redis: a per-process memory cache would keep
# serving a session that another process has ended.
SESSION_ENGINE = "learning_lead.session_store" if REDIS else "django.contrib.sessions.backends.db"

# Security. Production (DEBUG off) passes `check --deploy --fail-level WARNING`.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# Browser features no page uses, turned off for this site and anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
SILENCED_SYSTEM_CHECKS = []
if envbool("SECURE_HSTS_PRELOAD", False) is False:
    # Preloading is a one-way decision for the domain owner, not a default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# The benchmark's floor page (/bench/floor/, see bench/README.md): off, it answers 404.
BENCH_FLOOR = envbool("BENCH_FLOOR", False)

# Sessions of a rhythm are stored this many days ahead; a daily task keeps the horizon rolling.
SESSION_HORIZON_DAYS = envint("SESSION_HORIZON_DAYS", 120)
# A claimed reminder not marked sent within this many seconds is claimed again.
REMINDER_LEASE_SECONDS = envint("REMINDER_LEASE_SECONDS", 300)
REMINDER_BATCH_SIZE = envint("REMINDER_BATCH_SIZE", 500)
REMINDER_MAX_BATCHES = envint("REMINDER_MAX_BATCHES", 40)
# Commit each reminder's 'sent' mark without waiting for the disk flush (see
# notifications.services._commit_mode): much faster delivery; a database server crash may
# then repeat the last fraction of a second of e-mails (same Message-IDs).
REMINDER_ASYNC_COMMIT = envbool("REMINDER_ASYNC_COMMIT", False)
# One-click unsubscribe links in reminder e-mails work this long; older ones explain and link
# to the preferences page (notifications/views/preferences.py).
UNSUBSCRIBE_MAX_AGE_DAYS = envint("UNSUBSCRIBE_MAX_AGE_DAYS", 60)
# Privacy: grace period before an account is deleted, how long the audit trail is kept, and
# how many rows one retention batch removes (see privacy/services.py).
ACCOUNT_DELETION_GRACE_DAYS = envint("ACCOUNT_DELETION_GRACE_DAYS", 7)
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 730)
RETENTION_BATCH_SIZE = envint("RETENTION_BATCH_SIZE", 1000)
# HR report rollups: how often the current and previous month are recomputed (reports/rollups/);
# the report says how fresh its figures are.
ROLLUP_REFRESH_SECONDS = envint("ROLLUP_REFRESH_SECONDS", 300)
# HR's report publishes a month this many days after it ends; its figures never change after.
REPORT_PUBLISH_AFTER_DAYS = envint("REPORT_PUBLISH_AFTER_DAYS", 2)
# Chat channels (chat/): webhook URLs are encrypted with these Fernet keys, never with
# SECRET_KEY; the first encrypts, all decrypt (rotate: put a new key first, run
# `manage.py rotate_chat_keys`, then drop the old one). Unset: chat channels are off.
CHAT_ENCRYPTION_KEYS = envlist("CHAT_ENCRYPTION_KEYS", [])
# The providers' webhook hosts: Teams Workflows ("When a Teams webhook request is received")
# and Slack incoming webhooks.
CHAT_WEBHOOK_HOSTS = {
    "teams": [
        "*.logic.azure.com",
        "*.environment.api.powerplatform.com",
        "*.logic.azure.us",
        "*.environment.api.powerplatform.us",
    ],
    "slack": ["hooks.slack.com"],
}
# Hosts that may take the place of a provider over plain http on a local address: tests only
# (a fake receiver), so never read from the environment.
CHAT_TEST_RECEIVER_HOSTS: list[str] = []
CHAT_TIMEOUT_SECONDS = envint("CHAT_TIMEOUT_SECONDS", 10)
CHAT_LEASE_SECONDS = envint("CHAT_LEASE_SECONDS", 120)
CHAT_MAX_ATTEMPTS = envint("CHAT_MAX_ATTEMPTS", 8)
CHAT_GONE_LIMIT = envint("CHAT_GONE_LIMIT", 3)
CHAT_REMINDER_LEAD_MINUTES = envint("CHAT_REMINDER_LEAD_MINUTES", 60)
CHAT_DIGEST_HOUR = envint("CHAT_DIGEST_HOUR", 9)
# Single sign-on per organisation (sso/): client secrets are encrypted with these Fernet keys
# (the first encrypts, all decrypt; rotate as CHAT_ENCRYPTION_KEYS). Unset: SSO is off.
SSO_ENCRYPTION_KEYS = envlist("SSO_ENCRYPTION_KEYS", [])
# django-allauth carries only the OpenID Connect and SAML flows; our own pages do password
# sign-in.
SOCIALACCOUNT_ADAPTER = "sso.adapter.OrganisationSocialAccountAdapter"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_EMAIL_NOTIFICATIONS = False
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {"task": "notifications.tasks.sweep_reminders", "schedule": 60.0},
    "sweep-chat": {"task": "chat.tasks.sweep_chat", "schedule": 60.0},
    "extend-session-horizon": {
        "task": "reflections.tasks.extend_session_horizon",
        "schedule": 60 * 60 * 6,
    },
    "privacy-daily": {"task": "privacy.tasks.privacy_daily", "schedule": 60 * 60 * 24},
    # The writer-filled questions lists hold the day (docs/caching.md): filled for the new one.
    "fill-question-lists": {
        "task": "reflections.tasks.fill_question_lists",
        "schedule": crontab(minute=0, hour=0),
    },
    "refresh-report-rollups": {
        "task": "reports.tasks.refresh_rollups",
        "schedule": float(ROLLUP_REFRESH_SECONDS),
    },
}
