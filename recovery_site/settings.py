"""Kinship settings: environment variables only, read through django-environ.

With nothing set (and DEBUG=1, which `make run` writes into .env) the app runs on SQLite with
Celery in eager mode and console email. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS and EMAIL_URL; secrets have no default there.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (written by `make run`, never committed) keeps manage.py commands working for
# developers without exporting variables by hand. Real deployments use the environment.
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. For local development run `make run` "
            "(it writes a .env with DEBUG=1) or export DEBUG=1."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so `manage.py runserver` is daphne's and serves WebSockets too (messaging).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_celery_beat",
    "members",
    "notifications",
    "groups",
    "checkins",
    "matching",
    "messaging",
    "resources",
    "plans",
    "dashboard",
    # Demo data builders and bench_* commands: development tools, never imported by the product.
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.middleware.RejectNulBytesMiddleware",
    "common.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "members.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "members.middleware.IdleSessionTimeoutMiddleware",
    "members.middleware.TwoFactorEnrolmentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks, so it sees the outcome of the login views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "recovery_site.urls"

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
                "common.nav.nav_items",
                "members.context_processors.redisclosure_notice",
            ],
        },
    },
]

WSGI_APPLICATION = "recovery_site.wsgi.application"
ASGI_APPLICATION = "recovery_site.asgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Live messages (Django Channels): the Redis channel layer whenever REDIS_URL is set (CI,
# production: every ASGI process sees every message), the in-memory layer under `make run`.
CHANNEL_REDIS_URL = env.str("CHANNEL_REDIS_URL", default=REDIS_URL)
if CHANNEL_REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CHANNEL_REDIS_URL], "prefix": env.str("CHANNEL_PREFIX", default="kinship")},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"

# Lock-out: 5 failures per (email, address) within 15 minutes -> 429.
AXES_FAILURE_LIMIT = 5
# Failed sign-ins from one address, whatever the emails, within 15 minutes (members.lockout).
SIGNIN_FAILURES_PER_ADDRESS = env.int("SIGNIN_FAILURES_PER_ADDRESS", default=15)
# Password-reset emails: per address per hour, and per email address per hour.
PASSWORD_RESETS_PER_ADDRESS = env.int("PASSWORD_RESETS_PER_ADDRESS", default=10)
PASSWORD_RESETS_PER_EMAIL = env.int("PASSWORD_RESETS_PER_EMAIL", default=3)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
# The API sends `email`, the login form `username`: both count against the same lower-cased email.
AXES_USERNAME_CALLABLE = "members.lockout.axes_username"
AXES_LOCKOUT_CALLABLE = "members.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"])

# Kinship speaks English and Spanish (DESIGN.md "Trust"). A signed-in person's `language` chooses
# (members.middleware.UserLanguageMiddleware); others get their cookie (the footer switch) or
# Accept-Language. A string missing from a catalogue falls back to English, never to a blank.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email: console locally; EMAIL_URL (smtp://, smtps://, filemail:///path, ...) in production.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
for _key in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_FILE_PATH"):
    if _email.get(_key) not in (None, ""):
        globals()[_key] = _email[_key]
if _email.get("EMAIL_FILE_PATH") and not str(_email["EMAIL_FILE_PATH"]).startswith("/"):
    EMAIL_FILE_PATH = "/" + str(_email["EMAIL_FILE_PATH"])  # filemail:///var/mail means /var/mail
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kinship <no-reply@kinship.local>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# SMS goes through a pluggable backend; the outside provider is the only thing we fake.
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.ConsoleSmsBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))

# Celery: Redis when configured, eager (in-process) otherwise.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not (REDIS_URL or env.str("CELERY_BROKER_URL", default=""))
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Enqueueing happens after the request's commit: with Redis away, give up quickly (the rows wait
# in PostgreSQL for the dispatcher) rather than hold a member's request for seconds.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# Outbox tuning.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)
NOTIFICATION_STUCK_AFTER = timedelta(seconds=env.int("NOTIFICATION_STUCK_AFTER_SECONDS", default=300))
# At most this many check-in nudges and group reminders per member per local day (0 = no cap);
# crisis alerts and account messages are never capped.
NOTIFICATION_DAILY_CAP = env.int("NOTIFICATION_DAILY_CAP", default=6)

# Treatment consent text version recorded with each client's consent.
TREATMENT_CONSENT_VERSION = env.str("TREATMENT_CONSENT_VERSION", default="2026-11")
# Deleted accounts are erased after this grace period (the member can ask staff to restore).
ACCOUNT_ERASURE_GRACE = timedelta(days=env.int("ACCOUNT_ERASURE_GRACE_DAYS", default=30))

# Sessions: a clinician's or staff member's browser signs out after idle minutes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
SESSION_IDLE_TIMEOUT_PRIVILEGED = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=15 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# API tokens expire (API.md): staff and clinicians after API_TOKEN_TTL_HOURS_PRIVILEGED, everyone
# else after API_TOKEN_TTL_HOURS. Every token also ends on logout, password change or reset, and
# deactivation.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=720)
API_TOKEN_TTL_HOURS_PRIVILEGED = env.int("API_TOKEN_TTL_HOURS_PRIVILEGED", default=12)
# Staff and clinicians: besides the idle timeout, a browser session ends this long after sign-in.
SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED = env.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=12 * 60 * 60)
# Two-factor sign-in (django-otp): the name authenticator apps show.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Kinship")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON in and out (API.md): a form-encoded body would be read with HTML-form rules.
    "DEFAULT_PARSER_CLASSES": ["common.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",  # APIClient.post(url, data) sends JSON, like real clients
    "DEFAULT_PAGINATION_CLASS": "common.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "common.schema.AutoSchema",
    "EXCEPTION_HANDLER": "common.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_THROTTLE_RATES": {
        "signup": env.str("THROTTLE_SIGNUP", default="30/hour"),
        "anon": "120/minute",
        "two_factor": "30/hour",
        "password": "20/hour",
        "invite": env.str("THROTTLE_INVITE", default="60/hour"),
    },
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinship API",
    "DESCRIPTION": "Peer mentoring, recovery groups and care-team support. See API.md for the contract.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "members.choices.Role",
        "CareRoleEnum": "members.choices.CareRole",
        "MentorGenderEnum": "members.choices.MentorGender",
        "GenderEnum": "members.choices.Gender",
        "GroupKindEnum": "groups.models.Kind",
        "FlagKindEnum": "checkins.models.FlagKind",
        "SessionStatusEnum": "groups.models.SessionStatus",
        "EnrollmentStatusEnum": "groups.models.EnrollmentStatus",
        "AttendanceStatusEnum": "groups.models.AttendanceStatus",
        "RequestStatusEnum": "matching.models.RequestStatus",
        "MatchStatusEnum": "matching.models.MatchStatus",
        "DeliveryStatusEnum": "notifications.models.DeliveryStatus",
        "VettingStatusEnum": "members.choices.VettingStatus",
        "UsedEnum": "checkins.models.Used",
        "GoalStatusEnum": "plans.models.GoalStatus",
        "ReferralStatusEnum": "resources.models.ReferralStatus",
        "OutcomeEnum": "resources.models.Outcome",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "common.logging.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Production hardening: on whenever DEBUG is off; `check --deploy` passes with no warnings.
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    SILENCED_SYSTEM_CHECKS: list[str] = []

# `manage.py seed_demo`: each app's part of the demo program, in dependency order.
