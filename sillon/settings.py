"""Sillon settings, read from the environment with embedded defaults.

With nothing set, Sillon runs in development mode on a SQLite file, with tasks run eagerly
and e-mail printed to the console. Production sets ``DEBUG=0``, ``SECRET_KEY``,
``ALLOWED_HOSTS``, ``DATABASE_URL``, ``REDIS_URL`` and an e-mail backend.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY doit être défini quand DEBUG est désactivé.")
    SECRET_KEY = "django-insecure-sillon-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute address of the site, for links in e-mails sent outside a request (Celery).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "sillon.apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_bootstrap5",
    "health_check",
    "sillon.apps.SillonConfig",
    "accounts",
    "organisations",
    "notifications",
    "territoires",
    "parcours",
    "candidatures",
    "inscriptions",
    "sondages",
    "presences",
    "plans",
    "codev",
    "ressources",
    "evaluation",
    "documents",
    "demo",
]

MIDDLEWARE = [
    # First: the request id (X-Request-ID) and one log line per request, redirects included.
    "sillon.observability.RequestLogMiddleware",
    # The database unreachable: a French 503 page with Retry-After, not a 500. Its
    # process_exception runs after every other middleware's.
    "sillon.database_outage.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sillon.permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "organisations.middleware.OrganisationMiddleware",
    # Coordinators of an organisation requiring two-factor authentication, on every page.
    "organisations.middleware.CoordinatorSecondFactorMiddleware",
    # Axes must come last: it turns a lockout into its French page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sillon.urls"
WSGI_APPLICATION = "sillon.wsgi.application"
ASGI_APPLICATION = "sillon.asgi.application"

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
                "django.template.context_processors.csp",
                "organisations.context_processors.organisation",
                "notifications.context_processors.notification_bell",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (psycopg 3) when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the identifier; login by password or by an e-mailed code.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# An address with a pending invitation asking for a login code gets the invitation again.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 900
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sillon] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Login limits count per client address (the real one behind the proxies, see
# TRUSTED_PROXY_COUNT) and per account: 30 logins a minute from one address, and 10
# failed ones in 15 minutes for one account from anywhere. Failures from one address
# against one account are locked out by django-axes (below). A refusal is the French
# page errors/429.html (sillon.urls.handler429).
ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/15m/key"}
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sillon"

# django-axes: lock a login after repeated failures from the same address.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.adapters.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# The client's address, the same for axes, allauth and sillon.ratelimit (below).
AXES_CLIENT_IP_CALLABLE = "sillon.ratelimit.client_ip"
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from the npm registry at set-up (package.json); never committed.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded and generated files: the file system under MEDIA_ROOT by default, or an
# S3-compatible object store (STORAGE_BACKEND=s3) shared by every web and worker process.
# The bucket stays private: files are served by Sillon after its permission checks
# (FileResponse), and any URL the storage hands out is signed and expires.
STORAGE_BACKEND = env("STORAGE_BACKEND", "filesystem").lower()
if STORAGE_BACKEND == "s3":
    if not env("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME doit être défini avec STORAGE_BACKEND=s3."
        )
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            # Empty: AWS itself; otherwise the provider's endpoint (Scaleway, OVH, MinIO…).
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            # Empty: boto3's own chain (environment, instance role).
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            "location": env("AWS_LOCATION"),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN") or None,
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(env("AWS_QUERYSTRING_EXPIRE", "300")),
            # Two uploads of the same name keep both, as on the file system.
            "file_overwrite": False,
            # A file read back (a download, a ZIP) spills to disk past 5 MB.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
elif STORAGE_BACKEND == "filesystem":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("STORAGE_BACKEND vaut « filesystem » ou « s3 ».")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The resources library refuses files over this size (in Mo), with a French message.
RESOURCE_MAX_UPLOAD_MB = int(env("RESOURCE_MAX_UPLOAD_MB", "20"))

# Cache and Celery: Redis when REDIS_URL is set; otherwise local memory and eager tasks.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        # Redis down: the cache answers empty and the rate limits fail open (sillon/cache.py).
        "default": {"BACKEND": "sillon.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
# `make run` (scripts/run-dev): a broker that needs no server, kombu's filesystem transport
# in var/celery/, with a real worker and beat, as in production. Its messages are taken
# off the folder when read (no acknowledgement): the durable queues (the documents' rows,
# the outbox) and their sweeps are what bring a killed worker's work back.
CELERY_FILESYSTEM_DIR = Path(env("CELERY_FILESYSTEM_DIR", str(BASE_DIR / "var" / "celery")))
# A message « en cours d'envoi » longer than this is swept back to retry (notifications).
OUTBOX_SENDING_TIMEOUT_MINUTES = int(env("OUTBOX_SENDING_TIMEOUT_MINUTES", "15"))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Late acknowledgement: a message is acknowledged once its task is done, so a worker lost
# mid-task leaves it on the broker. Redis hands an unacknowledged message to another
# worker after the visibility timeout; it must exceed the longest task (a document build
# is stopped at DOCUMENT_BUILD_TIME_LIMIT_SECONDS, 30 min) and the longest countdown of a
# retry (minutes), or a task still running would be delivered twice. 6 h leaves room; a
# dead document build does not wait for it: its heartbeat stops and the documents' sweep
# sends it again within minutes (the late redelivery then finds it done and does nothing).
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 6 * 3600}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
            "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
            "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
            "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
            "store_processed": False,
        }
    )
    for _folder in ("queue", "control", "processed"):
        (CELERY_FILESYSTEM_DIR / _folder).mkdir(parents=True, exist_ok=True)
# Generated documents (documents/queue.py): a build beats every HEARTBEAT seconds; one
# silent for STALE_AFTER is taken for dead and sent again by the sweep (every SWEEP
# seconds), at most MAX_INTERRUPTIONS times before it fails, saying why. The builds'
# temporary files live in DOCUMENT_TEMP_DIR, where the sweep removes those of dead builds.
DOCUMENT_HEARTBEAT_SECONDS = float(env("DOCUMENT_HEARTBEAT_SECONDS", "10"))
DOCUMENT_STALE_AFTER_SECONDS = float(env("DOCUMENT_STALE_AFTER_SECONDS", "120"))
DOCUMENT_SWEEP_SECONDS = float(env("DOCUMENT_SWEEP_SECONDS", "60"))
DOCUMENT_MAX_INTERRUPTIONS = int(env("DOCUMENT_MAX_INTERRUPTIONS", "3"))
DOCUMENT_BUILD_TIME_LIMIT_SECONDS = int(env("DOCUMENT_BUILD_TIME_LIMIT_SECONDS", "1800"))
DOCUMENT_TEMP_DIR = Path(env("DOCUMENT_TEMP_DIR", str(BASE_DIR / "var" / "tmp" / "documents")))
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "scan-reminders": {"task": "notifications.scan_tasks.scan_reminders", "schedule": 300},
    "notifications-daily-digest": {
        "task": "notifications.digest_tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications-flush-outbox": {"task": "notifications.tasks.flush_outbox", "schedule": 60},
    "notifications-sweep-uncertain": {
        "task": "notifications.tasks.sweep_uncertain",
        "schedule": 300,
    },
    "documents-sweep": {
        "task": "documents.tasks.sweep_documents",
        "schedule": DOCUMENT_SWEEP_SECONDS,
    },
}
# Task modules not named tasks.py (autodiscovery finds only those).
CELERY_IMPORTS = ["notifications.digest_tasks"]

# E-mail: console in development; SMTP or an anymail backend in production (Django 6.1
# MAILERS). EMAIL_BACKEND names the backend class, EMAIL_HOST & co. configure SMTP.
EMAIL_BACKEND_CLASS = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mailer_options: dict = {}
if EMAIL_BACKEND_CLASS == "django.core.mail.backends.smtp.EmailBackend":
    _mailer_options = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": int(env("EMAIL_PORT", "25")),
        "username": env("EMAIL_HOST_USER") or None,
        "password": env("EMAIL_HOST_PASSWORD") or None,
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 30,
    }
elif EMAIL_BACKEND_CLASS == "django.core.mail.backends.filebased.EmailBackend":
    _mailer_options = {"file_path": env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "sent-emails"))}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_CLASS, "OPTIONS": _mailer_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Sillon <ne-pas-repondre@sillon.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}

# Security. Production (DEBUG off) passes `manage.py check --deploy` with no warning.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "sillon.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# Permissions-Policy (sillon/permissions_policy.py): no powerful browser feature is used.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# How many reverse proxies of ours stand in front of Django, each adding the address it
# received from to X-Forwarded-For: the client's address is the one the outermost added
# (sillon.ratelimit.client_ip; axes and allauth use it too). 0: REMOTE_ADDR. The
# former AXES_PROXY_COUNT is read when TRUSTED_PROXY_COUNT is not set.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", env("AXES_PROXY_COUNT", "0")) or "0")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# /health/ shows its checks only to staff and to requests from these networks (probes on
# the host or the private network, not forwarded by a proxy); others get "ok" or 503.
HEALTH_DETAIL_NETWORKS = env_list(
    "HEALTH_DETAIL_NETWORKS",
    "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
)

# django-scopes stays enabled everywhere: an unscoped query on a tenant model raises.
SCOPES_DISABLED = False

# Logs go to the console (stderr): the container's log, collected by Docker. LOG_FORMAT=json
# writes one JSON object a line (docker-compose's default): one per request (logger
# sillon.request: method, path, status, duration, request id, organisation, user id) and
# one per Celery task (sillon.task: name, id, state, duration); "text" reads better in a
# terminal (sillon/observability.py).
LOG_FORMAT = env("LOG_FORMAT", "text").lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT vaut « text » ou « json ».")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"()": "sillon.observability.TextFormatter"},
        "json": {"()": "sillon.observability.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every step and font subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # sillon.task writes one line per task; Celery's own "succeeded" lines (with the
        # task's return value) are left out, its failures (with the traceback) kept.
        "celery.app.trace": {"level": "WARNING"},
    },
}
# The Celery worker keeps these handlers instead of installing its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Sentry: errors (and, if sampled, traces) of web and worker, only when SENTRY_DSN is set.
# No personal data is sent (send_default_pii off: no user, cookie, IP address or body).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        release=env("SENTRY_RELEASE") or None,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Forms: a label is enough; a placeholder repeating it only adds noise for screen readers.
BOOTSTRAP5 = {
    "set_placeholder": False,
    "field_renderers": {"default": "sillon.widgets.FieldRenderer"},
}
