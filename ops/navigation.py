"""Menu entry of the ops app: the system administrator's 系统状态 page."""
from accounts.scope import Action
from core.navigation import Entry

ENTRIES = [
    Entry("系统状态", "ops:status", Action.SYSTEM_STATUS, group="系统管理", order=30),
]
