SCHEDULES = {
    "近亲属备案夜间比对": {"task": "audit.tasks.relatives_nightly_check", "crontab": {"minute": "30", "hour": "1"}},
}
