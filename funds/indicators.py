"""The payment cycle's indicators of the three aims (core.indicators): 兜好底 — paid in full and on time."""
from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.scope import Action
from cases.models import Entitlement, Person
from core import categories
from core.indicators import Ask, Column, Indicator
from funds import deadlines, selectors
from funds.models import PaymentBatch, PaymentLine

A = Action.PAYMENT_VIEW


def _lines(ask: Ask):
    return ask.place(PaymentLine.objects.restrict(ask.user, A).filter(month=ask.month))


def batch_steps_late(ask: Ask) -> list[dict]:
    """Per county in the region: each step of the month's regular batch done after its deadline (5th/8th/10th,
    moved to the last working day before a holiday) or not done when it fell due."""
    report = selectors.deadline_report(user=ask.user, month=ask.month)
    out = []
    for row in report["rows"]:
        county = row["county"]
        if ask.region.level != "city" and county.code != ask.region.code[:6]:
            continue
        for st in deadlines.states(row["batch"], ask.as_of, report["due"]):
            if st.state in ("missed", "overdue"):
                out.append({"county": county, "batch": row["batch"], "step": st.step.label, "due": st.due,
                            "done_on": st.done_on, "state": "逾期完成" if st.state == "missed" else "逾期未完成"})
    return out


def bank_failed(ask: Ask):
    """Lines the bank returned as failed and that are still not re-issued (a re-issue marks them reissued)."""
    return _lines(ask).filter(excluded=False, bank_status=PaymentLine.BankStatus.FAILED).select_related("batch", "village")


def _batch_due(ask: Ask):
    """Counties whose month's regular batch has left the draft stage: only there is a missing line a miss."""
    return PaymentBatch.objects.live().filter(month=ask.month, kind=PaymentBatch.Kind.REGULAR).exclude(
        status=PaymentBatch.Status.DRAFT).values("county_id")


def missed(ask: Ask):
    """漏发: entitlements payable for the month (低保/特困, amount above zero) with no line at all — neither paid nor
    excluded with a reason — in any batch of the month, in counties whose regular batch is finalised."""
    line = PaymentLine.objects.filter(household_id=OuterRef("household_id"), month=ask.month,
                                      category=OuterRef("category"), basis="")
    # a line that holds the month's slot (read through the slot's unique index), or one excluded with a reason
    # in a live batch of the month (few; a cancelled batch's lines count for nothing): any line at all, read
    # in one unindexed look-up per entitlement, took 2.6 s for the city's 150,000
    holds_slot = line.filter(claims_slot=True)
    excluded = line.filter(excluded=True, batch__in=PaymentBatch.objects.live().filter(month=ask.month))
    qs = (Entitlement.objects.restrict(ask.user, A).active_in(ask.month)
          .filter(category__in=categories.PAID, monthly_amount__gt=0, county_id__in=_batch_due(ask))
          .filter(~Exists(holds_slot), ~Exists(excluded)))
    return ask.place(qs).select_related("household", "village")


def short(ask: Ask):
    """少发: lines of the month paying less than the entitlement's monthly amount in force (one join)."""
    return (_lines(ask).filter(excluded=False, basis="", entitlement__isnull=False)
            .filter(amount__lt=F("entitlement__monthly_amount"))
            .annotate(entitled=F("entitlement__monthly_amount")).select_related("batch", "village"))


def paid_after_death(ask: Ask):
    """Lines of the month counting more persons than the household had alive at the month's start (a member's
    verified death before the month): the dead are still being paid. Only households with a recorded death are
    looked at (a few), so the per-household count of the living stays small."""
    alive = (Person.objects.filter(household_id=OuterRef("household_id"))
             .filter(Q(deceased_on__isnull=True) | Q(deceased_on__gte=ask.month))
             .order_by().values("household_id").annotate(n=Count("pk")).values("n")[:1])
    # the few households with a recorded death first, as a list: the planner then never counts the living of
    # every line of the city
    dead = list(Person.objects.filter(deceased_on__lt=ask.month).order_by().values_list("household_id", flat=True)
                .distinct())
    return (_lines(ask).filter(excluded=False, basis="", household_id__in=dead)
            .annotate(alive=Coalesce(Subquery(alive), 0)).filter(persons_covered__gt=F("alive"))
            .select_related("batch", "village"))


def _household(row):
    return reverse("cases:household_detail", args=[row.household_id])


LINE_COLUMNS = (
    Column("批次", lambda r: r.batch.number, lambda r: reverse("funds:batch_detail", args=[r.batch_id])),
    Column("户主", lambda r: r.head_name, _household),
    Column("村（社区）", lambda r: r.village.short_name),
    Column("类别", lambda r: r.category_label),
    Column("保障人数", lambda r: r.persons_covered),
    Column("金额（元）", lambda r: r.amount),
    Column("卡号", lambda r: r.card_masked),
)

INDICATORS = [
    Indicator("batch_late", "haodi", "发放环节逾期",
              "本月月度发放批次的三个环节（5日前数据报送并申请资金、8日前财政拨付、10日前银行发放到卡，"
              "遇节假日提前至前一个工作日）逾期完成或到期未完成的环节数", (A,), batch_steps_late,
              (Column("县（市、区）", lambda r: r["county"].name),
               Column("批次", lambda r: r["batch"].number if r["batch"] else "未生成",
                      lambda r: reverse("funds:batch_detail", args=[r["batch"].pk]) if r["batch"] else ""),
               Column("环节", lambda r: r["step"]), Column("期限", lambda r: r["due"]),
               Column("完成日期", lambda r: r["done_on"] or "—"), Column("情况", lambda r: r["state"])),
              unit="个", order=10, source="funds:deadline_report"),
    Indicator("bank_failed", "haodi", "银行退回未补发",
              "本月发放明细中银行返回发放失败、至今尚未补发的户数", (A,), bank_failed,
              LINE_COLUMNS + (Column("失败原因", lambda r: r.bank_reason),), order=20, source="funds:batch_list"),
    Indicator("missed", "haodi", "漏发",
              "本月应发放（低保、特困在享且金额大于零）但月度批次已定稿、任何批次均无该户该类别明细的户数",
              (A,), missed,
              (Column("户主", lambda r: r.household.head_name, _household),
               Column("村（社区）", lambda r: r.village.short_name), Column("类别", lambda r: r.get_category_display()),
               Column("月救助金额（元）", lambda r: r.monthly_amount), Column("起始月份", lambda r: r.start_month)),
              order=30, source="funds:batch_list"),
    Indicator("short", "haodi", "少发",
              "本月发放金额低于该户在享月救助金额的发放明细户数", (A,), short,
              LINE_COLUMNS + (Column("应发（元）", lambda r: r.entitled),), order=40, source="funds:batch_list"),
    Indicator("paid_after_death", "zhundi", "死亡后仍发放",
              "本月发放明细的保障人数多于月初在世家庭成员数（成员经核实死亡后仍按其计发）的户数", (A,),
              paid_after_death, LINE_COLUMNS + (Column("月初在世人数", lambda r: r.alive),), order=40,
              source="funds:batch_list"),
]
