"""Shouhu settings. Every knob comes from a SHOUHU_* environment variable (docs/configuration.md)."""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(f"SHOUHU_{name}", default)


def env_bool(name, default=False):
    raw = env(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"SHOUHU_{name} must be 0/1/true/false, got {raw!r}")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    raw = env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"SHOUHU_{name} must be a whole number, got {raw!r}") from None


DEBUG = env_bool("DEBUG", False)
# Demo mode: demo users with printed passwords and derived development keys. Never in production.
DEMO = env_bool("DEMO", False)
TESTING = env_bool("TESTING", False)
RELAXED = DEBUG or DEMO or TESTING

VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not RELAXED:
        raise ImproperlyConfigured("SHOUHU_SECRET_KEY is required unless SHOUHU_DEBUG or SHOUHU_DEMO is on.")
    SECRET_KEY = "shouhu-development-only-secret-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Person data (phone, ID card numbers): Fernet keys, newest first; older keys still decrypt (rotation).
_data_keys = env_list("DATA_KEYS", "")
_hash_key = env("HASH_KEY", "")
if not _data_keys or not _hash_key:
    if not RELAXED:
        raise ImproperlyConfigured(
            "SHOUHU_DATA_KEYS and SHOUHU_HASH_KEY are required in production "
            "(python manage.py generate_keys prints a fresh pair)."
        )
    _seed = hashlib.sha256(("data:" + SECRET_KEY).encode()).digest()
    _data_keys = _data_keys or [base64.urlsafe_b64encode(_seed).decode()]
    _hash_key = _hash_key or hashlib.sha256(("hash:" + SECRET_KEY).encode()).hexdigest()
PERSON_DATA_KEYS = _data_keys
PERSON_HASH_KEY = _hash_key

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
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "places",
    "accounts",
    "hotline",
    "triage",
    "community",
    "volunteers",
    "supplies",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "shouhu.urls"

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
                "core.context_processors.shell",
            ],
        },
    },
]

WSGI_APPLICATION = "shouhu.wsgi.application"

# Database: SQLite in var/ (WAL) unless SHOUHU_DATABASE_URL points elsewhere.
_db_url = env("DATABASE_URL")
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "shouhu.sqlite3",
            "OPTIONS": {
                # IMMEDIATE: writers queue for the lock instead of failing on upgrade ("database is locked").
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            # Tests use a file, not shared-cache memory: its table locks ignore the busy timeout, so
            # concurrency tests (two workers, two liaisons) would fail for a reason production never sees.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (accounts.throttle): this many failures per username or address lock it for a while.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# Security: sessions and CSRF cookies are HTTP-only; HTTPS-only cookies when served over TLS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_SECONDS", 12 * 3600)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# The browsers' HSTS preload list is for public internet domains; intranet hosts cannot be on it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "守护 Shouhu API",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_person_data": {"()": "core.logging.MaskPersonDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_person_data"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Product settings.
DISTRICT_PREFIX = env("DISTRICT_PREFIX", "GZ")
PLATE_HOME_PREFIX = env("PLATE_HOME_PREFIX", "苏F")
WORKER_SLEEP_SECONDS = float(env("WORKER_SLEEP_SECONDS", "1"))
# Reports: the morning 日报 (SHOUHU_DAILY_REPORT_TIME, for the previous day, with SHOUHU_DAILY_REPORT_CUTOFF
# 00:00 = calendar day or e.g. 12:00 = noon to noon) and the 定时上报 hours during 应急响应.
DAILY_REPORT_TIME = env("DAILY_REPORT_TIME", "08:00")
DAILY_REPORT_CUTOFF = env("DAILY_REPORT_CUTOFF", "00:00")
UNIT_REPORT_HOURS = env("UNIT_REPORT_HOURS", "10:00,16:00")
# Hotline: EP-* categories always get epidemic deadlines (True), or only while 应急响应 is on (False).
HOTLINE_EP_ALWAYS_EPIDEMIC = env_bool("HOTLINE_EP_ALWAYS_EPIDEMIC", True)
# Community: gate entries are personal data kept only this many days, then purged by the worker.
SHOUHU_GATE_RETENTION_DAYS = env_int("GATE_RETENTION_DAYS", 28)
# Triage: retrain the topic model once this many new confirmed examples exist (worker task triage.retrain).
TRIAGE_RETRAIN_MIN = env_int("TRIAGE_RETRAIN_MIN", 200)

# Interoperability (interop/): API keys, idempotent POSTs, Open311, upper-level platform exchange.
INSTALLED_APPS.append("interop")
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"].append("interop.auth.ApiKeyAuthentication")
MIDDLEWARE.append("interop.middleware.IdempotencyMiddleware")
# Where status changes of orders pushed in by the city platform are sent (empty: no push, export only).
UPPER_WEBHOOK_URL = env("UPPER_WEBHOOK_URL", "")
UPPER_WEBHOOK_SECRET = env("UPPER_WEBHOOK_SECRET", "")
if UPPER_WEBHOOK_URL and not UPPER_WEBHOOK_SECRET:
    raise ImproperlyConfigured("SHOUHU_UPPER_WEBHOOK_SECRET is required when SHOUHU_UPPER_WEBHOOK_URL is set.")
UPPER_WEBHOOK_TIMEOUT = float(env("UPPER_WEBHOOK_TIMEOUT", "10"))
UPPER_WEBHOOK_MAX_ATTEMPTS = env_int("UPPER_WEBHOOK_MAX_ATTEMPTS", 8)
IDEMPOTENCY_HOURS = env_int("IDEMPOTENCY_HOURS", 24)
# Contact line in the Open311 discovery document.
OPEN311_CONTACT = env("OPEN311_CONTACT", "港闸区12345政务服务热线")
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums", "interop.schema.interop_additions",
]
# Reliability: a lost database connection answers a clean 503 (Chinese message, Retry-After), not a 500.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "core.dbdown.DatabaseDownMiddleware")
# Every request body, files included, is limited (Django's own limit ignores files): 413 above this.
SHOUHU_MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 20 * 1024 * 1024)
MIDDLEWARE.insert(MIDDLEWARE.index("core.dbdown.DatabaseDownMiddleware") + 1, "core.uploads.RequestSizeLimitMiddleware")
# Retention of personal data (core/retention.py, daily worker job core.retention).
SHOUHU_HEALTH_RETENTION_DAYS = env_int("HEALTH_RETENTION_DAYS", 28)
SHOUHU_ORDER_PERSONAL_RETENTION_DAYS = env_int("ORDER_PERSONAL_RETENTION_DAYS", 180)

