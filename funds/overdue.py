"""The payment cycle's section of the overdue board (core.overdue): this month's steps past or near their
deadline (§6), per county."""
from __future__ import annotations

from django.urls import reverse

from accounts.scope import Action, can
from core.months import first_of_month
from core.overdue import COUNTY_LEVEL, Item, Provider, Request, Section
from funds import selectors


def payments(r: Request) -> Section | None:
    if not can(r.user, Action.PAYMENT_VIEW):
        return None
    report = selectors.deadline_report(user=r.user, month=first_of_month(r.today))
    s = Section("payments", "资金发放时限", reverse("funds:deadline_report"))
    for row in report["rows"]:
        for st in row["states"]:
            if st.state not in ("overdue", "pending") or st.due > r.horizon:
                continue
            place = row["county"].code if r.city else COUNTY_LEVEL
            c = s.counts.setdefault(place, {"overdue": 0, "near": 0})
            c["overdue" if st.state == "overdue" else "near"] += 1
            s.items.append(Item(place, f"{r.today:%Y年%-m月}发放：{st.step.label}", row["county"].name, st.due,
                                "overdue" if st.state == "overdue" else "near",
                                reverse("funds:batch_detail", args=[row["batch"].pk]) if row["batch"]
                                else reverse("funds:batch_list")))
    s.items.sort(key=lambda i: i.due)
    return s


SECTIONS = [Provider(80, payments)]
