"""Samen's one settings module: everything that varies comes from the environment.

SAMEN_ENV chooses the profile: "development" (the default, for `make run`),
"production" (refuses to start without a real secret and real hosts) or "test".
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SAMEN_ENV = os.environ.get("SAMEN_ENV", "development")
if SAMEN_ENV not in ("development", "production", "test"):
    raise ImproperlyConfigured(f"SAMEN_ENV must be development, production or test, not {SAMEN_ENV!r}")
PRODUCTION = SAMEN_ENV == "production"

VAR_DIR = Path(os.environ.get("SAMEN_VAR_DIR", BASE_DIR / "var"))


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if PRODUCTION:
        if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
            raise ImproperlyConfigured(
                "SECRET_KEY must be set to a long random value in production "
                "(at least 50 characters), e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(64))'"
            )
        return key
    if key:
        return key
    # A development secret is made once and kept under var/, never committed.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name this site's host names in production")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The address every absolute link (mails, feeds) starts with; nothing guesses it from a request or the hosts.
SITE_URL = os.environ.get("SITE_URL", "" if PRODUCTION else f"http://127.0.0.1:{os.environ.get('SAMEN_PORT', '8000')}")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "SITE_URL must be this site's https:// address in production, e.g. https://samen.example.org"
    )


def _care_keys() -> tuple[list[str], str]:
    """The Fernet keys that encrypt residents' data at rest (care app): the first encrypts, all decrypt.

    Returns the keys and where they came from: "environment", or "development" for the key kept in
    var/care_key. Production refuses to start without SAMEN_CARE_KEYS; elsewhere the development
    key is used (made once if missing), and `samen check --deploy` refuses it (care.E001), so a
    host that forgot SAMEN_ENV=production is told before it encrypts real residents' data with a
    key nobody backed up."""
    from cryptography.fernet import Fernet

    keys = envlist("SAMEN_CARE_KEYS", "")
    source = "environment"
    if not keys and PRODUCTION:
        raise ImproperlyConfigured(
            "SAMEN_CARE_KEYS must hold at least one Fernet key in production (residents' data is encrypted with it), "
            "e.g. python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    if not keys:
        # Outside production a development key is made once and kept under var/, like the secret key.
        path = VAR_DIR / "care_key"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(Fernet.generate_key().decode())
            path.chmod(0o600)
        keys, source = [path.read_text().strip()], "development"
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            raise ImproperlyConfigured(
                f"SAMEN_CARE_KEYS: key {number} is not a Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    return keys, source


SAMEN_CARE_KEYS, SAMEN_CARE_KEYS_SOURCE = _care_keys()
# Closed cases are anonymised this many days after closing (care app's retention job).
SAMEN_CARE_RETENTION_DAYS = envint("SAMEN_CARE_RETENTION_DAYS", 365)
# A vital-interest override (acting without consent) counts this many days; the coordinator reviews every one.
SAMEN_CARE_OVERRIDE_DAYS = envint("SAMEN_CARE_OVERRIDE_DAYS", 30)
# Whom to call when a worry cannot wait for the network (shown after every public report), e.g.
# "Sociaal Huis Hasselt, 011 00 00 00 (weekdays 9 to 17)"; without it the page names the city's social service.
SAMEN_CARE_SOCIAL_SERVICE = os.environ.get("SAMEN_CARE_SOCIAL_SERVICE", "").strip()

INSTALLED_APPS = [
    "modeltranslation",  # before admin, so translated fields show in it
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer finds Django's widget templates beside ours
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "ninja",
    "django_prometheus",
    "samen.core",
    "samen.agenda",
    "samen.network",
    "samen.measurement",
    "samen.activities",
    "samen.backbone",
    "samen.communication",
    "samen.care",
    "samen.calls",
    "samen.api",
    "samen.front",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "samen.core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view or CSRF check reads a body (those run after every middleware's __call__).
    "samen.core.limits.RequestLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "samen.core.middleware.RequireSecondFactorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "samen.urls"
FORM_RENDERER = "samen.core.forms.FormRenderer"
WSGI_APPLICATION = "samen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samen" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samen.agenda.context_processors.initiative",
                "samen.core.menu.menu",
            ],
        },
    },
]

# Database: SQLite under var/ by default, anything else through DATABASE_URL. Behind PgBouncer in
# transaction mode a server-side cursor (`.iterator()`) would outlive the transaction its server
# connection was lent for: DATABASE_DISABLE_SERVER_SIDE_CURSORS=true turns them off (docs/deployment.md).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'samen.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
        disable_server_side_cursors=envbool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend with the writers of a process served in turn (samen/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "samen.core.sqlite"
    # A connection per thread kept between requests: opening one (and its PRAGMAs) cost about as much
    # CPU as a cached page's own work (docs/performance.md, "Per-request cost"). Each thread has its own.
    # SQLite shrinks its write-ahead log only when the last connection closes, which a kept connection
    # delays to the server's stop: journal_size_limit truncates it after each checkpoint instead.
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DATABASE_CONN_MAX_AGE", 600)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA journal_size_limit=67108864;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use an in-memory database, as with Django's own engine: pytest-django knows SQLite only by
    # Django's engine name and would otherwise name each xdist worker's database after the file path.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: sign in with an email address, verified before first use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "samen.network.forms.SignupForm"
ACCOUNT_ADAPTER = "samen.network.adapters.AccountAdapter"
ACCOUNT_FORMS = {"request_login_code": "samen.network.adapters.RequestLoginCodeForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samen] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# The owner of an account that others try to guess still gets in with a code sent by email.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Limits count in the shared cache, by the client's address as the trusted proxy reports it.
# 0 trusts no X-Forwarded-For; set it to the number of proxies that append to it (1 behind one nginx).
ALLAUTH_TRUSTED_PROXY_COUNT = envint("SAMEN_TRUSTED_PROXY_COUNT", 0)
# Wrong passwords: per address, per (account, address) and a generous cap per account (AccountAdapter);
# codes: per (account, address) and at most 10 mails an hour per account (RequestLoginCodeForm).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "samen_login_failed_account": "100/h/key",
    # On a browser where the account signed in before, its own caps instead of the account's.
    "samen_login_failed_device": "20/h/key",
    "samen_login_code_device": "5/h/key",
    "request_login_code": "20/m/ip",
    "samen_login_code": "3/m/key,5/h/key",
    "samen_login_code_account": "10/h/key",
    "signup": "10/m/ip,50/h/ip",
    "samen_event_register": "10/m/ip,60/h/ip",
    "samen_invite": "10/m/ip,50/h/ip",
    "samen_partner_propose": "5/m/ip,20/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samen"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "network:profile"
# Backbone coordinators and admins must have a second factor; the local demo may relax this.
SAMEN_REQUIRE_MFA = envbool("SAMEN_REQUIRE_MFA", PRODUCTION)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "samen" / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl", "en")
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SAMEN_MEDIA_ROOT", VAR_DIR / "media"))
# In production the proxy serves MEDIA_ROOT; the local demo serves it itself.
SAMEN_SERVE_MEDIA = envbool("SAMEN_SERVE_MEDIA", not PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if SAMEN_ENV == "test"
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


def _media_storage() -> tuple[dict[str, Any] | None, list[str]]:
    """Uploaded media (logos, challenge faces) on S3-compatible object storage when SAMEN_MEDIA_S3_BUCKET
    names a bucket (several app hosts then share it), with the origins the pages load them from (for
    the CSP). The credentials are boto3's own AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."""
    bucket = os.environ.get("SAMEN_MEDIA_S3_BUCKET", "").strip()
    if not bucket:
        return None, []
    endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None  # MinIO, Ceph, another cloud's S3
    region = os.environ.get("AWS_S3_REGION_NAME", "").strip() or None
    domain = os.environ.get("SAMEN_MEDIA_S3_DOMAIN", "").strip() or None  # a CDN or public name in front
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": region,
        "custom_domain": domain,
        # A domain in front serves public files; otherwise links are signed for an hour (a cached page
        # part lives ten minutes), so the bucket itself need not be public.
        "querystring_auth": domain is None,
        "querystring_expire": 3600,
        "file_overwrite": False,  # a second logo.png gets its own name, as on the filesystem
        "default_acl": None,
        "addressing_style": "path" if endpoint else None,
    }
    if domain:
        origins = [f"https://{domain}"]
    elif endpoint:
        parts = urlsplit(endpoint)
        origins = [f"{parts.scheme}://{parts.netloc}"]
    else:
        origins = [f"https://{bucket}.s3.amazonaws.com"] + (
            [f"https://{bucket}.s3.{region}.amazonaws.com"] if region else []
        )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, origins


