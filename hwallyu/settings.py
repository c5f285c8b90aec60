"""Hwallyu settings: one file, driven by the environment.

Production differs from development only by environment variables:
``DATABASE_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DEBUG``, ``EMAIL_*``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("HWALLYU_VAR_DIR", PROJECT_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str = "False") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}: boolean expected, got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: integer expected, got {value!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")
TESTING = envbool("HWALLYU_TESTING", "False")
# Demo mode shows demo logins and handler passphrases; on by default for `make run`.
DEMO_MODE = envbool("HWALLYU_DEMO", "False")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING or DEMO_MODE:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production-hwallyu"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "hwallyu.core",
    "hwallyu.org",
    "hwallyu.accounts",
    "hwallyu.notifications",
    "hwallyu.directives",
    "hwallyu.workplan",
    "hwallyu.pledges",
    "hwallyu.reviews",
    "hwallyu.integrity",
    "hwallyu.surveys",
    "hwallyu.performance",
    "hwallyu.province",
    "hwallyu.initiatives",
]

MIDDLEWARE = [
    # First: strips client data and cookies from the anonymous integrity channel (see the app).
    "hwallyu.integrity.middleware.ReporterPrivacyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hwallyu.accounts.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hwallyu.urls"
WSGI_APPLICATION = "hwallyu.wsgi.application"

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
                "hwallyu.core.context_processors.shell",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database -------------------------------------------------------------
# SQLite under var/ by default; DATABASE_URL=postgres://… switches to PostgreSQL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hwallyu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE transactions serialise writers up front instead of failing
        # with "database is locked" halfway through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env("HWALLYU_TEST_DB", "")} if env("HWALLYU_TEST_DB") else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and session security -------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# The Korean lockout page, or a JSON answer for /api/v1/auth/token.
AXES_LOCKOUT_CALLABLE = "hwallyu.accounts.views.lockout"
AXES_VERBOSE = False
# Reporter and citizen endpoints must never have an address recorded: axes only
# watches the login form, and we tell it to store no client address at all.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HWALLYU_NO_IP"]
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Name shown in authenticator apps beside the username.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "환류")
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "hwallyu_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle timeout default (minutes); the admin changes it per site in the UI.
SESSION_IDLE_MINUTES_DEFAULT = envint("SESSION_IDLE_MINUTES", 30)
SECURE_COOKIES = envbool("SECURE_COOKIES", "False" if (DEBUG or TESTING or DEMO_MODE) else "True")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "hwallyu.core.views.csrf_failure"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", "False") else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # KRDS components and htmx set element styles from script; style attributes stay allowed.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- I18N -----------------------------------------------------------------
LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "False")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "hwallyu@city.local")

# --- Citizen messages: KakaoTalk AlimTalk with SMS/LMS fallback ------------
# BACKEND "console" logs messages (demo); "http" talks to a Bizmessage v2.3-style API,
# e.g. the local fake provider started with `hwallyu fake_bizmessage`.
HWALLYU_BIZMESSAGE = {
    "BACKEND": env("BIZMESSAGE_BACKEND", "console"),
    "BASE_URL": env("BIZMESSAGE_BASE_URL", "http://127.0.0.1:8025").rstrip("/"),
    "APP_KEY": env("BIZMESSAGE_APP_KEY", "hwallyu-local"),
    "SECRET_KEY": env("BIZMESSAGE_SECRET_KEY", "local-secret"),
    "SENDER_KEY": env("BIZMESSAGE_SENDER_KEY", "hwallyu-sender-key"),
    "SEND_NO": env("BIZMESSAGE_SEND_NO", "0417461234"),
    "WEBHOOK_SECRET": env("BIZMESSAGE_WEBHOOK_SECRET", "local-webhook-secret"),
    "TIMEOUT": envint("BIZMESSAGE_TIMEOUT", 10),
}

# --- Background tasks -----------------------------------------------------
# Database backend with the `hwallyu worker` command; tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
if env("TASKS_BACKEND"):
    TASKS["default"]["BACKEND"] = env("TASKS_BACKEND")

# --- Logging --------------------------------------------------------------
LOG_DIR = Path(env("LOG_DIR", str(VAR_DIR / "log")))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"anonymous_paths": {"()": "hwallyu.core.logging.AnonymousPathFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["anonymous_paths"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "hwallyu": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO"), "propagate": False},
    },
}

# --- Hwallyu --------------------------------------------------------------
HWALLYU_CITY_DEFAULT = env("HWALLYU_CITY", "논산시")
# Paths whose requests must never be logged with client data (anonymous channels).
HWALLYU_ANONYMOUS_PATH_PREFIXES = ("/integrity/public", "/api/v1/integrity/", "/s/")
# City hall staff sit behind one NAT address: locking by IP would lock out the whole
# building, so lockout is per username (axes.W006 acknowledged).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
