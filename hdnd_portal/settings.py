"""Settings for the HĐND Portal. Values that differ between machines come from the
environment through hdnd_portal.env; the defaults work for local use."""

from datetime import timedelta

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from hdnd_portal import env

BASE_DIR = env.BASE_DIR
VAR_DIR = env.VAR_DIR

# Production mode unless asked: DEBUG=true (or ./run --dev) turns on development mode.
DEBUG = env.get_bool("DEBUG", default=False)
# From the environment, or generated on first start and kept in var/secret_key (mode 600).
SECRET_KEY = env.get_str("SECRET_KEY") or env.persistent_secret_key()
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", default=[])

# --- HTTPS (deployments behind TLS set these; ./run on 127.0.0.1 serves plain HTTP) ----------
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.get_bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.get_bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", default=False)
# "HTTP_X_FORWARDED_PROTO,https" when a TLS proxy in front sets that header (and strips it from clients).
_PROXY_SSL_HEADER = env.get_list("SECURE_PROXY_SSL_HEADER", default=[])
if _PROXY_SSL_HEADER and len(_PROXY_SSL_HEADER) != 2:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be 'HEADER,value', e.g. HTTP_X_FORWARDED_PROTO,https")
SECURE_PROXY_SSL_HEADER = tuple(_PROXY_SSL_HEADER) or None
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "bootstrap",
    "hdnd_portal.core",
    "hdnd_portal.notifications",
    "hdnd_portal.reports",
    "sessions.apps.CouncilSessionsConfig",
    "oversight",
    "voters",
    "citizens",
    "programmes",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hdnd_portal.notifications.middleware.OutboxMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "hdnd_portal.core.middleware.CurrentCouncilMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hdnd_portal.urls"
