"""Top floor: the overdue board (jiuzhu/overdue.py) — any role with case, supervision or payment reading."""
from accounts.scope import Action as A
from tests.harness import page

ENTRIES = [
    page("overdue", "/overdue/", (A.CASE_VIEW, A.SUPERVISION_VIEW, A.PAYMENT_VIEW), scoped=False),
]
