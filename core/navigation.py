from accounts.navigation import Entry
from accounts.scope import Action

ENTRIES = [
    Entry("审计日志", "audit_trail", actions=(Action.AUDIT_VIEW, Action.AUDIT_VIEW_ALL)),
]
