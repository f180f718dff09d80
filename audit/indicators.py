"""Supervision's indicators of the three aims (core.indicators): spot-check findings and coverage, complaints."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q
from django.urls import reverse

from accounts.scope import Action, can
from audit.models import Complaint, SpotCheckItem
from audit.selectors import complaint_action
from cases.models import Application
from core.indicators import Ask, Column, Indicator, rate

READERS = (Action.SUPERVISION_VIEW, Action.SPOTCHECK_ANSWER)
DECIDED = ("confirmed", "refused")


def _items(ask: Ask):
    action = Action.SUPERVISION_VIEW if can(ask.user, Action.SUPERVISION_VIEW) else Action.SPOTCHECK_ANSWER
    return ask.place(SpotCheckItem.objects.restrict(ask.user, action).filter(spot_check__month=ask.month),
                     village=None).select_related("application__household", "township", "spot_check")


def refusals_wrong(ask: Ask):
    """Refusals of the month's spot-checked decisions found wrong: people in need turned away (兜牢底)."""
    return _items(ask).filter(decision="refused", finding=SpotCheckItem.Finding.WRONG)


def wrong(ask: Ask):
    return _items(ask).filter(finding=SpotCheckItem.Finding.WRONG)


def error_rate(ask: Ask):
    """Share of the month's reviewed spot-check items found wrong (%), one aggregate query."""
    agg = _items(ask).aggregate(reviewed=Count("pk", filter=~Q(finding="")),
                                wrong=Count("pk", filter=Q(finding=SpotCheckItem.Finding.WRONG)))
    return rate(agg["wrong"], agg["reviewed"])


def _decisions(ask: Ask):
    action = Action.SUPERVISION_VIEW if can(ask.user, Action.SUPERVISION_VIEW) else Action.CASE_VIEW
    return ask.place(Application.objects.restrict(ask.user, action).filter(
        status__in=DECIDED, decided_on__gte=ask.month, decided_on__lte=ask.month_end),
        county="handling_county_id", township="handling_township_id")


def not_sampled(ask: Ask):
    """The month's township decisions (confirmations and refusals) not drawn into a county spot-check."""
    sampled = SpotCheckItem.objects.filter(spot_check__month=ask.month).values("application_id")
    return _decisions(ask).exclude(pk__in=sampled).select_related("household", "handling_township")


def coverage(ask: Ask):
    decided = _decisions(ask)
    total = decided.count()
    if not total:
        return Decimal("100")  # no decision in the month: nothing was left unsampled
    sampled = decided.filter(pk__in=SpotCheckItem.objects.filter(spot_check__month=ask.month)
                             .values("application_id")).count()
    return rate(sampled, total)


def _complaints(ask: Ask):
    return ask.place(Complaint.objects.restrict(ask.user, complaint_action(ask.user))).select_related(
        "township", "household")


CLOSED = (Complaint.Status.CLOSED, Complaint.Status.TRANSFERRED)


def complaints_late(ask: Ask):
    """Complaints open past their limit on the day looked at, or closed in the month after it."""
    open_late = Q(received_on__lte=ask.as_of, due_on__lt=ask.as_of) & (
        Q(closed_on__gt=ask.as_of) | (Q(closed_on__isnull=True) & ~Q(status__in=CLOSED)))
    closed_late = Q(closed_on__gte=ask.month, closed_on__lte=ask.as_of, closed_on__gt=F("due_on"))
    return _complaints(ask).filter(open_late | closed_late)


def complaints_missed(ask: Ask):
    """Complaints of 应保未保 (漏保) received in the month."""
    return _complaints(ask).filter(category=Complaint.Category.MISSED, received_on__gte=ask.month,
                                   received_on__lte=ask.as_of)


def _item(row):
    return reverse("audit:spotcheck_item", args=[row.pk])


ITEM_COLUMNS = (
    Column("申请", lambda r: r.application.number, _item),
    Column("户主", lambda r: r.application.household.head_name,
           lambda r: reverse("cases:household_detail", args=[r.application.household_id])),
    Column("乡镇", lambda r: r.township.name),
    Column("乡镇决定", lambda r: {"confirmed": "确认", "refused": "不予确认"}.get(r.decision, r.decision)),
    Column("检查结论", lambda r: r.get_finding_display()),
    Column("问题及理由", lambda r: r.finding_reason),
)
COMPLAINT_COLUMNS = (
    Column("编号", lambda r: r.number, lambda r: reverse("audit:complaint_detail", args=[r.pk])),
    Column("类别", lambda r: r.get_category_display()),
    Column("事项", lambda r: r.summary),
    Column("承办乡镇", lambda r: r.township.name if r.township_id else "县级"),
    Column("受理日期", lambda r: r.received_on),
    Column("办理期限", lambda r: r.due_on),
    Column("状态", lambda r: r.get_status_display()),
)

INDICATORS = [
    Indicator("refusals_wrong", "laodi", "不予确认经抽查认定错误",
              "本月县级抽查中，乡镇“不予确认”决定被认定为错误的件数（应保未保）", READERS, refusals_wrong,
              ITEM_COLUMNS, unit="件", order=30, source="audit:spotcheck_list"),
    Indicator("complaints_missed", "laodi", "漏保投诉",
              "本月受理的反映“应保未保（漏保）”的信访投诉件数", (Action.SUPERVISION_VIEW, Action.COMPLAINT_HANDLE),
              complaints_missed, COMPLAINT_COLUMNS, unit="件", target=None, order=50, source="audit:complaints"),
    Indicator("spotcheck_error_rate", "zhundi", "抽查差错率",
              "本月抽查已检查案件中结论为“错误”的比例（%）", READERS, wrong, ITEM_COLUMNS, unit="%",
              target=Decimal("5"), value=error_rate, order=20, source="audit:spotcheck_list"),
    Indicator("spotcheck_coverage", "zhundi", "抽查比例",
              "本月乡镇审核确认（含不予确认）决定中被县级抽查的比例（%），不低于30%；列表为未抽到的决定",
              (Action.SUPERVISION_VIEW,), not_sampled,
              (Column("编号", lambda r: r.number, lambda r: reverse("cases:application_detail", args=[r.pk])),
               Column("户主", lambda r: r.household.head_name), Column("乡镇", lambda r: r.handling_township.name),
               Column("决定", lambda r: r.get_status_display()), Column("确认日期", lambda r: r.decided_on)),
              unit="%", target=Decimal("30"), better="higher", value=coverage, order=25,
              source="audit:spotcheck_list"),
    Indicator("complaints_late", "haodi", "投诉举报办理逾期",
              "超过办理时限仍未办结，或本月办结但已超期的信访投诉件数", (Action.SUPERVISION_VIEW,
                                                             Action.COMPLAINT_HANDLE),
              complaints_late, COMPLAINT_COLUMNS, unit="件", order=80, source="audit:complaints"),
]
