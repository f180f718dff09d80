from accounts.scope import Action
from core.navigation import Entry

G = "资金发放"
ENTRIES = [
    Entry("发放批次", "funds:batch_list", Action.PAYMENT_VIEW, group=G, order=10),
    Entry("发放时限", "funds:deadline_report", Action.PAYMENT_VIEW, group=G, order=20),
    Entry("价格补贴联动", "funds:price_index", actions=(Action.PAYMENT_VIEW, Action.PRICE_INDEX_CHANGE), group=G,
          order=30),
]
