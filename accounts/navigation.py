"""Menu entries of the accounts pages: the three administrators' pages (三权分立), the parameters and the
working-day calendar, and the audit trail. The menu is assembled on the top floor (jiuzhu/navigation.py)."""
from accounts.scope import Action
from core.navigation import Entry

ENTRIES = [
    Entry("用户管理", "accounts:user_list", Action.USERS_MANAGE, group="系统管理", order=10),
    Entry("安全管理", "accounts:security", Action.SECURITY_MANAGE, group="系统管理", order=20),
    Entry("审计日志", "audit_trail", actions=(Action.AUDIT_VIEW, Action.AUDIT_VIEW_ALL), group="监督检查", order=90),
    Entry("参数设置", "core:param_list", actions=(Action.PARAMS_VIEW, Action.PARAMS_CHANGE), group="公开与设置",
          order=30),
    Entry("节假日安排", "core:calendar", actions=(Action.PARAMS_VIEW, Action.PARAMS_CHANGE), group="公开与设置",
          order=40),
]
