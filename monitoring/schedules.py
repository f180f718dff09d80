"""Periodic work of the monitoring floor (Asia/Shanghai)."""

SCHEDULES = {
    # from the 20th, every morning: counties that have not compared deaths (and each configured source)
    # this month are alerted, together with the city (§1 "每月至少一次").
    "数据比对月度检查": {"task": "monitoring.tasks.check_comparisons",
                  "crontab": {"minute": "30", "hour": "8", "day_of_month": "20-31"}},
    "低收入人口月度统计": {"task": "monitoring.tasks.build_snapshot", "crontab": {"minute": "10", "hour": "2"}},
    "中断比对任务重新排队": {"task": "monitoring.tasks.requeue_stale_runs", "crontab": {"minute": "*/10"}},
}