_s3_media, MEDIA_ORIGINS = _media_storage()
if _s3_media:
    STORAGES["default"] = _s3_media
# WhiteNoise compresses every static file (gzip and brotli) on the first `samen serve`. The API docs'
# source maps (5 MB, for developer tools only) took 60 % of that time: they are served uncompressed.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SAMEN_MAX_IMAGE_BYTES = 2 * 1024 * 1024
# Any other request body larger than this is refused from its Content-Length, before anything reads it.
SAMEN_MAX_REQUEST_BYTES = envint("SAMEN_MAX_REQUEST_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024)
# Without a signed-in person (or an API token) much less: the public forms are text of at most 4,000
# characters (sign-up, sign-in, event registration, invitation, partner proposal, a worry), none uploads.
SAMEN_ANONYMOUS_MAX_REQUEST_BYTES = envint("SAMEN_ANONYMOUS_MAX_REQUEST_BYTES", 256 * 1024)
# Larger measurement files go through `samen import-measurements`, which streams them.
SAMEN_IMPORT_MAX_BYTES = envint("SAMEN_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# What an XLSX may unpack to (it is a zip): refused before it is read, against "zip bombs".
SAMEN_IMPORT_MAX_UNPACKED_BYTES = envint("SAMEN_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
# Public counts of people below this show as "< n" (network growth, event attendance); each indicator
# has its own threshold, 5 unless its steward sets another.
SAMEN_DISCLOSURE_THRESHOLD = envint("SAMEN_DISCLOSURE_THRESHOLD", 5)
# Check-in at an event's door opens this many days before the day the event starts (0: on the day).
SAMEN_CHECK_IN_DAYS_BEFORE = envint("SAMEN_CHECK_IN_DAYS_BEFORE", 0)

# Email: a real SMTP server when EMAIL_HOST is set; otherwise mails are printed to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
# Without Celery, account mails are sent on a thread after the response (tests send them in line).
SAMEN_MAIL_AFTER_RESPONSE = envbool("SAMEN_MAIL_AFTER_RESPONSE", SAMEN_ENV != "test")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samen <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache and background work: in this process by default; Redis and Celery workers at scale.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "samen",
        }
    }
elif SAMEN_ENV != "test":
    # Without Redis every process shares the database cache (sign-in limits, figures): its add is one
    # INSERT guarded by the key, atomic across processes and hosts; migrate makes its table.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "samen_cache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }
# Sessions with Redis: read from it (no database query per request) and written through to the
# database, so a Redis restart or an eviction under memory pressure (the cache shares it) signs nobody
# out. SESSION_ENGINE overrides it (`django.contrib.sessions.backends.cache` with a persistent Redis).
SESSION_ENGINE = os.environ.get(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db",
)
# Raise the versions of written tables after the commit (network.table_versions); the test suite,
# whose tests never commit, raises them at once.
SAMEN_TABLE_VERSIONS_AFTER_COMMIT = SAMEN_ENV != "test"
SAMEN_TASKS = os.environ.get("SAMEN_TASKS", "celery" if REDIS_URL else "inline")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
if SAMEN_TASKS not in ("inline", "celery"):
    raise ImproperlyConfigured(f"SAMEN_TASKS must be 'inline' or 'celery', not {SAMEN_TASKS!r}.")
if SAMEN_TASKS == "celery" and not CELERY_BROKER_URL:
    raise ImproperlyConfigured("SAMEN_TASKS=celery needs REDIS_URL (or CELERY_BROKER_URL) to reach the workers.")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat only ticks; core.periodic decides which jobs are due and claims them in the database.
CELERY_BEAT_SCHEDULE = {"samen-periodic": {"task": "samen.core.periodic.run_due", "schedule": 60.0}}

# Security headers, on in every environment; the TLS-only ones in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if envbool("SAMEN_BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# /healthz checks its parts at most once in this many seconds per process; a flood of requests is answered
# from that result (a broker check alone can take two seconds).
SAMEN_HEALTHZ_CHECK_SECONDS = envint("SAMEN_HEALTHZ_CHECK_SECONDS", 5)

# Metrics at /metrics: for a bearer token, or for these addresses when they ask directly (not via the proxy).
SAMEN_METRICS_TOKEN = os.environ.get("SAMEN_METRICS_TOKEN", "")
SAMEN_METRICS_ALLOWED_ADDRESSES = envlist("SAMEN_METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1")
PROMETHEUS_EXPORT_MIGRATIONS = False

# Logs: one JSON object a line in production (LOG_FORMAT=json), with the request id; text otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "samen.core.observability.RequestIdFilter"},
        "redact": {"()": "samen.core.observability.RedactFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
