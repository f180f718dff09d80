"""Monthly statistics in the shape county bureaus report upward (民政统计月报): per paid category and
sub-region — households, persons, amount paid, average per person, new, exited — for the month and the year
to date, with the 低保 standards in force. Set-based: six grouped queries, whatever the number of cases.

Definitions (printed under the table):
- 户数/人数: entitlements payable for the month (正常享受 or 渐退期 within their start and end months);
- 发放金额: lines of the month's batches paid or awaiting the bank (failed and re-issued lines are not counted;
  the re-issue line is), 人均 = amount / persons on those lines;
- 新增: entitlements starting in the month; 退出: entitlements ended whose last paid month is the month before.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from accounts.scope import Action, can
from cases.models import Entitlement, Standard
from core import categories
from core.models import Region
from core.months import add_months
from funds.models import PaymentLine
from reports.selectors import CHILD_LEVEL, children

FIELD = {Region.Level.COUNTY: "county_id", Region.Level.TOWNSHIP: "township_id", Region.Level.VILLAGE: "village_id"}
PAID_STATES = (PaymentLine.BankStatus.PENDING, PaymentLine.BankStatus.PAID)
CATEGORIES = [(c, categories.label(c)) for c in categories.PAID]
ZERO = Decimal("0.00")


def _place(qs, region: Region):
    if region.level == Region.Level.CITY:
        return qs
    return qs.filter(**{FIELD[region.level]: region.code})


def _entitlement_action(user) -> str | None:
    for action in (Action.CASE_VIEW, Action.PAYMENT_VIEW):
        if can(user, action):
            return action
    return None


def report(*, user, region: Region, month: dt.date) -> dict:
    """Rows per sub-region (the region itself for a village) and category, with totals; None cells where the
    user's role may not read the figure (amounts need payment reading)."""
    child_level = CHILD_LEVEL.get(region.level, region.level)
    field = FIELD[child_level]
    places = children(region) or [region]
    year_start = month.replace(month=1)
    previous = add_months(month, -1)
    cells: dict[tuple[str, str], dict] = {}

    def cell(place, cat):
        return cells.setdefault((place, cat), {"households": 0, "persons": 0, "amount": None, "paid_persons": 0,
                                               "new": 0, "exited": 0, "amount_ytd": None, "new_ytd": 0,
                                               "exited_ytd": 0})

    action = _entitlement_action(user)
    paid = [c for c, _ in CATEGORIES]
    if action:
        ents = _place(Entitlement.objects.restrict(user, action).filter(category__in=paid), region)
        for r in ents.active_in(month).order_by().values(field, "category").annotate(
                n=Count("pk"), p=Sum("persons_covered")):
            c = cell(r[field], r["category"])
            c["households"], c["persons"] = r["n"], r["p"] or 0
        for r in ents.filter(start_month__gte=year_start, start_month__lte=month).order_by().values(
                field, "category").annotate(ytd=Count("pk"), now=Count("pk", filter=Q(start_month=month))):
            c = cell(r[field], r["category"])
            c["new"], c["new_ytd"] = r["now"], r["ytd"]
        ended = ents.filter(status=Entitlement.Status.ENDED, end_month__gte=add_months(year_start, -1),
                            end_month__lte=previous)
        for r in ended.order_by().values(field, "category").annotate(
                ytd=Count("pk"), now=Count("pk", filter=Q(end_month=previous))):
            c = cell(r[field], r["category"])
            c["exited"], c["exited_ytd"] = r["now"], r["ytd"]
    may_pay = can(user, Action.PAYMENT_VIEW)
    if may_pay:
        lines = _place(PaymentLine.objects.restrict(user, Action.PAYMENT_VIEW).filter(
            excluded=False, basis="", category__in=paid, bank_status__in=PAID_STATES), region)
        for r in lines.filter(month__gte=year_start, month__lte=month).order_by().values(field, "category").annotate(
                ytd=Sum("amount"), now=Sum("amount", filter=Q(month=month)),
                persons=Sum("persons_covered", filter=Q(month=month))):
            c = cell(r[field], r["category"])
            c["amount"], c["amount_ytd"], c["paid_persons"] = _money(r["now"]), _money(r["ytd"]), r["persons"] or 0
    rows = []
    for place in places:
        for code, label in CATEGORIES:
            c = dict(cell(place.code, code))
            if may_pay:
                c["amount"] = c["amount"] if c["amount"] is not None else ZERO
                c["amount_ytd"] = c["amount_ytd"] if c["amount_ytd"] is not None else ZERO
            rows.append({"place": place, "category": code, "label": label, **c,
                         "average": _average(c["amount"], c["paid_persons"])})
    totals = []
    for code, label in CATEGORIES:
        mine = [r for r in rows if r["category"] == code]
        t = {k: sum((r[k] for r in mine), Decimal(0) if k.startswith("amount") else 0)
             for k in ("households", "persons", "paid_persons", "new", "exited", "new_ytd", "exited_ytd")}
        for k in ("amount", "amount_ytd"):
            t[k] = sum((r[k] for r in mine), ZERO) if may_pay else None
        t["average"] = _average(t["amount"], t["paid_persons"])
        totals.append({"category": code, "label": label, **t})
    return {"region": region, "month": month, "places": places, "categories": CATEGORIES, "rows": rows,
            "totals": totals, "may_pay": may_pay, "may_count": action is not None,
            "standards": standards(region=region, month=month)}


