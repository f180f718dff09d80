"""Test settings: fixed test keys, fast hashing, eager Celery unless a test asks for a real worker."""
from .base import *  # noqa: F401,F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
JIUZHU_KEY_FILE = str(BASE_DIR / "tests" / "keys" / "test-keys.json")
JIUZHU_KEYS_JSON = ""
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".run" / "test-media"

# A second alias that mirrors the default database, so the read-replica router is tested (core.replica).
# The router stays off unless a test names the alias in JIUZHU_READ_REPLICA.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# The aims dashboard is computed live in tests even with REDIS_URL set (CI): a result cached by one test would
# otherwise answer the next test's question. tests/reports/test_dashboard_cache.py turns the cache on.
REPORTS_AIMS_CACHE_SECONDS = 0
