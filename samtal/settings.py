"""Settings for Samtal, read from the environment.

DEBUG is off unless DEBUG=true; then SECRET_KEY must be set. DATABASE_URL defaults
to the SQLite file under var/.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY saknas: set the environment variable SECRET_KEY to a long random "
            "string (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-true"
# Earlier keys, while a new SECRET_KEY is rolled out: links signed with them keep working.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "axes",
    # Single sign-on (OpenID Connect, SAML 2.0), configured per organisation: samtal/identity.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "csp",
    "django_tasks",
    "django_tasks.backends.database",
    # Samtal's apps, bottom layer first (see README, "Architecture").
    "samtal.core",
    "samtal.organisations",
    "samtal.conversation_templates",
    "samtal.meetings",
    "samtal.identity",
    "samtal.keyfigures",
    "samtal.participants",
    "samtal.actions",
    "samtal.a3",
    "samtal.archive",
    "samtal.surveys",
    "samtal.evaluations",
    "samtal.administration",
    "samtal.demo",
    "samtal.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "samtal.core.static_files.StaticFilesMiddleware",
    "samtal.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samtal.organisations.session.CurrentOrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "samtal.core.middleware.IdleTimeoutMiddleware",
]

ROOT_URLCONF = "samtal.urls"

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
                "samtal.core.context_processors.session_timeout",
                "samtal.organisations.session.context",
            ],
        },
    },
]

WSGI_APPLICATION = "samtal.wsgi.application"

DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'samtal.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the live meeting's readers and the note-taker's writes overlap.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("DATABASE_POOL", True):
    # Under ASGI every request runs in a thread of its own, so a persistent connection
    # (CONN_MAX_AGE) is never used twice and each request would connect anew (5–10 ms).
    # A pool per process lends connections to requests and to the live feed's threads.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "8")),
        "timeout": 10,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "samtal.core.passwords.ContextPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # a reset link is valid for two hours

# Sessions end after this many seconds without activity; a session that opened the
# projector or the note-taker's view (shared laptops in meeting rooms) sooner. The page
# warns two minutes before. SESSION_COOKIE_AGE caps a session however active it is.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_MINUTES", "60")) * 60
SESSION_IDLE_TIMEOUT_SHARED = int(os.environ.get("SESSION_IDLE_MINUTES_SHARED", "20")) * 60
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_MAX_HOURS", "12")) * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "meetings:mine"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): five failures lock out that address, and separately
# that username, for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind PROXY_COUNT reverse proxies that each append to X-Forwarded-For, the client is the
# PROXY_COUNT-th address from the right (samtal.core.client_ip); 0 means REMOTE_ADDR.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "samtal.core.client_ip.client_ip"

# Single sign-on through django-allauth: each organisation's identity providers are rows in
# the database (samtal.identity.IdentityProvider, each with an allauth SocialApp), edited in
# /administration/inloggning/. Accounts are made at the first sign-in, never by a sign-up
# form; local accounts (Django's login at /logga-in/) stay for the demo and small installations.
ACCOUNT_ADAPTER = "samtal.identity.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "samtal.identity.adapter.SocialAccountAdapter"
ACCOUNT_SIGNUP_FIELDS = ["email", "username*"]
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
SOCIALACCOUNT_AUTO_SIGNUP = True
# The login page's "Logga in med …" are links: a form posted to Samtal that is then redirected
# to the provider would be stopped by the Content-Security-Policy's form-action 'self'. The
# sign-in's state is still bound to the session, so a forged start signs nobody in as someone
# else: the provider signs in whoever is at the keyboard.
SOCIALACCOUNT_LOGIN_ON_GET = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded material and archived PDFs on S3-compatible object storage (django-storages), so
# app servers on several machines share them. Files stay private: the app streams them to
# whoever may read them, it never hands out the bucket's URLs.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Planning and preparation (issue 3).
PERSONAL_LINK_DAYS_AFTER_MEETING = int(os.environ.get("PERSONAL_LINK_DAYS_AFTER_MEETING", "30"))
MATERIAL_MAX_UPLOAD_BYTES = int(os.environ.get("MATERIAL_MAX_UPLOAD_MB", "25")) * 1024 * 1024
PREPARATION_MAX_CHARS = 5000
# A follow-up report link (emailed to an action's owner) is valid this many days after sending.
REPORT_LINK_DAYS = int(os.environ.get("REPORT_LINK_DAYS", "90"))

# Background jobs (django-tasks, run by `manage.py db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}

# Key figures from Kolada (issue 18). KOLADA_BASE_URL may point at a proxy; KOLADA_ENABLED=false
# makes no network calls at all (the demo then shows its example values only).
KOLADA_BASE_URL = os.environ.get("KOLADA_BASE_URL", "https://api.kolada.se/v3/")
KOLADA_ENABLED = env_bool("KOLADA_ENABLED", True)
KOLADA_TIMEOUT = float(os.environ.get("KOLADA_TIMEOUT", "10"))
# Planned meetings' key figures older than this are fetched again by refresh_keyfigures.
KOLADA_REFRESH_HOURS = int(os.environ.get("KOLADA_REFRESH_HOURS", "12"))
# Retention (gallring) of personal data, in days: `manage.py purge_personal_data` (daily)
# deletes what is older. docs/dataskydd.md explains each period; the municipality's own
# retention decision (gallringsbeslut) sets them.
RETENTION_DAYS = {
    "sent_emails_after_meeting": int(os.environ.get("RETENTION_SENT_EMAILS_DAYS", "90")),
    "preparations_after_meeting": int(os.environ.get("RETENTION_PREPARATIONS_DAYS", "90")),
    "edit_conflicts_after_meeting": int(os.environ.get("RETENTION_CONFLICTS_DAYS", "30")),
    "login_attempts": int(os.environ.get("RETENTION_LOGIN_ATTEMPTS_DAYS", "30")),
    "survey_keys": int(os.environ.get("RETENTION_SURVEY_KEYS_DAYS", "2")),
    "survey_invitations_after_close": int(
        os.environ.get("RETENTION_SURVEY_INVITATIONS_DAYS", "90")
    ),
}

# "live": rendered read-only A3 fragments of live meetings, shared by the app processes on
# one machine so that a change is rendered once for the whole room (samtal/a3/live_views.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "live": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("LIVE_CACHE_DIR", str(BASE_DIR / "var" / "cache" / "live")),
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Background jobs (django-tasks): emails, PDF archiving and search indexing run in the worker
# (manage.py db_worker), stored in the database so nothing is lost when a process restarts.

# Daily jobs (manage.py periodic): the systemd timer runs them at 07:00, the container
# route's `periodic --loop` at PERIODIC_AT. Each is a management command with its arguments.
PERIODIC_AT = os.environ.get("PERIODIC_AT", "07:00")
PERIODIC_COMMANDS = [
    ["recover_deliveries"],
    ["send_action_reminders"],
    ["send_reflection_requests", "--alla-avslutade"],
    ["clearsessions"],
    ["clean_login_attempts"],
    ["prune_db_task_results", "--min-age-days", "30"],
    ["purge_personal_data"],
    ["refresh_keyfigures"],
]

# Email. In production an SMTP server is required: without EMAIL_HOST the app refuses to
# start rather than print emails with personal links to the log while the UI says "skickad".
# Another EMAIL_BACKEND set explicitly (e.g. the dummy backend for collectstatic) needs none.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", SMTP_BACKEND if EMAIL_HOST else CONSOLE_BACKEND)
if (
    not DEBUG
    and not EMAIL_HOST
    and ("EMAIL_BACKEND" not in os.environ or EMAIL_BACKEND == SMTP_BACKEND)
):
    raise ImproperlyConfigured(
        "EMAIL_HOST saknas: set the environment variable EMAIL_HOST to the SMTP server that "
        "sends invitations and reminders (with EMAIL_PORT, EMAIL_HOST_USER, "
        "EMAIL_HOST_PASSWORD, EMAIL_USE_TLS as needed), or set DEBUG=true for development."
    )
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
# An SMTP server that accepts the connection and never answers must not hold a job (or,
# before jobs, a request) for Python's default of no timeout at all.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samtal <samtal@localhost>")
if not DEBUG and EMAIL_BACKEND == SMTP_BACKEND and "DEFAULT_FROM_EMAIL" not in os.environ:
    raise ImproperlyConfigured(
        "DEFAULT_FROM_EMAIL saknas: set the environment variable DEFAULT_FROM_EMAIL to the "
        "sender of Samtal's emails, e.g. 'Samtal <samtal@kommun.se>'."
    )
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The organiser of the invitations' calendar event (.ics): replies from calendars go here.
INVITATION_ORGANIZER_EMAIL = os.environ.get("INVITATION_ORGANIZER_EMAIL", "")
INVITATION_ORGANIZER_NAME = os.environ.get("INVITATION_ORGANIZER_NAME", "Samtal")

SESSION_COOKIE_HTTPONLY = True

# A strict Content-Security-Policy (django-csp): scripts, styles, images and fonts only from
# this site, no inline code or style attributes, no plugins, no framing. SVG data: URIs are
# used by the CSS for icons. Permissions-Policy: samtal.core.middleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tokens of personal links, reset links and email addresses are blanked out of every
    # line (samtal/core/log_redaction.py).
    "filters": {"redact": {"()": "samtal.core.log_redaction.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own loggers propagate to the root handler instead of printing twice.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "axes": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
    },
}
