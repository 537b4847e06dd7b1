"""Settings shared by every deployment. Deployment values come from the environment (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kitab.core.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    kitab_home,
    sqlite_database,
)
from kitab.core.languages import INTERFACE_LANGUAGES

BASE_DIR = Path(__file__).resolve().parents[2]
KITAB_HOME = kitab_home()
KITAB_HOME.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("KITAB_SECRET_KEY")
if not SECRET_KEY:
    # A per-installation key kept in the data folder, so a fresh machine works without configuration and
    # sessions survive restarts.
    key_file = KITAB_HOME / "secret.key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

DEBUG = env_bool("KITAB_DEBUG", False)
ALLOWED_HOSTS = env_list("KITAB_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("KITAB_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "kitab.core",
    "kitab.catalogue",
    "kitab.authorities",
    "kitab.items",
    "kitab.patrons",
    "kitab.circulation",
    "kitab.holds",
    "kitab.notices",
    "kitab.consortium",
    "kitab.copycat",
    "kitab.labels",
    "kitab.worklists",
    "kitab.imports",
    "kitab.search",
    "kitab.protocols.sip2",
    "kitab.accounts",
    "kitab.lists",
    "kitab.comments",
    "kitab.savedsearches",
    "kitab.opac",
    "kitab.staff",
    "kitab.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kitab.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kitab.core.context_processors.site",
            ],
        },
    }
]

_database_url = env_str("KITAB_DATABASE_URL")
DATABASES = {
    "default": database_from_url(_database_url, home=KITAB_HOME)
    if _database_url
    else sqlite_database(KITAB_HOME / "kitab.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

KITAB_INDEX_DIR = Path(env_str("KITAB_INDEX_DIR") or KITAB_HOME / "index")
KITAB_REPORTS_DIR = KITAB_HOME / "reports"
# Files staff may stage for import from the staff interface (besides uploads) must lie in this folder.
KITAB_IMPORT_INBOX = Path(env_str("KITAB_IMPORT_INBOX") or KITAB_HOME / "inbox")
# How a staged import started in the staff interface runs: "thread" (in the web process) or "cli" (queued for
# `kitab batches run`); the tests use "inline".
KITAB_IMPORT_JOBS = env_str("KITAB_IMPORT_JOBS", "thread")
KITAB_LIBRARY_NAME = env_str("KITAB_LIBRARY_NAME", "Kitab")
# The OPAC's public address, for links in mail sent without a request (saved-search alerts).
KITAB_OPAC_URL = env_str("KITAB_OPAC_URL", "http://localhost:8000")
KITAB_INDEX_WRITER_HEAP_MB = env_int("KITAB_INDEX_WRITER_HEAP_MB", 256)
# Small changes (loans, edits, deletes) are indexed in the background a moment after they commit; set this to
# index them before the request returns instead (slower: one index commit per change).
KITAB_INDEX_SYNC = env_bool("KITAB_INDEX_SYNC", False)
KITAB_ADMIN_EMAIL = env_str("KITAB_ADMIN_EMAIL")
KITAB_OAI_REPOSITORY_ID = env_str("KITAB_OAI_REPOSITORY_ID", "kitab.local")
KITAB_OAI_PAGE_SIZE = env_int("KITAB_OAI_PAGE_SIZE", 100)
KITAB_OAI_TOKEN_HOURS = env_int("KITAB_OAI_TOKEN_HOURS", 24)

# Mail (patron notices). Without KITAB_EMAIL_HOST nothing is sent: each message is written as a file in
# $KITAB_HOME/outbox, so a fresh installation never mails patrons by accident.
EMAIL_HOST = env_str("KITAB_EMAIL_HOST")
EMAIL_PORT = env_int("KITAB_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KITAB_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("KITAB_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("KITAB_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("KITAB_EMAIL_FROM", "kitab@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(KITAB_HOME / "outbox")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The ten interface languages (kitab.core.languages); Persian is written right to left (Django's LANGUAGES_BIDI).
LANGUAGES = [(language.code, _(language.english_name)) for language in INTERFACE_LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "kitab" / "locale"]
# Date and number formats where Django's own are missing or wrong for our languages (kk, tr, ky, tk, tg, fa).
FORMAT_MODULE_PATH = ["kitab.core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("KITAB_TIME_ZONE", "UTC")
LANGUAGE_COOKIE_NAME = "kitab_language"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("KITAB_STATIC_ROOT") or KITAB_HOME / "static")
MEDIA_ROOT = KITAB_HOME / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Patrons sign in with card number or email (kitab.accounts, throttled); staff with a username. Each backend
# refuses the other's accounts.
AUTHENTICATION_BACKENDS = ["kitab.accounts.backends.StaffBackend", "kitab.accounts.backends.PatronBackend"]
# Sign-in throttling and registration limits (docs/opac.md).
KITAB_LOGIN_MAX_FAILURES = env_int("KITAB_LOGIN_MAX_FAILURES", 5)
KITAB_LOGIN_MAX_FAILURES_PER_IP = env_int("KITAB_LOGIN_MAX_FAILURES_PER_IP", 20)
KITAB_LOGIN_LOCKOUT_MINUTES = env_int("KITAB_LOGIN_LOCKOUT_MINUTES", 15)
KITAB_REGISTRATIONS_PER_IP_HOUR = env_int("KITAB_REGISTRATIONS_PER_IP_HOUR", 5)
KITAB_RESET_MAILS_PER_HOUR = env_int("KITAB_RESET_MAILS_PER_HOUR", 3)
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "opac:home"
LOGOUT_REDIRECT_URL = "opac:home"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KITAB_LOG_LEVEL", "WARNING")},
}

# The REST API (kitab.api) sets authentication, permissions and error handling on its own base view; the
# OpenAPI inspector has to be named here because drf-spectacular reads it from the settings.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "kitab.api.schema.KitabAutoSchema"}
