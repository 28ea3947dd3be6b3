"""One settings module, configured by environment variables.

With nothing set, the site runs for development: SQLite next to the code, Celery tasks run
eagerly in process, e-mail printed on the console. `DJANGO_ENV=production` turns on the
production checks and refuses to start without the secrets it needs. Every variable is
documented in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import plotly
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lib.contrast import is_hex_colour

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


ENVIRONMENT = env("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG cannot be on when DJANGO_ENV=production.")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if SECRET_KEY is None:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdefghij"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The organisation whose site this is (README "The organisation's look"). Development shows the
# demo's made-up city; production shows only what is configured. An invalid colour stops
# production; in development it falls back to the default with a system check warning
# (accounts/checks.py), so a typo is seen at once without breaking the demo.
ORGANIZATION_DEFAULT_COLOR = "#123f6d"
ORGANIZATION_NAME = env("ORGANIZATION_NAME", "" if PRODUCTION else "Ciudad de Ejemplo") or ""
ORGANIZATION_LOGO = (
    env("ORGANIZATION_LOGO", "" if PRODUCTION else "img/ciudad-de-ejemplo.svg") or ""
)
ORGANIZATION_COLOR = env("ORGANIZATION_COLOR", ORGANIZATION_DEFAULT_COLOR) or ""
ORGANIZATION_CONTACT = (
    env("ORGANIZATION_CONTACT", "" if PRODUCTION else "datos@ciudad-de-ejemplo.example") or ""
)
if PRODUCTION and not is_hex_colour(ORGANIZATION_COLOR):
    raise ImproperlyConfigured("ORGANIZATION_COLOR must be a colour written as #rrggbb or #rgb.")

# Where the site is reached, for links in e-mails and printed sheets.
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "bootstrap",
    "accounts",
    "diagnostic",
    "reports",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# A refused form (CSRF) gets the site's own 403 page, in the reader's language.
CSRF_FAILURE_VIEW = "accounts.error_pages.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "accounts.context_processors.organization",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the embedded default: wait for a writer rather than failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}
        if env("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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

# Login throttling: by user name and address together, so that one person's mistakes do not
# lock out a whole office behind one shared address.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.audit.login_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("AXES_IP_HEADERS", "REMOTE_ADDR")

# Sessions end after a period without activity.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: no inline script anywhere; styles may be inline because plotly.js
# sets them on the elements it draws.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Spanish")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "es-mx"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("es-mx", "en")
LOCALE_PATHS = [BASE_DIR / "locale"]
# Lower-case months inside Spanish dates ("21 de diciembre"): config/formats/es_MX.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, static files are served straight from the apps and packages.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed on the console unless an SMTP host is configured.
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif env("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "diagnostico@localhost")

# Celery: with no broker configured, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = env("CELERY_BROKER_URL") is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task (its worker died) to another worker after this many
# seconds; it must be longer than the longest task, or a running task is started twice (the
# jobs' claims make that harmless, only wasteful).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "3600"))
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # Scores responses submitted while the broker could not take their scoring task.
    "score-pending-responses": {
        "task": "diagnostic.score_pending_responses",
        "schedule": timedelta(minutes=5),
    },
    "send-due-reminders": {"task": "diagnostic.tasks.send_due_reminders", "schedule": 60 * 60},
    # The closing release of campaigns that closed or whose extension ended (reports).
    "make-closing-releases": {"task": "reports.make_closing_releases", "schedule": 5 * 60},
    "finish-unfinished-work": {
        "task": "diagnostic.tasks.finish_unfinished_work",
        "schedule": 15 * 60,
    },
    # Roster imports whose task was lost (broker down at upload, worker killed).
    "resume-import-jobs": {"task": "accounts.resume_import_jobs", "schedule": 10 * 60},
    # Data packages and releases whose task was never delivered or whose worker died.
    "resume-stalled-jobs": {"task": "reports.resume_stalled_jobs", "schedule": 5 * 60},
}
# A job left pending this long, or running without a heartbeat this long, is taken up again
# by the sweepers (lib/enqueue.py: a request never fails because the broker is down).
STALLED_JOB_MINUTES = int(env("STALLED_JOB_MINUTES", "10"))

# The respondent's results (DESIGN.md "Links are not keys to results"): the session that
# submitted, or that entered the results code, reads them for this long (and only while the
# session lives: SESSION_IDLE_SECONDS); elsewhere they need the code or the employee's account.
RESULTS_SESSION_SECONDS = int(env("RESULTS_SESSION_SECONDS", str(7 * 24 * 60 * 60)))
# Guessing limits, per hour: failed link look-ups and wrong results codes per client address,
# wrong codes per invitation, and password reset requests per client address.
ASSESSMENT_ATTEMPTS_PER_HOUR = int(env("ASSESSMENT_ATTEMPTS_PER_HOUR", "30"))
RESULTS_CODE_ATTEMPTS_PER_HOUR = int(env("RESULTS_CODE_ATTEMPTS_PER_HOUR", "5"))
PASSWORD_RESETS_PER_HOUR = int(env("PASSWORD_RESETS_PER_HOUR", "5"))

# Reminders: at most this many per invitation, this many days after the invitation and apart.
REMINDER_INTERVAL_DAYS = int(env("REMINDER_INTERVAL_DAYS", "7"))
REMINDER_MAX_COUNT = int(env("REMINDER_MAX_COUNT", "2"))
# Sending pace for invitations and reminders: batches of at most EMAIL_BATCH_SIZE, the next
# batch queued so that no more than EMAIL_RATE_PER_MINUTE messages leave in a minute.
EMAIL_RATE_PER_MINUTE = int(env("EMAIL_RATE_PER_MINUTE", "600"))
EMAIL_BATCH_SIZE = int(env("EMAIL_BATCH_SIZE", "100"))
# Invitations made per committed batch at launch.
INVITATION_BATCH_SIZE = int(env("INVITATION_BATCH_SIZE", "1000"))

# HR's workspace (issue 10). Built export files are removed this many hours after they are
# built (a beat task); failed live-feed token checks per client address and hour.
EXPORT_RETENTION_HOURS = int(env("EXPORT_RETENTION_HOURS", "72"))
FEED_FAILURES_PER_HOUR = int(env("FEED_FAILURES_PER_HOUR", "20"))
# Individual answers and scores of campaigns closed longer ago than this many months are
# purged by beat; empty (the default) leaves the purge to `manage.py purge_individual_data`.
PURGE_INDIVIDUAL_DATA_AFTER_MONTHS = int(env("PURGE_INDIVIDUAL_DATA_AFTER_MONTHS", "0")) or None
CELERY_BEAT_SCHEDULE["expire-exports"] = {"task": "reports.expire_exports", "schedule": 60 * 60}
if PURGE_INDIVIDUAL_DATA_AFTER_MONTHS:
    CELERY_BEAT_SCHEDULE["purge-individual-data"] = {
        "task": "diagnostic.purge_individual_data",
        "schedule": 24 * 60 * 60,
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Roster and department imports (DESIGN.md "HR data exchange"): the largest upload accepted,
# and the most an XLSX may unpack to (read from its zip directory before it is opened).
IMPORT_MAX_UPLOAD_BYTES = int(env("IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = int(
    env("IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024))
)
