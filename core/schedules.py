"""Every periodic schedule of the system, collected in one place and installed by one command
(`manage.py setup_periodic_tasks`). Apps declare theirs in `<app>/schedules.py: SCHEDULES`
(name -> {"task": dotted path, "crontab": {...}} in Asia/Shanghai).
"""
from core.registry import collect

SCHEDULES: dict[str, dict] = {
    "健康检查": {"task": "core.tasks.ping", "crontab": {"minute": "*/30"}},
    "审计日志哈希链校验": {"task": "core.tasks.verify_audit_chain", "crontab": {"minute": "40", "hour": "1"}},
}


def all_schedules() -> dict[str, dict]:
    merged: dict[str, dict] = {}
    for schedules in collect("schedules", "SCHEDULES"):
        merged.update(schedules)
    return merged
