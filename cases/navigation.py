from accounts.navigation import Entry
from accounts.scope import Action

ENTRIES = [
    Entry("我的待办", "cases:todo", actions=(Action.CASE_PROCESS, Action.CASE_DECIDE)),
    Entry("家庭档案", "cases:household_list", Action.CASE_VIEW),
    Entry("救助标准", "cases:standard_list", Action.PARAMS_VIEW),
    Entry("村务公示", "public:index", Action.CASE_VIEW),
    Entry("特困供养", "cases:tekun_list", Action.CASE_VIEW),
    Entry("临时救助", "cases:aid_list", Action.CASE_VIEW),
    Entry("备用金", "cases:reserve_funds", actions=(Action.PAYMENT_PREPARE, Action.CASE_DECIDE)),
    Entry("救助申请", "cases:application_list", Action.CASE_VIEW),
    Entry("联席会议", "cases:meeting_list", actions=(Action.CASE_PROCESS, Action.CASE_DECIDE, Action.SUPERVISION_VIEW)),
    Entry("办理时限", "cases:deadlines", Action.CASE_VIEW),
    Entry("复核与退出", "cases:recheck_list", Action.CASE_VIEW),
]
