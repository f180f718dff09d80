"""§3 a 特困 person's self-care level and care form drive the amount: a new assessment that changes the level, or a
placement in / return from an institution (集中 ↔ 分散), changes the care standard and so the monthly amount from
the next month (an EntitlementChange kept as history, applied on that month's first day) and moves the category
when the form changes; the household gets a written notice (特困供养变更通知书)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases.dibao.models import Notice
from cases.dibao.notices import notice_issue
from cases.entitlements.models import Entitlement, EntitlementChange
from cases.standards import selectors as standards
from cases.tekun.models import SelfCareLevel, TekunProfile
from core import audit, categories
from core.months import add_months, first_of_month

FORM_CATEGORY = {TekunProfile.Form.CENTRAL: categories.Category.TEKUN_CENTRAL,
                 TekunProfile.Form.DISPERSED: categories.Category.TEKUN_DISPERSED}


def monthly_amount(profile: TekunProfile, month: dt.date) -> Decimal:
    h = profile.household
    level = profile.self_care_level or SelfCareLevel.SELF_CARE
    return (standards.tekun_basic_living(h.county_id, h.hukou_type, month)
            + standards.care_standard(h.county_id, level, profile.form, month))


def care_change_follow(*, actor, profile: TekunProfile, reason: str, today: dt.date | None = None):
    """After the level or form changed: schedule the new amount/category from next month and issue the notice.
    Returns the EntitlementChange, or None when the person has no 特困 support in force or nothing changes."""
    ent = (Entitlement.objects.in_force().filter(household_id=profile.household_id, category__in=categories.TEKUN)
           .select_for_update().first())
    if ent is None:
        return None
    today = today or timezone.localdate()
    month = add_months(first_of_month(today), 1)
    amount = monthly_amount(profile, month)
    category = FORM_CATEGORY[profile.form]
    pending = EntitlementChange.objects.filter(entitlement=ent, applied_at__isnull=True, cancelled=False)
    if amount == ent.monthly_amount and category == ent.category:
        pending.update(cancelled=True)  # back where it was before the pending change: nothing to apply
        return None
    pending.update(cancelled=True)
    level_label = dict(SelfCareLevel.choices).get(profile.self_care_level, "全自理")
    text = (f"{profile.person.name}{reason}：自理能力{level_label}，{profile.get_form_display()}。"
            f"自{month:%Y年%m月}起月供养金额由{ent.monthly_amount}元调整为{amount}元"
            + (f"，类别由{categories.label(ent.category)}变更为{categories.label(category)}" if category != ent.category
               else "") + "。")
    change = EntitlementChange.objects.create(
        entitlement=ent, effective_month=month, amount_before=ent.monthly_amount, amount_after=amount,
        category_after=category if category != ent.category else "", reason=text[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    notice_issue(actor=actor, household=profile.household, kind=Notice.Kind.CHANGE, reasons=text,
                 entitlement=ent, effective_month=month, category="特困人员救助供养")
    audit.record(actor=actor, action="tekun.care_change", obj=ent, region=(ent.county_id, ent.township_id,
                                                                           ent.village_id),
                 before={"monthly_amount": str(ent.monthly_amount), "category": ent.category},
                 after={"monthly_amount": str(amount), "category": category, "from": str(month)}, reason=reason)
    return change
