from accounts.scope import Action
from core.navigation import Entry

G = "监测预警"
ENTRIES = [
    Entry("疑点线索", "monitoring:clue_list", actions=(Action.CASE_PROCESS, Action.SUPERVISION_VIEW), group=G,
          order=10),
    Entry("数据比对", "monitoring:run_list", Action.SUPERVISION_VIEW, group=G, order=20),
    Entry("线索办理情况", "monitoring:clue_summary", Action.SUPERVISION_VIEW, group=G, order=30),
    Entry("低收入人口监测", "monitoring:population", Action.SUPERVISION_VIEW, group=G, order=40),
    Entry("报省数据交换", "monitoring:province", Action.SUPERVISION_VIEW, group=G, order=50),
]
