from accounts.navigation import Entry
from accounts.scope import Action

ENTRIES = [
    Entry("信访投诉", "audit:complaints", actions=(Action.COMPLAINT_HANDLE, Action.SUPERVISION_VIEW)),
    Entry("近亲属备案", "audit:relatives", Action.SUPERVISION_VIEW),
]
