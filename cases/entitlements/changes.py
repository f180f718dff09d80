"""Apply decided entitlement changes on their effective month (the monthly task, before the batch is drafted)."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.entitlements.models import Entitlement, EntitlementChange
from core import audit
from core.months import add_months, first_of_month


def entitlement_changes_apply(*, on: dt.date | None = None) -> int:
    """Every pending change whose effective month has come: a new amount on the same entitlement, or (集中 ↔ 分散)
    the old category ends with the previous month and the new one starts with the effective month. Idempotent."""
    month = first_of_month(on or timezone.localdate())
    done = 0
    for change_id in EntitlementChange.objects.filter(applied_at__isnull=True, cancelled=False,
                                                      effective_month__lte=month).values_list("pk", flat=True):
        with transaction.atomic():
            change = EntitlementChange.objects.select_for_update().select_related("entitlement").get(pk=change_id)
            if change.applied_at is not None or change.cancelled:
                continue
            ent = Entitlement.objects.select_for_update().get(pk=change.entitlement_id)
            if ent.status not in ("active", "phasing_out"):
                change.cancelled = True
                change.save(update_fields=["cancelled"])
                continue
            before = {"category": ent.category, "monthly_amount": str(ent.monthly_amount)}
            if change.category_after and change.category_after != ent.category:
                ent.status, ent.end_month = Entitlement.Status.ENDED, add_months(change.effective_month, -1)
                ent.reason = change.reason[:200]
                new = Entitlement(household_id=ent.household_id, category=change.category_after,
                                  persons_covered=ent.persons_covered, monthly_amount=change.amount_after,
                                  start_month=change.effective_month, next_recheck=ent.next_recheck,
                                  reason=change.reason[:200], county_id=ent.county_id, township_id=ent.township_id,
                                  village_id=ent.village_id)
                ent.updated_at = timezone.now()
                ent.save(update_fields=["status", "end_month", "reason", "updated_at"])
                new.save()
                change.new_entitlement = new
                audit.record(actor=None, action="entitlement.category_change", obj=new, before=before,
                             after={"category": new.category, "monthly_amount": str(new.monthly_amount)},
                             reason=change.reason)
            else:
                ent.monthly_amount, ent.reason, ent.updated_at = change.amount_after, change.reason[:200], timezone.now()
                ent.save(update_fields=["monthly_amount", "reason", "updated_at"])
                audit.record(actor=None, action="entitlement.amount_change", obj=ent, before=before,
                             after={"monthly_amount": str(ent.monthly_amount)}, reason=change.reason)
            change.applied_at = timezone.now()
            change.save(update_fields=["applied_at", "new_entitlement"])
            done += 1
    return done
