SCHEDULES = {
    "每月1日生成发放批次": {"task": "funds.tasks.draft_monthly_batches",
                     "crontab": {"minute": "30", "hour": "1", "day_of_month": "1"}},
    "发放时限提醒与逾期督办": {"task": "funds.tasks.remind_and_escalate", "crontab": {"minute": "0", "hour": "8"}},
}
