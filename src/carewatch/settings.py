"""Django settings, read only from environment variables (see README, "Configuration").

The defaults are the embedded mode: SQLite in WAL mode, SqliteHuey and a secret
kept in the data directory, so `carewatch demo` runs on a fresh machine with no
services. PRODUCTION=True refuses those conveniences.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from carewatch.kids.gateways.config import parse_gateway_config
from carewatch.kids.store.payments.config import parse_payment_config
from carewatch.platform.lib.env import (
    ConfigError,
    env_bool,
    env_email,
    env_int,
    env_list,
    env_partitions,
    env_stream_name,
    parse_database_url,
    parse_email_url,
    parse_nats_url,
    parse_redis_url,
    private_directory,
    private_file,
    read_secret,
)
from carewatch.platform.pubsub.config import pubsub_prefix, pubsub_url
from carewatch.platform.web.csp import policy as csp_policy

ENV = os.environ
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(ENV.get("DATA_DIR", "") or Path.cwd() / "data").resolve()
private_directory(DATA_DIR)  # the database, task queue and keys live here

PRODUCTION = env_bool(ENV, "PRODUCTION", False)
DEBUG = env_bool(ENV, "DEBUG", False)
SECRET_KEY = read_secret(ENV, "SECRET_KEY", DATA_DIR, production=PRODUCTION)
# Encryption at rest for patient photos: comma-separated keys, newest first (rotatable).
DATA_KEY = read_secret(ENV, "DATA_KEY", DATA_DIR, production=PRODUCTION)
ALLOWED_HOSTS = env_list(
    # The test client's "testserver" is added by Django's test set-up, never here.
    ENV,
    "ALLOWED_HOSTS",
    [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"],
)
SITE_URL = ENV.get("SITE_URL", "").rstrip("/") or "http://127.0.0.1:8000"
CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "carewatch.platform.accounts.admin_apps.CareWatchAdminConfig",  # django.contrib.admin
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "ninja",  # serves /api/docs from the package's own static files, not a CDN
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "huey.contrib.djhuey",
    # platform
    "carewatch.platform.accounts",
    "carewatch.platform.notify",
    "carewatch.platform.support",
    "carewatch.platform.web",
    "carewatch.platform.help",
    "carewatch.platform.assistant",
    # services
    "carewatch.kids",
    "carewatch.kids.tracker",
    "carewatch.kids.gateways",
    "carewatch.kids.ingest",
    "carewatch.kids.store.catalogue",
    "carewatch.kids.store.basket",
    "carewatch.kids.store.payments",
    "carewatch.kids.store.orders",
    "carewatch.kids.store.checkout",
    "carewatch.kids.store.offers",
    "carewatch.kids.store.mailing",
    "carewatch.kids.store.reviews",
    "carewatch.kids.store.recommend",
    "carewatch.eyes",
    "carewatch.eyes.screening",
    "carewatch.eyes.booking",
    "carewatch.eyes.documents",
    "carewatch.eyes.review",
    "carewatch.eyes.portal",
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
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "carewatch.platform.web.private.PrivateNoStoreMiddleware",
    "carewatch.platform.web.api_errors.JsonApiErrorsMiddleware",
    # Last: the chain above runs in one thread under ASGI (see its docstring).
    "carewatch.platform.web.middleware.SyncChainMiddleware",
]

ROOT_URLCONF = "carewatch.urls"
ASGI_APPLICATION = "carewatch.asgi.application"
WSGI_APPLICATION = "carewatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carewatch.platform.web.context_processors.shell",
                "carewatch.platform.help.context_processors.page_help",
            ],
            "builtins": ["carewatch.platform.web.templatetags.money"],
        },
    },
]

DATABASES = {"default": parse_database_url(ENV.get("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = parse_redis_url(ENV.get("REDIS_URL"))

# --- Ingest log: SQLite in DATA_DIR, NATS JetStream when NATS_URL is set --------
NATS_URL = parse_nats_url(ENV.get("NATS_URL"))
# Devices are spread over this many partitions (one worker each at a time); changing
# it moves devices between partitions, so drain the log first.
INGEST_PARTITIONS = env_partitions(ENV, "INGEST_PARTITIONS", 8)
INGEST_STREAM = env_stream_name(ENV, "INGEST_STREAM", "CAREWATCH")
# The longest a device's row may lag behind its last fix when the rules decided nothing
# (kids/ingest/processing.py); 0 writes it with every batch.
INGEST_STATE_WRITE_S = env_int(ENV, "INGEST_STATE_WRITE_S", 10)
if not 0 <= INGEST_STATE_WRITE_S <= 600:
    raise ConfigError("INGEST_STATE_WRITE_S must be between 0 and 600 seconds.")

# --- Task queue: SqliteHuey embedded, RedisHuey when REDIS_URL is set ----------
HUEY = {
    "name": "carewatch",
    "immediate": env_bool(ENV, "HUEY_IMMEDIATE", False),
    "utc": True,
    "consumer": {"workers": env_int(ENV, "WORKER_THREADS", 2), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    # Private: a waiting message may hold a patient's address and what we tell them.
    _tasks_file = private_file(DATA_DIR / "tasks.sqlite3")
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(_tasks_file)}

# --- Live updates: in-process when embedded; NATS core subjects when NATS_URL is set
PUBSUB_URL = pubsub_url(ENV)
PUBSUB_PREFIX = pubsub_prefix(ENV)

CACHES = (
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# --- Accounts -----------------------------------------------------------------
# What the services add to the profile page (platform/accounts/sections.py), in order.
PROFILE_SECTIONS = [
    "carewatch.kids.store.recommend.profile.section",
    "carewatch.kids.store.offers.profile.section",
    "carewatch.kids.store.mailing.profile.section",
]
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CareWatch] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_ADAPTER = "carewatch.platform.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CareWatch"
# Clinic staff handle patient data; only the demo turns this off (it says so).
STAFF_MFA_REQUIRED = env_bool(ENV, "STAFF_MFA_REQUIRED", True)
LOGIN_REDIRECT_URL = "/home/"
LOGIN_URL = "/accounts/login/"

# --- E-mail -------------------------------------------------------------------
_email = parse_email_url(ENV.get("EMAIL_URL"), DATA_DIR)
EMAIL_BACKEND = _email.backend
EMAIL_HOST, EMAIL_PORT = _email.host, _email.port
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email.user, _email.password
EMAIL_USE_TLS, EMAIL_USE_SSL = _email.use_tls, _email.use_ssl
EMAIL_FILE_PATH = _email.file_path
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = SERVER_EMAIL = _email.from_email
# The mailto: of the new-product e-mails' List-Unsubscribe header (the sender's if unset).
STORE_UNSUBSCRIBE_MAILTO = env_email(ENV, "STORE_UNSUBSCRIBE_MAILTO")

# --- Notifications ------------------------------------------------------------
SMS_API_URL = ENV.get("SMS_API_URL", "")
SMS_API_TOKEN = ENV.get("SMS_API_TOKEN", "")
VAPID_PRIVATE_KEY_FILE = Path(
    ENV.get("VAPID_PRIVATE_KEY_FILE", "") or DATA_DIR / "vapid_private.pem"
)
VAPID_CONTACT = ENV.get("VAPID_CONTACT", "mailto:admin@carewatch.local")
# Users type webhook URLs: refuse private and loopback addresses unless told otherwise.
OUTGOING_HTTP_ALLOW_PRIVATE = env_bool(ENV, "OUTGOING_HTTP_ALLOW_PRIVATE", not PRODUCTION)
# Temporary delivery errors are retried NOTIFY_RETRY_DELAY, 2x, 4x... seconds later (capped):
# 12 attempts span about five hours, so a mail server down for an afternoon loses nothing.
# The help assistant keeps a conversation (only with the person's consent) this long.
ASSISTANT_RETENTION_DAYS = env_int(ENV, "ASSISTANT_RETENTION_DAYS", 30)
if ASSISTANT_RETENTION_DAYS < 1:
    raise ConfigError("ASSISTANT_RETENTION_DAYS must be a number of days, 1 or more.")
NOTIFY_MAX_ATTEMPTS = env_int(ENV, "NOTIFY_MAX_ATTEMPTS", 12)
NOTIFY_RETRY_DELAY = env_int(ENV, "NOTIFY_RETRY_DELAY", 30)
NOTIFY_RETRY_MAX_DELAY = env_int(ENV, "NOTIFY_RETRY_MAX_DELAY", 3600)

# --- Support (the staff inbox) -------------------------------------------------
# Answer e-mails carry Reply-To: reply+<signed token>@SUPPORT_REPLY_DOMAIN; the mail
# provider routes that domain's reply+ addresses to POST /support/inbound-email/, which
# accepts only requests carrying INBOUND_EMAIL_SECRET (unset: the webhook refuses all).
SUPPORT_REPLY_DOMAIN = ENV.get("SUPPORT_REPLY_DOMAIN", "") or (
    urlsplit(SITE_URL).hostname or "localhost"
)
INBOUND_EMAIL_SECRET = ENV.get("INBOUND_EMAIL_SECRET", "")
# Conversations handed over by the help assistant are deleted this many days after their
# last message (the privacy promise: 30 days); 0 keeps them. Product questions are kept.
SUPPORT_KEEP_DAYS = env_int(ENV, "SUPPORT_KEEP_DAYS", 30)
if SUPPORT_KEEP_DAYS < 0:
    raise ConfigError("SUPPORT_KEEP_DAYS must be 0 (keep) or a number of days.")
if INBOUND_EMAIL_SECRET and len(INBOUND_EMAIL_SECRET) < 16:
    raise ConfigError("INBOUND_EMAIL_SECRET must be at least 16 random characters.")

# --- Maps ---------------------------------------------------------------------
# A tile server URL such as https://tile.example.org/{z}/{x}/{y}.png; empty means no
# tiles: maps still draw positions, tracks and places on a plain background offline.
MAP_TILE_URL = ENV.get("MAP_TILE_URL", "")
MAP_ATTRIBUTION = ENV.get("MAP_ATTRIBUTION", "")

# --- Device gateways ------------------------------------------------------------
# Watch TCP (WATCH_PORT), OsmAnd on its own port (OSMAND_PORT, OSMAND_OWN_PORT), the
# OwnTracks MQTT subscriber (MQTT_URL) and their limits: see kids/gateways/config.py.
GATEWAYS = parse_gateway_config(ENV, SITE_URL)

# --- Payments -----------------------------------------------------------------
# test: the in-memory gateway with magic cards; stripe: PaymentIntents (STRIPE_API_BASE
# may point at localstripe for local runs).
PAYMENT_CONFIG = _payments = parse_payment_config(ENV, production=PRODUCTION)
PAYMENT_GATEWAY = _payments.gateway
STRIPE_SECRET_KEY = _payments.stripe_secret_key
STRIPE_WEBHOOK_SECRET = _payments.stripe_webhook_secret
STRIPE_API_BASE = _payments.stripe_api_base

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi")), ("ta", _("Tamil"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_vendor"]
FORMAT_MODULE_PATH = ["carewatch.formats"]  # day-month dates, Indian digit grouping
USE_I18N = True
USE_TZ = True
TIME_ZONE = ENV.get("TIME_ZONE", "Asia/Kolkata")

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# Uploads (encrypted fundus photos) are the owner's alone, like the database.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
EYES_MAX_UPLOAD_BYTES = env_int(ENV, "EYES_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# Production is HTTPS only: plain HTTP is redirected (behind a proxy that terminates TLS,
# it must send X-Forwarded-Proto), and browsers are told to never try HTTP again (HSTS).
# The load balancer's health check may stay on plain HTTP.
SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int(ENV, "SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool(ENV, "SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Patients' photos, reports and PDFs, bookings, children's places and the API: never
# stored by a browser or proxy (platform/web/private.py).
PRIVATE_PATHS = [
    "/eyes/centre/",
    "/eyes/my/",
    "/eyes/centres/bookings/",
    "/kids/tracker/",
    "/api/",
    "/account/",
    "/accounts/",
    "/notifications/",
    "/support/",  # conversations, and the signed links that open a guest's
    "/assistant/",  # the conversation with the help assistant
    "/admin/",
    "/home/",
    "/family/",
    "/clinic/",
]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp, since Django's own CSP arrives in 6.0 (Python 3.12). See platform/web/csp.py.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_policy(MAP_TILE_URL)}
if PRODUCTION and DEBUG:
    from carewatch.platform.lib.env import ConfigError

    raise ConfigError("DEBUG is True in production mode: set DEBUG=False or PRODUCTION=False.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": "WARNING"}},
}
