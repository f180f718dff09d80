from accounts.navigation import Entry
from accounts.scope import Action

ENTRIES = [
    Entry("资金发放", "funds:batch_list", Action.PAYMENT_VIEW),
    Entry("发放时限", "funds:deadline_report", Action.PAYMENT_VIEW),
    Entry("价格补贴联动", "funds:price_index", actions=(Action.PAYMENT_VIEW, Action.PRICE_INDEX_CHANGE)),
]
