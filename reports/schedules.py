"""Periodic work of the reports floor (Asia/Shanghai)."""

SCHEDULES = {
    # every night: last month's three-aims indicators per city and county (the dashboard reads last month from
    # it; the running month is always computed live)
    "三个兜底指标月度汇总": {"task": "reports.tasks.build_indicator_snapshot", "crontab": {"minute": "40", "hour": "2"}},
}
