"""Harness entries for ops:* — the system administrator's 系统状态 page. /healthz/ is public and answers 200 or
503 by the state of the worker and beat (none in tests): tested in tests/ops/test_health.py."""
from accounts.scope import Action as A
from tests.harness import page

ENTRIES = [
    page("ops:status", "/system/status/", A.SYSTEM_STATUS, scoped=False),
]
EXEMPT = {
    "healthz": "public JSON health check, 200/503 by the state of worker and beat (tests/ops/test_health.py)",
}
