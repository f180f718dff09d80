from accounts.scope import Action
from core.navigation import Entry

G = "社会力量"
ENTRIES = [
    Entry("慈善专项基金", "charity:fund_list", actions=(Action.CHARITY_APPROVE, Action.CHARITY_MANAGE, Action.CHARITY_VIEW),
          group=G, order=10),
    Entry("慈善资助", "charity:grant_list", Action.CHARITY_VIEW, group=G, order=20),
    Entry("转介慈善帮扶", "charity:referral_list", Action.CHARITY_VIEW, group=G, order=30),
    Entry("救急难互助社", "charity:society_list", Action.MUTUAL_AID_CHANGE, group=G, order=40),
    Entry("结对帮扶", "charity:pairing_list", Action.PAIRING_VIEW, group=G, order=50),
    Entry("未结对家庭", "charity:unpaired", actions=(Action.PAIRING_CHANGE, Action.CHARITY_MANAGE), group=G, order=60),
    Entry("购买服务合同", "charity:contract_list", actions=(Action.SERVICE_MANAGE, Action.SERVICE_VIEW), group=G,
          order=70),
    Entry("服务工单", "charity:order_list", Action.SERVICE_VIEW, group=G, order=80),
    Entry("服务覆盖缺口", "charity:coverage", actions=(Action.SERVICE_ORDER, Action.SERVICE_MANAGE), group=G, order=90),
]
