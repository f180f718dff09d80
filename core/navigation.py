from accounts.navigation import Entry
from accounts.scope import Action

ENTRIES = [
    Entry("审计日志", "audit_trail", actions=(Action.AUDIT_VIEW, Action.AUDIT_VIEW_ALL)),
    Entry("参数设置", "core:param_list", Action.PARAMS_VIEW),
    Entry("节假日安排", "core:calendar", Action.PARAMS_VIEW),
]
