"""Settings for phongdich: one module, driven by the environment.

With nothing set, the system runs on an embedded SQLite database (WAL mode) under
``var/`` with background tasks executed in-process.  ``DATABASE_URL`` selects
PostgreSQL (``postgres:///phongdich`` uses the local socket), ``REDIS_URL`` a
Celery broker.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

# Lets ModelAdmin[Model], QuerySet[Model] … be written at run time as the type checker reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PHONGDICH_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # The embedded default keeps a generated key in var/ so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        SECRET_KEY = key_file.read_text().strip()
    else:
        from django.utils.crypto import get_random_string

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = get_random_string(64)
        key_file.write_text(SECRET_KEY)
        key_file.chmod(0o600)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")
# The address printed on QR posters and in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "js_lib_htmx",
    "phongdich.core",
    "phongdich.geo",
    "phongdich.orgs",
    "phongdich.people",
    "phongdich.cases",
    "phongdich.dashboard",
    "phongdich.demo",
    "phongdich.zones",
    "phongdich.declarations",
    "phongdich.quarantine",
    "phongdich.movements",
    "phongdich.tracing",
    "phongdich.checkins",
    "phongdich.healthpass",
    "phongdich.exposures",
    "phongdich.testing",
    "phongdich.screening",
    "phongdich.supplies",
    "phongdich.vaccination",
    "phongdich.levels",
    "phongdich.command",
    "phongdich.notifications",
    "phongdich.hotlines",
    "phongdich.travel",
    "phongdich.enforcement",
    "phongdich.welfare",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "phongdich.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "phongdich.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "phongdich.urls"
WSGI_APPLICATION = "phongdich.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "phongdich" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "phongdich.core.context_processors.site",
                "phongdich.dashboard.context_processors.nav",
                "phongdich.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "phongdich.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login throttling: failures per username and per address within the window.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))

# --- Language and time ------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "phongdich" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from finders; the folder must exist
STATICFILES_DIRS = [BASE_DIR / "phongdich" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Upload limits (bad input never exhausts the server) -------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(40 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))

# --- Cache (login throttling, rate limits) ---------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "phongdich_cache",
        }
    }

# --- Background work ------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"  # a host named: kombu warns otherwise
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "outbox"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "phongdich@localhost")

# --- Public medical declaration (M2): abuse guards -------------------------------------
DECLARATION_LIMIT_PER_IP = int(os.environ.get("DECLARATION_LIMIT_PER_IP", "10"))  # per hour
DECLARATION_LIMIT_PER_PHONE = int(os.environ.get("DECLARATION_LIMIT_PER_PHONE", "5"))  # per hour
DECLARATION_CAPTCHA_AFTER = int(os.environ.get("DECLARATION_CAPTCHA_AFTER", "3"))  # submissions per hour
DECLARATION_MAX_BODY = 64 * 1024  # bytes
DECLARATION_API_RATE = os.environ.get("DECLARATION_API_RATE", "10/hour")

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "phongdich.core.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "phongdich.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "2000/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "phongdich API",
    "DESCRIPTION": "Hệ thống phòng, chống dịch cấp tỉnh — REST API v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc served from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "phongdich.orgs.models.OrganisationKind",
        "PremisesKindEnum": "phongdich.orgs.models.PremisesKind",
        "PlaceKindEnum": "phongdich.zones.models.PlaceKind",
        "CaseStatusEnum": "phongdich.cases.models.CaseStatus",
        "EpisodeKindEnum": "phongdich.quarantine.models.EpisodeKind",
        "EpisodeStatusEnum": "phongdich.quarantine.models.EpisodeStatus",
        "FacilityKindEnum": "phongdich.quarantine.models.FacilityKind",
        "ClusterStatusEnum": "phongdich.cases.models.ClusterStatus",
        "TestKindEnum": "phongdich.testing.models.TestKind",
        "SupplyMovementKindEnum": "phongdich.supplies.models.MovementKind",
        "SupplyItemCategoryEnum": "phongdich.supplies.models.ItemCategory",
        "StaffCategoryEnum": "phongdich.people.models.StaffCategory",
        "ScreeningPeriodEnum": "phongdich.screening.models.Period",
        "ScreeningSampleModeEnum": "phongdich.screening.models.SampleMode",
        "TipKindEnum": "phongdich.hotlines.models.TipKind",
        "TipStatusEnum": "phongdich.hotlines.models.TipStatus",
        "TipOutcomeEnum": "phongdich.hotlines.models.TipOutcome",
        "TipChannelEnum": "phongdich.hotlines.models.TipChannel",
        "EpidemicLevelEnum": "phongdich.levels.models.EpidemicLevel",
        "GiftKindEnum": "phongdich.welfare.models.GiftKind",
        "TestOutcomeEnum": "phongdich.testing.models.Outcome",
        "TestOrderStatusEnum": "phongdich.testing.models.OrderStatus",
        "TestOrderReasonEnum": "phongdich.testing.models.OrderReason",
        "TestTriggerEnum": "phongdich.testing.models.Trigger",
        "UnitLevelEnum": "phongdich.geo.models.Level",
    },
}

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "phongdich.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Domain settings ----------------------------------------------------------------
# GSO code of the deployment's province (Thái Nguyên by default).
PROVINCE_CODE = os.environ.get("PROVINCE_CODE", "19")
# The administrative tree in force: "2021" (three tiers) or "2025" (two tiers, since 07/2025).
ADMIN_TREE = os.environ.get("ADMIN_TREE", "2021")
# Where scripts/setup keeps data-only wheels (see requirements/data.txt).
DATA_DIR = Path(os.environ.get("PHONGDICH_DATA_DIR", VAR_DIR / "data"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Notifications -------------------------------------------------------------------
# The SMS gateway (a dotted path to a SmsGateway class); the embedded default writes to var/sms/.
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "phongdich.notifications.sms.FileSmsGateway")

# --- QR check-in (checkins app) -------------------------------------------------------
# Check-ins older than this many days are purged every night (Celery beat, purge_checkins).
CHECKIN_RETENTION_DAYS = int(os.environ.get("CHECKIN_RETENTION_DAYS", "30"))
# A check-in's time may lie this far in the past (an offline phone's queue), not further.
CHECKIN_MAX_AGE_HOURS = int(os.environ.get("CHECKIN_MAX_AGE_HOURS", "72"))
# Presence assumed after a check-in, by premises kind (minutes), for exposure matching; 60
# minutes for every kind until the health service sets its own figures.
CHECKIN_DWELL_DEFAULT_MINUTES = int(os.environ.get("CHECKIN_DWELL_DEFAULT_MINUTES", "60"))
CHECKIN_DWELL_MINUTES: dict[str, int] = dict.fromkeys(
    ("office", "gate", "meeting_room", "workshop", "canteen", "reception", "other"), CHECKIN_DWELL_DEFAULT_MINUTES
)
# Single check-ins under threaded gunicorn workers are written in groups by one writer thread per process
# (one statement and one commit for up to CHECKIN_GROUP_COMMIT_ROWS rows, waiting at most ..._WAIT_MS for
# more); each request is answered after its group's commit. auto: on only under threaded gunicorn workers.
CHECKIN_GROUP_COMMIT = os.environ.get("CHECKIN_GROUP_COMMIT", "auto")  # auto | true | false
CHECKIN_GROUP_COMMIT_ROWS = int(os.environ.get("CHECKIN_GROUP_COMMIT_ROWS", "200"))
CHECKIN_GROUP_COMMIT_WAIT_MS = float(os.environ.get("CHECKIN_GROUP_COMMIT_WAIT_MS", "1"))
# Exposure matching widens a case's presence by this margin on each side (minutes).
EXPOSURE_MARGIN_MINUTES = int(os.environ.get("EXPOSURE_MARGIN_MINUTES", "15"))
# Requests per address per minute on the check-in endpoints (many phones share one address
# behind a factory's NAT; a flood from one address is cut off after this).
CHECKIN_RATE_PER_MINUTE = int(os.environ.get("CHECKIN_RATE_PER_MINUTE", "600"))
CHECKIN_BATCH_MAX = 1000
CELERY_BEAT_SCHEDULE = {
    # Check-ins older than CHECKIN_RETENTION_DAYS are deleted every night (audited with the count).
    "checkins-purge": {"task": "phongdich.checkins.tasks.purge_checkins", "schedule": crontab(hour=2, minute=30)},
    # Epidemic levels of every unit for the ISO week just ended (Z3), published with 48 hours' notice of a raise.
    # Mandatory test orders for recent events written in bulk, without signals (T1).
    "testing-sweep": {"task": "testing.sweep", "schedule": crontab(hour=1, minute=15)},
    # Heads of agencies with overdue directive tasks are reminded (R4).
    "command-remind-overdue": {
        "task": "phongdich.command.tasks.remind_overdue",
        "schedule": crontab(hour=16, minute=15),
    },
    # At 15:00 those who have not sent today's daily report are reminded (R1).
    "command-report-reminders": {
        "task": "phongdich.command.tasks.remind_reports",
        "schedule": crontab(hour=15, minute=0),
    },
    "levels-weekly": {"task": "levels.assess_last_week", "schedule": crontab(day_of_week="mon", hour=6, minute=0)},
}