WSGI_APPLICATION = "hdnd_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader over the project's and the apps' templates, which also works
            # out the constant tags of each template once (core.template_loader).
            "loaders": [
                (
                    "hdnd_portal.core.template_loader.Loader",
                    ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hdnd_portal.core.context_processors.portal",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------
DATABASE_URL = env.get_url("DATABASE_URL", ("postgres", "postgresql"), default=env.embedded_database_url())
# Persistent connections (60 s), checked before each request reuses one: after a PostgreSQL restart
# the first request of every web process reconnects instead of failing (tests/faults).
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.get_url("REDIS_URL", ("redis", "rediss", "redis+socket", "unix"), default=env.embedded_redis_url())
# Django's cache and Celery spell a unix socket differently.
_CACHE_REDIS_URL = env.redis_py_url(REDIS_URL)
CACHES = {
    "default": {
        # Redis, but an unreachable Redis is a cache miss, not a 500 (hdnd_portal/cache.py).
        "BACKEND": "hdnd_portal.cache.ForgivingRedisCache",
        "LOCATION": _CACHE_REDIS_URL,
        "KEY_PREFIX": "hdnd",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}
# Sessions live in the database (Django's default), so logging in works while Redis is down.
# Django's database sessions and ModelBackend, their per-request reads written out (core/session_store.py).
SESSION_ENGINE = "hdnd_portal.core.session_store"

# --- Auth ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hdnd_portal.core.session_store.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", default=10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=15)
# A nested list means AND in django-axes 8: a (username, address) pair is locked, so wrong
# passwords typed elsewhere cannot lock a deputy out (a flat list would lock either one alone).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_ENABLED = env.get_bool("AXES_ENABLED", default=True)

# --- Language, time ----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates are shown dd/mm/yyyy in every language; see hdnd_portal/formats.
FORMAT_MODULE_PATH = ["hdnd_portal.formats"]

# --- Files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In development whitenoise serves straight from the finders; production runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = env.get_str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
UPLOAD_MAX_MB = env.get_int("UPLOAD_MAX_MB", default=20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env.get_str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.get_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", default=25, minimum=1)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", default="Cổng HĐND <no-reply@hdnd.local>")

# --- API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "hdnd_portal.core.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.get_str("API_THROTTLE_ANON", default="100/hour"),
        "user": env.get_str("API_THROTTLE_USER", default="1000/hour"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "hdnd_portal.core.filters.PortalFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "hdnd_portal.core.pagination.PortalPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # core.api's handler, with a Vietnamese 429 message in front of it.
    "EXCEPTION_HANDLER": "hdnd_portal.core.throttling.exception_handler",
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
}
# API tokens stop working this many days after they were created (Account → API key renews them).
API_TOKEN_DAYS = env.get_int("API_TOKEN_DAYS", default=30, minimum=1)
SPECTACULAR_SETTINGS = {
    "TITLE": "HĐND Portal API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Choice lists stay inline in each field: many models name theirs "kind" or "status", and
    # extracting them as shared components would only invent names such as "Kind0bdEnum".
    "POSTPROCESSING_HOOKS": [],
}

# --- Celery ----------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
# A page that queues work must not hang when Redis is down: one quick retry, then the job waits in
# the outbox (hdnd_portal/notifications/outbox.py). Kombu's default retries for about 6 seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5, "socket_connect_timeout": 2,
    # A task taken by a worker that dies (killed, machine lost) is unacknowledged (acks_late) and Redis
    # gives it to a worker again this many seconds after it was taken — kombu's default is an hour.
    # Longer than any task of the portal runs (a report: seconds to a minute), so a running task is
    # never delivered twice (tests/faults: a worker killed mid-report, the report completes once).
    "visibility_timeout": env.get_int("CELERY_VISIBILITY_TIMEOUT", default=600, minimum=10),
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.get_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Every periodic schedule of the portal, in one place.
CELERY_BEAT_SCHEDULE = {
    # Every 15 minutes: the reminder scan (state-based: a missed run is caught up; idempotent: each
    # reminder once) and the re-queueing of e-mails whose retry time has come.
    "reminder-scan": {
        "task": "hdnd_portal.notifications.tasks.reminder_scan",
        "schedule": crontab(minute="*/15"),
    },
    # Daily at 07:00 Asia/Ho_Chi_Minh (CELERY_TIMEZONE): one digest mail per user who chose the digest.
    "reminder-daily-digest": {
        "task": "hdnd_portal.notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Daily at 06:30: tell deputies once when an agency's promised target date for a petition
    # they took has passed (idempotent per petition and date).
    "petition-target-dates": {
        "task": "voters.tasks.petition_target_dates_scan",
        "schedule": crontab(hour=6, minute=30),
    },
    # Every 10 minutes: re-send the task of a report queued or running for over 30 minutes (a message
    # lost with a broker restart); the task's compare-and-set makes a duplicate harmless.
    "reports-requeue-stale": {
        "task": "hdnd_portal.reports.tasks.requeue_stale_reports",
        "schedule": crontab(minute="*/10"),
    },
    # Daily at 07:30: digests to citizens following a council, a search term or a petition on the public site.
    "public-digests": {"task": "public.tasks.send_public_digests", "schedule": crontab(hour=7, minute=30)},
    # Hourly: fold the deltas of the held row counts into one row per council and table
    # (hdnd_portal/core/rowcounts.py), so a list's count reads a few rows per council.
    "row-counts-compact": {"task": "hdnd_portal.core.tasks.compact_row_counts", "schedule": crontab(minute=17)},
    # Every minute: send the jobs of the outbox that could not reach Redis when they were queued
    # (hdnd_portal/notifications/outbox.py); the worker also drains it when it starts.
    "outbox-drain": {
        "task": "hdnd_portal.notifications.tasks.drain_outbox",
        "schedule": crontab(minute="*"),
    },
}

# --- Content-Security-Policy (django-csp) --------------------------------------------------
# Scripts only from our static files or inline with the per-request nonce
# (<script nonce="{{ request.csp_nonce }}">); inline style attributes stay allowed (progress bars,
# widths), styles cannot run code. Everything else: this origin only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Logging -----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Portal-specific
PORTAL_NAME = _("HĐND Portal")
PAGE_SIZE = 50
