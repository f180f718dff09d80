"""Settings shared by every environment. Overlays: local (default), test, production."""
import dj_database_url
from kombu import Queue

from jiuzhu.dbconfig import conn_max_age, sqlite_options
from jiuzhu.env import BASE_DIR, env_bool, env_int, env_list, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "local-only-not-secret-9c1e7f2a5b")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_celery_beat",
    # ground floor
    "core",
    "accounts",
    # first floor
    "cases",
    "attachments",  # documents on any object (beside cases, imports neither cases nor anything above)
    # second floor
    "funds",
    "monitoring",
    "audit",
    "ops",  # health, 系统状态, heartbeats, backup/restore (reads core.jobs, never the business apps)
    "imports",
    "discovery",
    "notifications",  # notices to applicants: templates, the SMS outbox and its gateways
    "reports",  # the three aims, monthly statistics, charts, the readable audit trail (reads every app)
    "charity",  # social forces: charity funds, mutual aid, pairing, purchased services (§8, §10)
    "demo",  # demo and synthetic data: above every product app, imported by none
]

# Argon2id first (accounts/hashers.py); older PBKDF2 hashes still verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "accounts.hashers.JiuzhuArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (issue #15): no inline script anywhere
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionPolicyMiddleware",  # after messages: it tells the user why they were logged out
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from our own static files, nothing inline; styles may be
# inline attributes (charts and progress bars), never from elsewhere; no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "jiuzhu.urls"
WSGI_APPLICATION = "jiuzhu.wsgi.application"

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
                "jiuzhu.navigation.navigation",
            ],
            # {% url %} remembering what it reversed, per process (core/templatetags/url_memo.py)
            "builtins": ["core.templatetags.url_memo"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections only where the number of connecting threads is fixed (gunicorn's sync
        # workers: docker-compose sets DATABASE_CONN_MAX_AGE for the web service). runserver and every other
        # process open one per request thread; kept alive they pile up to PostgreSQL's limit (jiuzhu.dbconfig).
        conn_max_age=conn_max_age(),
    )
}
# SQLite for one office (`make run`): WAL (readers never wait for a writer), a 30 s busy timeout and
# IMMEDIATE transactions (a writer takes the lock when it begins, never by upgrading mid-transaction).
DATABASES["default"] = sqlite_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: idle timeout 30 minutes, absolute lifetime 8 hours. The idle clock is refreshed by
# accounts.middleware.SessionPolicyMiddleware at most once per SESSION_REFRESH_SECONDS (a write per
# request would cost an UPDATE and a commit on every page view): an idle session ends between 29 and
# 30 minutes after the last request, never later.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME = 8 * 60 * 60
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_COOKIE_HTTPONLY = True
LOGIN_LOCKOUT_THRESHOLD = 5
LOGIN_LOCKOUT_MINUTES = 30

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# One date rule: 2026年12月3日 in documents and prose, 2026-12-03 in tables and forms. The locale's own
# formats win over these settings, so jiuzhu/formats/zh_Hans carries the same values.
FORMAT_MODULE_PATH = ["jiuzhu.formats"]
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.KeysetFriendlyPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "救助 jiuzhu API",
    "DESCRIPTION": "焦作市社会救助业务系统接口",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Intranet: Swagger UI assets are served by the app itself, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # 400/401/403/404 documented on every operation (core/openapi.py, issue #15).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.openapi.add_refusals"],
    # One clear name per choice set where several models call a field status/kind/level.
    "ENUM_NAME_OVERRIDES": {
        "RegionLevelEnum": "core.models.Region.Level",
        "HouseholdImportModeEnum": "imports.models.HouseholdImport.Mode",
        "SelfCareLevelEnum": "cases.tekun.models.SelfCareLevel",
        "IncomeKindEnum": "cases.households.models.IncomeItem.Kind",
        "PropertyKindEnum": "cases.households.models.PropertyItem.Kind",
        "ExpenseKindEnum": "cases.households.models.RigidExpense.Kind",
        "ApplicationKindEnum": "cases.dibao.models.Application.Kind",
        "ApplicationStatusEnum": "cases.dibao.models.Application.Status",
        "LedgerSourceEnum": "discovery.models.LedgerRecord.Source",
        "ScreeningCheckEnum": "discovery.screening.CHECK_CHOICES",
        "ApplicationSourceEnum": "cases.dibao.models.Application.Source",
        "EntitlementStatusEnum": "cases.entitlements.models.Entitlement.Status",
        "TekunStatusEnum": "cases.tekun.models.TekunProfile.Status",
        "TemporaryAidStatusEnum": "cases.temporary_aid.models.TemporaryAid.Status",
        "ReserveFundEntryKindEnum": "cases.temporary_aid.models.ReserveFundEntry.Kind",
        "ComplaintStatusEnum": "audit.models.complaints.Complaint.Status",
        "SpotCheckStatusEnum": "audit.models.spotchecks.SpotCheck.Status",
        "ComplaintSourceEnum": "audit.models.complaints.Complaint.Source",
        "PaymentBatchKindEnum": "funds.models.PaymentBatch.Kind",
        "PaymentBatchStatusEnum": "funds.models.PaymentBatch.Status",
        "JobStatusEnum": "core.jobs.JobStatus",  # every core.jobs job (comparison runs, exports, ...)
        "RunIssueKindEnum": "monitoring.models.RunIssue.Kind",
        "ClueKindEnum": "monitoring.models.Clue.Kind",
        "ClueStatusEnum": "monitoring.models.Clue.Status",
        "DepartmentSourceEnum": "monitoring.sources.SOURCE_CHOICES",
    },
}

