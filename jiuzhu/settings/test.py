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

# With REDIS_URL and pytest-xdist, each worker gets its own Redis database for the cache: the autouse fixture's
# cache.clear() is a FLUSHDB, and one worker's cached grants or counts (keyed by primary keys that the other
# worker's database reuses) must never answer the other's requests.
import os as _os  # noqa: E402

_worker = _os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(REDIS_URL)  # noqa: F405
    _base = int(_url.path.strip("/") or 0)
    _db = (_base + 1 + int(_worker[2:])) % 16
    CACHES = {"default": {**CACHES["default"], "LOCATION": urlunsplit(_url._replace(path=f"/{_db}"))}}  # noqa: F405