# Named date formats per language (shouhu/formats/<lang>/formats.py): templates use
# date:"MONTH_DAY_FORMAT" etc., never a Chinese pattern, so the English pages read naturally.
FORMAT_MODULE_PATH = "shouhu.formats"

# Optional read replica (PostgreSQL streaming replica) for the reports' read-only screens (core/dbrouter.py).
_replica_url = env("REPLICA_DATABASE_URL")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
SHOUHU_REPLICA_READS = bool(_replica_url)
DATABASE_ROUTERS = ["core.dbrouter.ReplicaRouter"]

# Worker: a non-atomic job (webhook) claimed by a worker that died is run again after this lease (core/jobs.py).
SHOUHU_JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 300)
# Retention (core/retention.py; table in docs/SECURITY.md): quarantine inspections' people, finished doorstep
# services' free text, notifications, the emergency roster (residents, volunteers, donors: after the response
# ended and that long inactive), the audit log; each rule runs in batches, capped per run.
SHOUHU_INSPECTION_RETENTION_DAYS = env_int("INSPECTION_RETENTION_DAYS", 28)
SHOUHU_SERVICE_NOTES_RETENTION_DAYS = env_int("SERVICE_NOTES_RETENTION_DAYS", 180)
SHOUHU_NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 90)
SHOUHU_PERSON_RETENTION_DAYS = env_int("PERSON_RETENTION_DAYS", 365)
SHOUHU_AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 1095)
SHOUHU_RETENTION_BATCH = env_int("RETENTION_BATCH", 1000)
SHOUHU_RETENTION_MAX_ROWS = env_int("RETENTION_MAX_ROWS", 20000)

# API bodies: JSON objects only (core/parsers.py), form and multipart as DRF's defaults.
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "core.parsers.ObjectJSONParser", "rest_framework.parsers.FormParser", "rest_framework.parsers.MultiPartParser",
]
# A NUL character anywhere in a request's text is a 400 in Chinese, never a database error (core/uploads.py).
MIDDLEWARE.insert(MIDDLEWARE.index("core.uploads.RequestSizeLimitMiddleware") + 1, "core.uploads.NulByteMiddleware")