# Celery. Without REDIS_URL the broker is kombu's filesystem transport: no broker server, and the
# worker with embedded beat started by `make run` still runs every periodic task.
# The folder (JIUZHU_BROKER_DIR, default .run/broker) is created by jiuzhu/celery.py when the app loads.
# With REDIS_URL, Redis is the broker and keeps task results (most tasks ignore theirs).
REDIS_URL = env_str("REDIS_URL", "")
JIUZHU_BROKER_DIR = env_str("JIUZHU_BROKER_DIR", str(BASE_DIR / ".run" / "broker"))
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {}
    if REDIS_URL
    else {
        "data_folder_in": JIUZHU_BROKER_DIR,
        "data_folder_out": JIUZHU_BROKER_DIR,
        "control_folder": JIUZHU_BROKER_DIR + "/control",  # exchange tables; kombu's default is ./control
        "store_processed": False,
    }
)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL) or None
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# With a shared cache (Redis) sessions are read from it and written through to the database; without
# one (SQLite, `make run`) the per-process memory cache must not hold sessions, so they stay in the DB.
# Issue #15: nothing in a session carries a full ID/card/phone number; flash messages live in the session too.
SESSION_SERIALIZER = "core.sessions.ScrubbingJSONSerializer"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db" if REDIS_URL
                  else "django.contrib.sessions.backends.db")
JIUZHU_SHARED_CACHE = bool(REDIS_URL)
# the aims dashboard (reports.selectors.dashboard_cached) is kept this long per scope, region, month and day;
# 0 computes it on every view (the default without a shared cache)
REPORTS_AIMS_CACHE_SECONDS = env_int("REPORTS_AIMS_CACHE_SECONDS", 300 if REDIS_URL else 0)

CACHES = {
    "default": (
        {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Keys for personal data (SM4-GCM ciphertext and HMAC-SM3 blind index), read by core.keys.
JIUZHU_KEY_FILE = env_str("JIUZHU_KEY_FILE", str(BASE_DIR / ".keys" / "dev.json"))
JIUZHU_KEYS_JSON = env_str("JIUZHU_KEYS", "")
JIUZHU_REQUIRE_KEYS = False

# Backups (ops app, `manage.py backup` / `restore`): where archives go and the key that encrypts them (kept
# apart from the archives; JIUZHU_BACKUP_KEY, 32 hex, takes precedence over the file).
JIUZHU_BACKUP_DIR = env_str("JIUZHU_BACKUP_DIR", str(BASE_DIR / "backups"))
JIUZHU_BACKUP_KEY_FILE = env_str("JIUZHU_BACKUP_KEY_FILE", str(BASE_DIR / ".keys" / "backup.key"))

# Public complaint phone shown on public pages.
JIUZHU_COMPLAINT_PHONE = env_str("JIUZHU_COMPLAINT_PHONE", "0391-12345")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"pii": {"()": "core.logging.PersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["pii"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # runserver's access log (URLs) goes through the same filter
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "jiuzhu.views.csrf_failure"  # the Chinese 403 page, not Django's English one
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A PostgreSQL read replica for reports and exports (core.replica): reads inside `reporting()` go there.
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
JIUZHU_READ_REPLICA = ""
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(env_str("DATABASE_REPLICA_URL", ""),
                                                 conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    JIUZHU_READ_REPLICA = "replica"
# Notices to applicants (notifications/backends.py): the database outbox backend by default; in production
# "notifications.backends.HttpBackend" with the provider's https URL, token and registered signature.
JIUZHU_SMS_BACKEND = env_str("JIUZHU_SMS_BACKEND", "")
JIUZHU_SMS_URL = env_str("JIUZHU_SMS_URL", "")
JIUZHU_SMS_TOKEN = env_str("JIUZHU_SMS_TOKEN", "")
JIUZHU_SMS_SIGN = env_str("JIUZHU_SMS_SIGN", "")

# Celery queues per job kind (README "Scaling out"): long jobs never wait behind each other or behind the short
# periodic tasks, and each queue can get its own workers (`celery worker -Q comparison`). A worker started
# without -Q (make run, the tests) listens to every queue below.
CELERY_TASK_DEFAULT_QUEUE = "celery"
JIUZHU_QUEUES = ("celery", "comparison", "import", "export", "notify")
CELERY_TASK_QUEUES = tuple(Queue(name, routing_key=name) for name in JIUZHU_QUEUES)
CELERY_TASK_ROUTES = {
    "monitoring.tasks.execute_run": {"queue": "comparison"},
    "imports.tasks.run_import": {"queue": "import"},
    "funds.tasks.import_bank_result": {"queue": "import"},
    "funds.tasks.run_export": {"queue": "export"},
    "notifications.tasks.*": {"queue": "notify"},
}
