SCHEDULES = {
    "短信发送失败重试": {"task": "notifications.tasks.retry_failed", "crontab": {"minute": "*/15"}},
}
