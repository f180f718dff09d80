"""§4 + §6: confirmed 临时救助 (一般程序) paid exactly once through a one-off payment batch (kind `one_off`) that
goes the same way as the monthly batch: finalise and request funds by the 5th, finance transfers by the 8th, the
bank pays by the 10th, results imported, failed lines re-issued in a supplementary batch.

Fast-track aid is paid from the township reserve fund and never enters a batch. Each aid claims its slot on the
line (category "temporary_aid", basis "aid:<id>"); the unique constraint `line_one_off_aid_paid_once` holds
under parallel drafts, and a line excluded for a missing card or a hold claims nothing, so the next one-off
batch picks the aid up again.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.scope import Action, require
from cases.models import PaymentHold, TemporaryAid
from core import audit
from core.models import Region
from core.months import add_months, first_of_month
from funds import deadlines
from funds.models import PayCategory, PayeeAccount, PaymentBatch, PaymentLine
from funds.services import MISSING_CARD, _refresh_totals

BASIS_PREFIX = "aid:"


def basis_of(aid_id: int) -> str:
    return f"{BASIS_PREFIX}{aid_id}"


def payment_month(today: dt.date) -> dt.date:
    """The cycle a one-off batch drafted today runs in: this month while its 5th (data day) is still ahead,
    else next month."""
    month = first_of_month(today)
    return month if today <= deadlines.schedule(month)["data"] else add_months(month, 1)


def awaiting(county_code: str):
    """Confirmed full-procedure aid granted by the county's townships that no batch has claimed yet."""
    claimed = PaymentLine.objects.filter(category=PayCategory.TEMPORARY_AID, claims_slot=True,
                                         basis=OuterRef("slot"))
    return (TemporaryAid.objects.awaiting_batch().filter(handling_township__parent_id=county_code)
            .annotate(slot=Concat(Value(BASIS_PREFIX), Cast("pk", CharField()))).exclude(Exists(claimed))
            .select_related("household", "person").order_by("township_id", "village_id", "id"))


def one_off_draft(*, actor, county: Region, today: dt.date | None = None) -> PaymentBatch:
    """Draft the county's one-off 临时救助 batch from every confirmed aid not yet paid."""
    today = today or timezone.localdate()
    month = payment_month(today)
    require(actor, Action.PAYMENT_PREPARE, PaymentBatch(county=county, month=month))
    if county.level != Region.Level.COUNTY:
        raise ValidationError("发放批次按县（市、区）生成")
    try:
        with transaction.atomic():
            Region.objects.select_for_update().get(pk=county.pk)  # one drafting per county at a time
            aids = list(awaiting(county.code))
            if not aids:
                raise ValidationError("没有已审核确认、待发放的临时救助")
            seq = (PaymentBatch.objects.filter(county=county, month=month).order_by("-sequence")
                   .values_list("sequence", flat=True).first() or 0) + 1
            batch = PaymentBatch.objects.create(county=county, month=month, sequence=seq,
                                                kind=PaymentBatch.Kind.ONE_OFF, created_by=actor)
            households = {a.household_id for a in aids}
            cards = {p.household_id: p for p in PayeeAccount.objects.filter(household_id__in=households, active=True)}
            holds = dict(PaymentHold.objects.filter(household_id__in=households, released_at__isnull=True)
                         .values_list("household_id", "reason"))
            lines = []

            def reason_of(aid):
                return (f"暂停发放：{holds[aid.household_id]}" if aid.household_id in holds
                        else "" if cards.get(aid.household_id) else MISSING_CARD)[:200]

            # 序号: the paid lines 1..N without gaps (the 一卡通 file and the bank's results), the excluded after
            ordered = sorted(aids, key=lambda a: bool(reason_of(a)))
            for no, aid in enumerate(ordered, start=1):
                card = cards.get(aid.household_id)
                reason = reason_of(aid)
                lines.append(PaymentLine(
                    batch=batch, line_no=no, month=month, household_id=aid.household_id, entitlement=None,
                    payee=card, head_name=aid.household.head_name, card_masked=card.card_masked if card else "",
                    bank_name=card.bank_name if card else "", category=PayCategory.TEMPORARY_AID,
                    basis=basis_of(aid.pk), persons_covered=1, amount=aid.amount, previous_amount=None,
                    change=PaymentLine.Change.NEW, excluded=bool(reason), exclusion_reason=reason,
                    claims_slot=not reason, county_id=aid.household.county_id,
                    township_id=aid.household.township_id, village_id=aid.household.village_id))
            PaymentLine.objects.bulk_create(lines)
            _refresh_totals(batch)
            batch.save(update_fields=["line_count", "excluded_count", "total_amount"])
            audit.record(actor=actor, action="payment_batch.one_off_draft", obj=batch, region=(county.code, "", ""),
                         after={"aids": [a.pk for a in aids], "lines": batch.line_count,
                                "excluded": batch.excluded_count, "total": str(batch.total_amount)})
    except IntegrityError:
        raise ValidationError("部分临时救助已在其他批次中发放（可能刚被他人生成），请刷新后查看") from None
    return batch


def paid_total(aid_id: int) -> Decimal:
    """What the bank paid for one aid across batches (0 or the amount, never twice)."""
    lines = PaymentLine.objects.filter(category=PayCategory.TEMPORARY_AID, basis=basis_of(aid_id),
                                       bank_status=PaymentLine.BankStatus.PAID)
    return sum((ln.amount for ln in lines), Decimal("0.00"))
