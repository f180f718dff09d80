from accounts.scope import Action
from core.navigation import Entry

ENTRIES = [
    Entry("我的待办", "cases:todo", actions=(Action.CASE_PROCESS, Action.CASE_DECIDE), order=10),
    Entry("家庭档案", "cases:household_list", Action.CASE_VIEW, order=20),
    Entry("救助申请", "cases:application_list", Action.CASE_VIEW, order=30),
    Entry("联席会议", "cases:meeting_list", actions=(Action.CASE_PROCESS, Action.CASE_DECIDE, Action.SUPERVISION_VIEW),
          order=40),
    Entry("办理时限", "cases:deadlines", Action.CASE_VIEW, order=50),
    Entry("复核与退出", "cases:recheck_list", Action.CASE_VIEW, order=60),
    Entry("特困供养", "cases:tekun_list", Action.CASE_VIEW, order=70),
    Entry("临时救助", "cases:aid_list", Action.CASE_VIEW, order=80),
    Entry("备用金", "cases:reserve_funds", actions=(Action.PAYMENT_PREPARE, Action.CASE_DECIDE, Action.PAYMENT_VIEW),
          group="资金发放", order=90),
    Entry("村务公示", "public:index", Action.CASE_VIEW, group="公开与设置", order=10),
    Entry("救助标准", "cases:standard_list", actions=(Action.PARAMS_VIEW, Action.STANDARDS_CHANGE), group="公开与设置",
          order=20),
]