def category_counts(*, user, region: Region, months: list) -> list[tuple[dt.date, dict]]:
    """Households per paid category for each month: one grouped query for all the months (a conditional count
    per month over the entitlements in force in any of them; `active_in` of each month)."""
    action = _entitlement_action(user)
    if not action or not months:
        return [(m, {}) for m in months]
    qs = _place(Entitlement.objects.restrict(user, action).filter(category__in=[c for c, _ in CATEGORIES]), region)
    first, last = min(months), max(months)
    qs = qs.in_force().filter(start_month__lte=last).filter(Q(end_month__isnull=True) | Q(end_month__gte=first))
    counts = {f"n{k}": Count("pk", filter=Q(start_month__lte=m) & (Q(end_month__isnull=True) | Q(end_month__gte=m)))
              for k, m in enumerate(months)}
    rows = list(qs.order_by().values("category").annotate(**counts))
    return [(m, {r["category"]: r[f"n{k}"] for r in rows if r[f"n{k}"]}) for k, m in enumerate(months)]


def _money(value) -> Decimal:
    """A sum from the database as yuan with two places (SQLite sums decimals as floats)."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _average(amount, persons) -> Decimal | None:
    if amount is None or not persons:
        return None
    return (Decimal(amount) / persons).quantize(Decimal("0.01"), ROUND_HALF_UP)


def standards(*, region: Region, month: dt.date) -> list[dict]:
    """The 低保 standards (urban, rural) in force at the month's end in the counties of the region (one query)."""
    end = add_months(month, 1) - dt.timedelta(days=1)
    qs = Standard.objects.filter(effective_from__lte=end).select_related("county").order_by(
        "county_id", "hukou_type", "-effective_from")
    if region.level != Region.Level.CITY:
        qs = qs.filter(county_id=region.code[:6])
    out: dict[str, dict] = {}
    for s in qs:
        row = out.setdefault(s.county_id, {"county": s.county, "urban": None, "rural": None})
        if row[s.hukou_type] is None:
            row[s.hukou_type] = s
    return list(out.values())


def xlsx_rows(data: dict):
    """The report as spreadsheet rows (the header is HEADER)."""
    def money(v):
        return "—" if v is None else Decimal(v)

    for r in data["rows"]:
        yield [r["place"].name, r["label"], r["households"], r["persons"], money(r["amount"]), money(r["average"]),
               r["new"], r["exited"], money(r["amount_ytd"]), r["new_ytd"], r["exited_ytd"]]
    for t in data["totals"]:
        yield ["合计", t["label"], t["households"], t["persons"], money(t["amount"]), money(t["average"]), t["new"],
               t["exited"], money(t["amount_ytd"]), t["new_ytd"], t["exited_ytd"]]
    yield []
    yield ["低保标准（元/人·月）", "城市", "农村"]
    for s in data["standards"]:
        yield [s["county"].name, money(s["urban"].dibao_monthly if s["urban"] else None),
               money(s["rural"].dibao_monthly if s["rural"] else None)]


HEADER = ["地区", "类别", "户数", "人数", "本月发放金额（元）", "人均（元）", "本月新增（户）", "本月退出（户）",
          "本年累计发放（元）", "本年累计新增（户）", "本年累计退出（户）"]
