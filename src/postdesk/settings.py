"""One settings module, configured by environment variables (see README "Settings")."""

import logging
import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from postdesk.envfile import var_dir


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = var_dir()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG")
# Demo mode: the laptop set-up of `make run`. Allows a generated secret key and file mail.
DEMO = env_bool("POSTDESK_DEMO")
TESTING = env_bool("POSTDESK_TESTING")
# Behind a reverse proxy (TLS ends there): only then are its X-Forwarded-* headers believed.
BEHIND_PROXY = env_bool("POSTDESK_BEHIND_PROXY")
# Django signs sessions, password-reset links and CSRF tokens with it; 50 characters is
# what Django's own deployment check asks for.
MIN_SECRET_KEY_LENGTH = 50


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        if len(key) < MIN_SECRET_KEY_LENGTH and not (DEBUG or DEMO or TESTING):
            raise ImproperlyConfigured(
                f"SECRET_KEY is {len(key)} characters long; use at least "
                f"{MIN_SECRET_KEY_LENGTH} random characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
            )
        return key
    if not (DEBUG or DEMO or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set POSTDESK_DEMO=1 for a local demo."
        )
    # Demo and debug: one key per checkout, kept under var/ so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "postdesk.core",
    "postdesk.productions",
    "postdesk.scheduling",
    "postdesk.billing",
    "postdesk.library",
    "postdesk.engineering",
    "postdesk.frontdesk",
    "postdesk.coordination",
    "postdesk.portal",
    "postdesk.reports",
    "postdesk.notifications",
    "postdesk.web",
    "postdesk.shell",
]

