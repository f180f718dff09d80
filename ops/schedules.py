"""Periodic work of the ops app (Asia/Shanghai). "every" is an interval in seconds (not a crontab)."""

SCHEDULES = {
    # proves beat and the worker are alive (/healthz/, 系统状态); short, expires when not picked up in time
    "运行心跳": {"task": "ops.tasks.heartbeat_task", "every": 30},
    # a killed worker's job shows 已中断 within two minutes: 90 s without a heartbeat (core.jobs.STALE_AFTER)
    # + at most this interval + beat's 5 s tick
    "中断任务检查": {"task": "ops.tasks.sweep_interrupted_jobs", "every": 20},
    "每日数据备份": {"task": "ops.tasks.nightly_backup", "crontab": {"minute": "30", "hour": "2"}},
}
