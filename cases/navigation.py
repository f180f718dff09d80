from accounts.navigation import Entry
from accounts.scope import Action

ENTRIES = [
    Entry("家庭档案", "cases:household_list", Action.CASE_VIEW),
    Entry("特困供养", "cases:tekun_list", Action.CASE_VIEW),
    Entry("临时救助", "cases:aid_list", Action.CASE_VIEW),
    Entry("备用金", "cases:reserve_funds", actions=(Action.PAYMENT_PREPARE, Action.CASE_DECIDE)),
]
