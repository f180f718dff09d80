from accounts.navigation import Entry
from accounts.scope import Action

ENTRIES = [
    Entry("家庭档案", "cases:household_list", Action.CASE_VIEW),
]
