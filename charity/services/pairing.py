"""§8 结对帮扶: helpers registered per township, pairings with households (one helper, one or many households),
and the contacts log (date, way, help given, value)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.scope import Action, require
from cases.households.models import Household
from charity.models import Contact, Helper, Pairing
from charity.services.common import text, within
from core import audit
from core.models import Region


def helper_create(*, actor, township: Region, name: str, kind: str, organisation: str = "", contact: str = "",
                  user: User | None = None) -> Helper:
    require(actor, Action.PAIRING_CHANGE, refuse="帮扶人由乡镇登记")
    if township.level != Region.Level.TOWNSHIP or township.code != actor.region_id:
        raise ValidationError({"township": "只能登记本乡镇（街道）的帮扶人"})
    if kind not in Helper.Kind.values:
        raise ValidationError({"kind": "请选择帮扶人类型"})
    if user is not None and (user.role != Role.HELPER or user.region_id != township.code):
        raise ValidationError({"user": "只能关联本乡镇的“结对帮扶人”账号"})
    with transaction.atomic():
        helper = Helper.objects.create(county_id=township.code[:6], township=township,
                                       name=text(name, "name", "帮扶人/单位")[:100], kind=kind,
                                       organisation=organisation.strip()[:100], contact=contact.strip()[:40],
                                       user=user)
        audit.record(actor=actor, action="helper.create", obj=helper, region=(helper.county_id, township.code, ""),
                     after={"name": helper.name, "kind": kind, "user": user.username if user else ""})
    return helper


def pairing_create(*, actor, helper: Helper, household: Household, start: dt.date, end: dt.date | None = None,
                   goal: str = "") -> Pairing:
    require(actor, Action.PAIRING_CHANGE, household, refuse="结对帮扶由乡镇安排")
    within(actor, Action.PAIRING_CHANGE, helper)
    if start is None:
        raise ValidationError({"start": "请填写开始日期"})
    if end is not None and end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期"})
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(helper=helper, household=household, start=start, end=end,
                                             goal=goal.strip()[:200], created_by=actor, county_id=household.county_id,
                                             township_id=household.township_id, village_id=household.village_id)
            audit.record(actor=actor, action="pairing.create", obj=pairing,
                         after={"helper": helper.name, "start": str(start), "end": str(end or "")})
    except IntegrityError:
        raise ValidationError("该帮扶人与该家庭已有进行中的结对") from None
    return pairing


def pairing_end(*, actor, pairing: Pairing, end: dt.date, reason: str) -> Pairing:
    within(actor, Action.PAIRING_CHANGE, pairing)
    if end is None or end < pairing.start:
        raise ValidationError({"end": "结束日期不能早于开始日期"})
    reason = text(reason, "reason", "结束原因", minimum=2)
    with transaction.atomic():
        pairing.end = end
        pairing.save(update_fields=["end"])
        audit.record(actor=actor, action="pairing.end", obj=pairing, after={"end": str(end)}, reason=reason)
    return pairing


def contact_log(*, actor, pairing: Pairing, on: dt.date, way: str, help_given: str,
                value: Decimal = Decimal("0")) -> Contact:
    """Logged by the helper (their own pairings only) or by the village / township."""
    within(actor, Action.PAIRING_CONTACT, pairing, refuse="您无权为该结对登记联系记录")
    if on is None or on > timezone.localdate():
        raise ValidationError({"on": "日期不能晚于今天"})
    if on < pairing.start or (pairing.end and on > pairing.end):
        raise ValidationError({"on": "日期不在结对期间内"})
    if way not in Contact.Way.values:
        raise ValidationError({"way": "请选择联系方式"})
    value = value or Decimal("0")
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationError({"value": "折合金额不能为负数，最多两位小数"})
    with transaction.atomic():
        contact = Contact.objects.create(pairing=pairing, on=on, way=way,
                                         help_given=text(help_given, "help_given", "帮扶内容")[:200], value=value,
                                         recorded_by=actor)
        audit.record(actor=actor, action="pairing.contact", obj=pairing,
                     after={"on": str(on), "way": way, "value": str(value)})
    return contact
