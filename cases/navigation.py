from accounts.navigation import Entry
from accounts.scope import Action

ENTRIES = [
    Entry("家庭档案", "cases:household_list", Action.CASE_VIEW),
    Entry("救助标准", "cases:standard_list", Action.PARAMS_VIEW),
    Entry("村务公示", "public:index", Action.CASE_VIEW),
]
