"""Demo data for the three aims (reports app): a few failures on purpose so that every aim shows something, and
last night's summary of last month. Idempotent (skips when the marker reason exists)."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.models import Person
from core.months import previous_month
from funds.models import PaymentLine
from reports import services

MARKER = "银行退回：账户已销户（演示）"


def seed(stdout) -> None:
    if PaymentLine.objects.filter(bank_reason=MARKER).exists():
        stdout.write("三个兜底指标演示数据已存在，跳过。")
        return
    november = dt.date(2026, 11, 1)
    lines = list(PaymentLine.objects.filter(month=november, county_id="410823", excluded=False, basis="")
                 .order_by("line_no")[:12])
    if len(lines) < 12:
        stdout.write("没有武陟县11月发放明细，跳过三个兜底指标演示数据。")
        return
    with transaction.atomic():
        # 兜好底: two lines the bank returned in November and nobody has re-issued yet
        PaymentLine.objects.filter(pk__in=[lines[2].pk, lines[8].pk]).update(bank_status="failed", bank_reason=MARKER)
        # 兜准底: a member whose death was verified in October is still counted in November's payment
        first = Person.objects.filter(household_id=lines[10].household_id).order_by("id").first()
        if first is not None:
            Person.objects.filter(pk=first.pk).update(deceased_on=dt.date(2026, 10, 18))
    n = services.snapshot_build(month=previous_month(timezone.localdate()))
    stdout.write(f"三个兜底指标演示：11月银行退回未补发 2 户、死亡后仍发放 1 户；上月指标汇总 {n} 个数值。")