MIDDLEWARE = [
    "postdesk.core.middleware.RequestLogMiddleware",
    "postdesk.core.middleware.NoStoreMiddleware",
    "postdesk.core.middleware.ApiErrorBodyMiddleware",
    "postdesk.core.middleware.QueryCancelledMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "postdesk.core.middleware.MoneyLocaleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "postdesk.urls"
WSGI_APPLICATION = "postdesk.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "postdesk.web.context.facility",
                "postdesk.shell.context.navigation",
                "postdesk.shell.header.header_links",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
STATEMENT_TIMEOUT_MS = int(os.environ.get("POSTDESK_STATEMENT_TIMEOUT_MS", "30000"))
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'postdesk.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so a transaction that checks and then
        # writes cannot be overtaken by another writer between the two (DOMAIN rule 1).
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        # A 64 MB page cache keeps the per-resource index pages of a large booking history
        # in memory (the 2 MB default made creates slower as history grew; bench/RESULTS.md).
        # A memory map (mmap_size) measured slower: 1.14 against 0.87 ms per create at 1M.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-65536;"
        ),
    }
    # Tests run threads against one database: a file, never the shared in-memory one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_postdesk.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Session settings (bench/RESULTS.md has the measurements):
    # - a time zone of exactly "UTC" spares Django a SET TIME ZONE per connection;
    # - no parallel query: every query here is a short one, for which starting workers
    #   costs more than it saves, on cores the app's own workers share (a week's board
    #   went from 7.9 to 6.0 ms);
    # - random_page_cost for data in memory or on SSD, the usual 1.1 rather than the
    #   default 4 (tuned for spinning disks), which made the planner read all bookings
    #   to join 15,000 allocations to theirs (254 ms, against 43 ms through the index).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c timezone=UTC -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )
    # No web request may hold a connection (and the rows it locks) for ever: past the
    # timeout the server cancels the statement, and the request answers 503. Only the web
    # process (postdesk.wsgi marks it) gets it; migrations, the worker and commands such
    # as an import may legitimately run long. A lock wait counts towards it too.
    if os.environ.get("POSTDESK_PROCESS") == "web" and STATEMENT_TIMEOUT_MS > 0:
        DATABASES["default"]["OPTIONS"]["options"] += (
            f" -c statement_timeout={STATEMENT_TIMEOUT_MS}"
        )
    # Server-side parameter binding lets psycopg prepare a statement the fifth time a
    # connection runs it: the server then skips parsing and planning. Measured on a booking
    # create at 1M rows, the lock and clash-check statements went from 0.34 and 0.50 ms to
    # 0.18 ms each (bench/RESULTS.md). Behind a transaction-mode pooler set
    # POSTDESK_PG_PREPARE=0, which turns preparation off.
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
    if env_bool("POSTDESK_PG_PREPARE", default=True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Auth -----------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ... and an address on its own after POSTDESK["IP_FAILURE_LIMIT"] failures (core/throttle.py).
AXES_HANDLER = "postdesk.core.throttle.LoginThrottle"
if BEHIND_PROXY:
    # Otherwise every client would share the proxy's address, and its lockouts.
    AXES_CLIENT_IP_CALLABLE = "postdesk.core.throttle.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

# --- Security headers -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind TLS in production; the laptop demo serves plain HTTP on loopback.
SECURE_COOKIES = env_bool("POSTDESK_SECURE_COOKIES", default=not (DEBUG or DEMO or TESTING))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("POSTDESK_SSL_REDIRECT")
# A site that redirects every request to HTTPS tells browsers to skip plain HTTP next
# time (a year, the usual value); POSTDESK_HSTS_SECONDS overrides it, 0 turns it off.
SECURE_HSTS_SECONDS = int(
    os.environ.get("POSTDESK_HSTS_SECONDS", 365 * 24 * 3600 if SECURE_SSL_REDIRECT else 0)
)
if BEHIND_PROXY:
    # Anyone can send this header; only a proxy that sets it (and drops the client's)
    # makes it true. Without a proxy, the request's own scheme is the truth.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The interactive API docs page inlines its own start-up script and styles.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Locale and time ------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("POSTDESK_TIME_ZONE", "Europe/London")
USE_I18N = False
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = PROJECT_DIR / "node_modules"
# Front-end libraries come from npm (package.json) and are served from node_modules,
# never copied into the repository.
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
# Uploads (the facility's logo, production documents, QC uploads) go through the storage
# API: on disk under var/ by default, or in an S3-compatible bucket (django-storages) with
# POSTDESK_STORAGE=s3, for a facility that outgrows one machine. They are never served as
# files: downloads go through the pages and the API, which check who asks.
MEDIA_ROOT = VAR_DIR / "media"
STORAGE_KIND = os.environ.get("POSTDESK_STORAGE", "filesystem").strip().lower()
# POSTDESK_S3_* variable -> S3Storage option; only those set are passed, the rest keep
# django-storages' defaults (and boto3's own credential chain when no keys are given).
S3_OPTIONS = {
    "POSTDESK_S3_BUCKET": "bucket_name",
    "POSTDESK_S3_ENDPOINT_URL": "endpoint_url",
    "POSTDESK_S3_REGION": "region_name",
    "POSTDESK_S3_ACCESS_KEY_ID": "access_key",
    "POSTDESK_S3_SECRET_ACCESS_KEY": "secret_key",
    "POSTDESK_S3_PREFIX": "location",
    "POSTDESK_S3_ADDRESSING_STYLE": "addressing_style",
}


def _default_storage() -> dict:
    if STORAGE_KIND == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if STORAGE_KIND != "s3":
        raise ImproperlyConfigured(
            f"POSTDESK_STORAGE is {STORAGE_KIND!r}: use filesystem (the default) or s3"
        )
    options = {opt: os.environ[var] for var, opt in S3_OPTIONS.items() if os.environ.get(var)}
    if "bucket_name" not in options:
        raise ImproperlyConfigured("POSTDESK_STORAGE=s3 needs POSTDESK_S3_BUCKET")
    # Every stored name is made unique by the code that saves it; never overwrite one, and
    # leave access to the bucket's policy (many S3-compatible stores have no ACLs).
    options.update(file_overwrite=False, default_acl=None)
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _default_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Media QC reads files in place under this folder (a SAN or NAS mount in a facility);
# a path given to a check is resolved inside it, symlinks included, and refused outside.
QC_MEDIA_ROOT = Path(os.environ.get("POSTDESK_QC_MEDIA_ROOT", str(VAR_DIR / "qc-media")))
# The largest file a QC check accepts as an upload (bytes); bigger files go on the media root.
QC_UPLOAD_MAX_BYTES = int(os.environ.get("POSTDESK_QC_UPLOAD_MAX_BYTES", str(4 * 1024**3)))
WHITENOISE_AUTOREFRESH = DEBUG

# --- Mail -----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "postdesk@localhost")
if os.environ.get("EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    if _email.get("EMAIL_FILE_PATH"):
        EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
else:
    # Demo and laptops: every mail lands as a file a newcomer can read.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Background tasks -----------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Logging: one line per request to stdout ------------------------------------------
# WeasyPrint subsets the fonts it embeds in PDFs with the HarfBuzz-Subset library
# (Debian: libharfbuzz-subset0) and, where that is missing, with fontTools, whose PDFs
# are as good (a little larger). On that fallback it warns once per font per PDF that a
# future WeasyPrint will need the library (the pinned version does not), and once at
# import: on a machine without the library, `make run` printed six of those lines (the
# demo mails two quotes as PDFs, three fonts each), which read like errors. Only those
# two notices are silenced, by message and module; every other WeasyPrint warning shows.
HARFBUZZ_FALLBACK_NOTICE = "Using fontTools instead of HarfBuzz-Subset"
warnings.filterwarnings(
    "ignore",
    message="HarfBuzz-Subset will be required by future versions of WeasyPrint",
    category=DeprecationWarning,
    module=r"weasyprint\.text\.ffi",
)


def _not_harfbuzz_fallback(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(HARFBUZZ_FALLBACK_NOTICE)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "harfbuzz_fallback": {
            "()": "django.utils.log.CallbackFilter",
            "callback": _not_harfbuzz_fallback,
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "postdesk.request": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "postdesk": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        "weasyprint": {"filters": ["harfbuzz_fallback"]},
    },
}

# --- postdesk ----------------------------------------------------------------------------
POSTDESK = {
    "FACILITY_NAME": os.environ.get("POSTDESK_FACILITY_NAME", "postdesk facility"),
    # Hours a challenged pencil holder has to confirm or release (DOMAIN: custom, not standard).
    "CHALLENGE_HOURS": float(os.environ.get("POSTDESK_CHALLENGE_HOURS", "24")),
    # Longest allowed booking span; also bounds the overlap search (DESIGN performance notes).
    "MAX_BOOKING_DAYS": 90,
    "API_PAGE_SIZE": 50,
    "API_MAX_PAGE_SIZE": 500,
    # Billing (issue 5): VAT rates per code, pricing multipliers, approval and numbering.
    "VAT_RATES": {"standard": "20.00", "zero": "0.00", "exempt": "0.00"},
    "HOME_COUNTRY": os.environ.get("POSTDESK_HOME_COUNTRY", "GB"),
    "DAY_HOURS": 10,
    "HALF_DAY_HOURS": 5,
    "OVERTIME_MULTIPLIER": "1.5",
    "WEEKEND_MULTIPLIER": "1.5",
    # Failed sign-ins from one address, whatever the usernames, before it is locked out
    # for AXES_COOLOFF_TIME (one username from one address: AXES_FAILURE_LIMIT).
    "IP_FAILURE_LIMIT": int(os.environ.get("POSTDESK_IP_FAILURE_LIMIT", "20")),
    "QUOTE_APPROVAL_THRESHOLD": os.environ.get("POSTDESK_QUOTE_APPROVAL_THRESHOLD", "10000"),
    "QUOTE_VALID_DAYS": 30,
    "QUOTE_TERMS": "Prices exclude VAT. Overtime and weekend rates apply as booked.",
    "INVOICE_NUMBER_FORMAT": "INV-{year}-{number:06d}",
    "CREDIT_NOTE_NUMBER_FORMAT": "CN-{year}-{number:06d}",
    # Every date and instant the system accepts lies in [DATE_MIN, DATE_MAX): the calendar's
    # edges (year 1, year 9999) overflow date arithmetic and the databases' ranges, and no
    # facility books a session in either (issue 10).
    "DATE_MIN": os.environ.get("POSTDESK_DATE_MIN", "2000-01-01"),
    "DATE_MAX": os.environ.get("POSTDESK_DATE_MAX", "2100-01-01"),
    # Billing bounds (issue 10): lines per quote, job sheet, invoice or credit note; how far
    # back an invoice may be dated without an administrator and a reason; how far ahead.
    "MAX_DOCUMENT_LINES": 500,
    "INVOICE_BACKDATE_DAYS": 7,
    "INVOICE_FUTURE_DAYS": 31,
    # Where the facility's users reach postdesk: the links in the mail the worker sends
    # (a notification's page, its unsubscribe link), which has no request to ask.
    "SITE_URL": os.environ.get("POSTDESK_SITE_URL", "http://localhost:8000").rstrip("/"),
}
