SCHEDULES = {
    "低保每月复核名单": {"task": "cases.tasks.recheck_list_month", "crontab": {"minute": "10", "hour": "1", "day_of_month": "1"}},
    "特困照料等级/供养方式变更生效": {"task": "cases.tasks.entitlement_changes_apply",
                         "crontab": {"minute": "15", "hour": "1", "day_of_month": "1"}},
    "渐退期满终止": {"task": "cases.tasks.phase_out_expire", "crontab": {"minute": "20", "hour": "1", "day_of_month": "1"}},
}
