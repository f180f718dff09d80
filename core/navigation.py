from accounts.navigation import Entry
from accounts.scope import Action

ENTRIES = [
    Entry("审计日志", "audit_trail", actions=(Action.AUDIT_VIEW, Action.AUDIT_VIEW_ALL), group="监督检查", order=90),
    Entry("参数设置", "core:param_list", actions=(Action.PARAMS_VIEW, Action.PARAMS_CHANGE), group="公开与设置",
          order=30),
    Entry("节假日安排", "core:calendar", actions=(Action.PARAMS_VIEW, Action.PARAMS_CHANGE), group="公开与设置",
          order=40),
]
