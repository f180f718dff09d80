from accounts.scope import Action
from core.navigation import Entry

ENTRIES = [
    Entry("申请材料", "attachments:list", actions=(Action.CASE_VIEW,), order=60),
]
