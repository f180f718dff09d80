"""Periodic work of active discovery (Asia/Shanghai)."""

SCHEDULES = {
    # 主动发现 clues of the data comparisons (and any other app's feed) flow into the village ledgers
    "主动发现线索转入工作台账": {"task": "discovery.tasks.ledger_pull", "crontab": {"minute": "*/15"}},
}
