SCHEDULES = {
    "停用长期未登录账号": {"task": "accounts.tasks.disable_inactive_accounts", "crontab": {"minute": "20", "hour": "2"}},
}
