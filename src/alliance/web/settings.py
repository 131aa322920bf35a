"""Django settings: the embedded default (SQLite under the user's data folder) and production.

Environment:
- ``DATABASE_URL``: a database URL (``postgres://…``); SQLite in ``ALLIANCE_DATA_DIR`` otherwise.
- ``ALLIANCE_DATA_DIR``: where the embedded database and the local secret key live
  (default ``$XDG_DATA_HOME/alliance`` or ``~/.local/share/alliance``).
- ``ALLIANCE_ENV=production``: the secret key must come from ``ALLIANCE_SECRET_KEY``, cookies are
  secure and HSTS is on. ``DEBUG`` is off unless ``ALLIANCE_DEBUG=1``, in every environment.
- ``ALLIANCE_ALLOWED_HOSTS``: comma-separated host names (default: localhost names).
- ``ALLIANCE_BENCHMARK_STUDY``: the study (its code) organisations' diagnostics are compared to;
  by default, the latest published study that covers the organisation's population.
- ``ALLIANCE_INVITATION_DAYS`` (14), ``ALLIANCE_INVITATIONS_PENDING`` (10),
  ``ALLIANCE_INVITATIONS_PER_DAY`` (10): how long invitation links last, and how many each
  organisation may have waiting or send in 24 hours.
- ``ALLIANCE_COLLECTION_KEY``: the secret of collected responses' keys, apart from the database
  (required in production; else made once in the data folder); ``ALLIANCE_COLLECTION_
  INVITATIONS_PER_DAY`` (500), ``ALLIANCE_COLLECTION_STARTS_PER_HOUR`` (1000): invitations one
  collection may send in 24 hours, responses it may start in an hour.
- ``ALLIANCE_JOB_HEARTBEAT`` (5), ``ALLIANCE_JOB_STALE_AFTER`` (30): seconds between a running
  job's heartbeats, and without one before its worker is taken for dead (``docs/jobs.md``).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PRODUCTION = os.environ.get("ALLIANCE_ENV") == "production"
DEBUG = os.environ.get("ALLIANCE_DEBUG") == "1"


def data_dir() -> Path:
    """Return the folder of the embedded database and the local secret key."""
    configured = os.environ.get("ALLIANCE_DATA_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "alliance"


DATA_DIR = data_dir()


def _secret_key(variable: str = "ALLIANCE_SECRET_KEY", name: str = "secret_key") -> str:
    """From the environment in production; else a key made once and kept in the data folder."""
    key = os.environ.get(variable)
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(f"{variable} must be set when ALLIANCE_ENV=production")
    path = DATA_DIR / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
#: The secret of collected responses' keys (alliance.web.collection.models.response_key): apart
#: from SECRET_KEY and the database, so a copy of the database cannot join invitations to answers.
ALLIANCE_COLLECTION_KEY = _secret_key("ALLIANCE_COLLECTION_KEY", "collection_key")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "ALLIANCE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver"
    ).split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # its Swagger UI files, served from here for /api/docs (no CDN)
    "django_tasks",
    "django_tasks_db",
    "alliance.web.accounts",
    "alliance.web.organisations",
    "alliance.web.explorer",
    "alliance.web.examples",
    "alliance.web.results",
    "alliance.web.partnerships",
    "alliance.web.jobs",
    "alliance.web.studies",
    "alliance.web.registry",
    "alliance.web.territories",
    "alliance.web.collection",
]

# Background jobs (alliance.web.jobs): django-tasks' database backend keeps the queue in the
# platform's own database; why this queue: docs/jobs.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
#: Seconds between a running job's heartbeats; a job whose last heartbeat is older than
#: ALLIANCE_JOB_STALE_AFTER seconds lost its worker and is queued again, at most
#: ALLIANCE_JOB_ATTEMPTS times in all (alliance.web.jobs.worker).
ALLIANCE_JOB_HEARTBEAT = float(os.environ.get("ALLIANCE_JOB_HEARTBEAT", "5"))
ALLIANCE_JOB_STALE_AFTER = float(os.environ.get("ALLIANCE_JOB_STALE_AFTER", "30"))
ALLIANCE_JOB_ATTEMPTS = 3

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "alliance.web.security.PrivateCacheMiddleware",
    "alliance.web.api_errors.ApiErrorShapeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alliance.web.request_guard.RequestGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alliance.web.security.ContentSecurityPolicyMiddleware",
    "alliance.web.vanished.VanishedRecordMiddleware",
]

ROOT_URLCONF = "alliance.web.urls"
WSGI_APPLICATION = "alliance.web.wsgi.application"
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
                "django.template.context_processors.i18n",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'alliance.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Deleted rows are overwritten, not left in free pages: an erased organisation is really gone.
    # Concurrent writers wait their turn instead of failing with « database is locked »: WAL lets
    # readers go on during a write, a transaction takes the write lock when it begins (IMMEDIATE,
    # so two never deadlock upgrading a read lock) and a writer waits up to 20 s for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA secure_delete = ON; PRAGMA journal_mode = WAL;",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out person is refused, even right
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from the finders until collected
# Analysts' uploads and runs' outputs (alliance.web.studies), never served directly: every
# download goes through a view that checks who asks. With workers on several machines, point
# ALLIANCE_FILES_DIR at a volume they share.
MEDIA_ROOT = Path(os.environ.get("ALLIANCE_FILES_DIR") or DATA_DIR / "files")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get(
    "ALLIANCE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("ALLIANCE_FROM_EMAIL", "observatoire@localhost")

# Security headers everywhere; secure cookies and HSTS in production (behind HTTPS).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("ALLIANCE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# Requests and errors (alliance.web.request_guard, .api_errors, .refusals, .logs): bodies over
# these sizes answer 413 unread; Django reads at most DATA_UPLOAD_MAX_MEMORY_SIZE into memory and
# keeps uploads over FILE_UPLOAD_MAX_MEMORY_SIZE on disk. Logs go to stderr as key=value lines.
ALLIANCE_MAX_BODY = 2 * 1024 * 1024
ALLIANCE_ANONYMOUS_MAX_BODY = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = ALLIANCE_MAX_BODY
FILE_UPLOAD_MAX_MEMORY_SIZE = ALLIANCE_MAX_BODY
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Study files and zipped study folders uploaded by observatory staff (alliance.web.studies):
# bodies up to ALLIANCE_MAX_UPLOAD on the upload addresses only, streamed to disk; an archive
# holds at most so many files, and so many bytes once uncompressed (zip bombs).
ALLIANCE_MAX_UPLOAD = int(os.environ.get("ALLIANCE_MAX_UPLOAD") or 512 * 1024 * 1024)
# A study whose files pass this size is read and checked by a job after an upload on the pages
# (the API answers with the report, so it checks at once).
ALLIANCE_INLINE_CHECK = int(os.environ.get("ALLIANCE_INLINE_CHECK") or 20 * 1024 * 1024)
ALLIANCE_ARCHIVE_MAX_FILES = 500
ALLIANCE_ARCHIVE_MAX_SIZE = 2 * ALLIANCE_MAX_UPLOAD
CSRF_FAILURE_VIEW = "alliance.web.refusals.csrf_failure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"keyvalue": {"()": "alliance.web.logs.KeyValueFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "keyvalue"}},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "alliance": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

#: The study organisations' diagnostics are compared to (empty: the latest that covers them).
ALLIANCE_BENCHMARK_STUDY = os.environ.get("ALLIANCE_BENCHMARK_STUDY", "").strip()

# Accounts: API tokens, guessing slowed down (django-axes), sign-up and reset limits.
#: Days a new API token lives by default, the longest one may ask for, and how many one may hold.
ALLIANCE_TOKEN_MAX_DAYS = 365
ALLIANCE_TOKEN_DAYS = min(int(os.environ.get("ALLIANCE_TOKEN_DAYS", "30")), ALLIANCE_TOKEN_MAX_DAYS)
ALLIANCE_TOKENS_PER_PERSON = 10
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last: turns a lockout into a 429 answer
#: Five failures for one e-mail, or from one address, lock it for 15 minutes; success resets.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "alliance.web.accounts.lockout.username"
AXES_LOCKOUT_CALLABLE = "alliance.web.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
#: Behind ALLIANCE_PROXY_COUNT reverse proxies the client's address is read from X-Forwarded-For;
#: without a proxy that header is the client's to forge, so only REMOTE_ADDR counts.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("ALLIANCE_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
#: E-mails sent on request (password reset, sign-up): at most this many per address or
#: e-mail per window, then 429.
ALLIANCE_MAIL_REQUESTS_LIMIT = 5
ALLIANCE_MAIL_REQUESTS_WINDOW = timedelta(hours=1)
#: Invitations (colleagues' and partners'): days a link stays valid, and per organisation at most
#: so many waiting for an answer and so many e-mails sent in 24 hours (resent ones included).
ALLIANCE_INVITATION_DAYS = int(os.environ.get("ALLIANCE_INVITATION_DAYS", "14"))
ALLIANCE_INVITATIONS_PENDING = int(os.environ.get("ALLIANCE_INVITATIONS_PENDING", "10"))
ALLIANCE_INVITATIONS_PER_DAY = int(os.environ.get("ALLIANCE_INVITATIONS_PER_DAY", "10"))
#: Invitations to answer a collection that one collection may send in 24 hours.
ALLIANCE_COLLECTION_INVITATIONS_PER_DAY = int(
    os.environ.get("ALLIANCE_COLLECTION_INVITATIONS_PER_DAY", "500")
)
#: Responses one collection may start in an hour (its anonymous link needs no account).
ALLIANCE_COLLECTION_STARTS_PER_HOUR = int(
    os.environ.get("ALLIANCE_COLLECTION_STARTS_PER_HOUR", "1000")
)
