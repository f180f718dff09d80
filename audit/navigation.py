from accounts.scope import Action
from core.navigation import Entry

G = "监督检查"
ENTRIES = [
    # the page itself lives on the top floor (jiuzhu/overdue.py); an entry is only a url name
    Entry("逾期事项", "overdue", actions=(Action.CASE_VIEW, Action.SUPERVISION_VIEW, Action.PAYMENT_VIEW), group=G,
          order=5),
    Entry("县级抽查", "audit:spotcheck_list", actions=(Action.SPOTCHECK_REVIEW, Action.SUPERVISION_VIEW), group=G,
          order=10),
    Entry("抽查答复", "audit:spotcheck_answers", Action.SPOTCHECK_ANSWER, group=G, order=20),
    Entry("信访投诉", "audit:complaints", actions=(Action.COMPLAINT_HANDLE, Action.SUPERVISION_VIEW), group=G,
          order=30),
    Entry("近亲属备案", "audit:relatives", Action.SUPERVISION_VIEW, group=G, order=40),
]
