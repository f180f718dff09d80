from accounts.scope import Action
from core.navigation import Entry

ENTRIES = [
    Entry("批量导入", "imports:list", Action.HOUSEHOLD_IMPORT, order=25),
]
