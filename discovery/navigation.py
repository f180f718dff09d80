from accounts.scope import Action
from core.navigation import Entry

G = "主动发现"
ENTRIES = [
    Entry("网格与走访", "discovery:board", Action.CASE_VIEW, group=G, order=10),
    Entry("工作台账", "discovery:ledger_list", Action.CASE_VIEW, group=G, order=20),
    Entry("走访记录", "discovery:visit_list", Action.CASE_VIEW, group=G, order=30),
    Entry("村级工作评分", "discovery:scorecard", Action.CASE_VIEW, group=G, order=40),
    Entry("不予受理记录", "discovery:refusal_list", Action.CASE_VIEW, group=G, order=50),
]
