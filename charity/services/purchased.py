"""§10 purchased services: providers and contracts (county), orders per person (township), service records
(provider staff or township). A record's cost is the contract's unit price × hours (or × 1 per visit); the
contract's spending moves under its row lock and never exceeds the budget (CHECK spent <= budget)."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Role, User
from accounts.scope import Action, require
from cases.households.models import Person
from charity.models import ContractPrice, Provider, ServiceContract, ServiceKind, ServiceOrder, ServiceRecord, Unit
from charity.services.common import positive, text, within
from core import audit
from core.models import Region

CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def provider_create(*, actor, county: Region, name: str, credit_code: str, contact_name: str,
                    contact_phone: str) -> Provider:
    require(actor, Action.SERVICE_MANAGE, refuse="服务机构由县级民政部门登记")
    if county.code != actor.region_id:
        raise ValidationError({"county": "只能在本县（市、区）登记服务机构"})
    credit_code = (credit_code or "").strip().upper()
    if not CREDIT_CODE.match(credit_code):
        raise ValidationError({"credit_code": "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）"})
    if Provider.objects.filter(credit_code=credit_code).exists():
        raise ValidationError({"credit_code": "该统一社会信用代码已登记"})
    with transaction.atomic():
        provider = Provider.objects.create(county=county, name=text(name, "name", "机构名称")[:100],
                                           credit_code=credit_code,
                                           contact_name=text(contact_name, "contact_name", "联系人")[:50],
                                           contact_phone=text(contact_phone, "contact_phone", "联系电话")[:20])
        audit.record(actor=actor, action="provider.create", obj=provider, region=(county.code, "", ""),
                     after={"name": provider.name, "credit_code": credit_code})
    return provider


def provider_staff_add(*, actor, provider: Provider, user: User) -> None:
    within(actor, Action.SERVICE_MANAGE, provider)
    if user.role != Role.PROVIDER_STAFF or user.region_id != provider.county_id:
        raise ValidationError({"user": "只能关联本县的“服务机构工作人员”账号"})
    with transaction.atomic():
        provider.staff.add(user)
        audit.record(actor=actor, action="provider.staff_add", obj=provider, region=(provider.county_id, "", ""),
                     after={"user": user.username})


def contract_create(*, actor, provider: Provider, number: str, start: dt.date, end: dt.date, budget: Decimal,
                    prices: dict[str, tuple[str, Decimal]]) -> ServiceContract:
    """`prices`: service kind -> (unit, price) for the kinds the contract buys."""
    within(actor, Action.SERVICE_MANAGE, provider, refuse="购买服务合同由县级民政部门签订")
    if start is None or end is None or end < start:
        raise ValidationError({"end": "服务期止不能早于服务期起"})
    budget, number = positive(budget, "budget", "预算"), text(number, "number", "合同编号")[:40]
    if ServiceContract.objects.filter(number=number).exists():
        raise ValidationError({"number": "合同编号已存在"})
    if not prices:
        raise ValidationError({"prices": "请至少填写一种服务的单价"})
    for kind, (unit, price) in prices.items():
        if kind not in ServiceKind.values or unit not in Unit.values:
            raise ValidationError({"prices": "服务类型或计价单位无效"})
        positive(price, "prices", f"{ServiceKind(kind).label}单价")
    with transaction.atomic():
        contract = ServiceContract.objects.create(county_id=actor.region_id, provider=provider, number=number,
                                                  start=start, end=end, budget=budget, created_by=actor)
        ContractPrice.objects.bulk_create([ContractPrice(contract=contract, kind=k, unit=u, price=p)
                                           for k, (u, p) in prices.items()])
        audit.record(actor=actor, action="contract.create", obj=contract, region=(contract.county_id, "", ""),
                     after={"budget": str(budget), "prices": {k: [u, str(p)] for k, (u, p) in prices.items()}})
    return contract


def order_create(*, actor, contract: ServiceContract, person: Person, kind: str, start: dt.date,
                 plan: str = "") -> ServiceOrder:
    household = person.household
    require(actor, Action.SERVICE_ORDER, household, refuse="服务工单由乡镇经办人或县级民政部门下达")
    if contract.county_id != household.county_id:
        raise ValidationError({"contract": "只能使用服务对象所在县的合同"})
    if not contract.prices.filter(kind=kind).exists():
        raise ValidationError({"kind": "该合同不包含此类服务"})
    if start is None or not (contract.start <= start <= contract.end):
        raise ValidationError({"start": f"开始日期须在合同服务期内（{contract.start}至{contract.end}）"})
    with transaction.atomic():
        order = ServiceOrder.objects.create(contract=contract, person=person, household=household, kind=kind,
                                            start=start, plan=plan.strip()[:200], created_by=actor,
                                            county_id=household.county_id, township_id=household.township_id,
                                            village_id=household.village_id)
        audit.record(actor=actor, action="service_order.create", obj=order,
                     after={"contract": contract.number, "kind": kind, "start": str(start)})
    return order


def order_end(*, actor, order: ServiceOrder, end: dt.date, reason: str) -> ServiceOrder:
    within(actor, Action.SERVICE_ORDER, order)
    if end is None or end < order.start:
        raise ValidationError({"end": "结束日期不能早于开始日期"})
    reason = text(reason, "reason", "结束原因", minimum=2)
    with transaction.atomic():
        order.end, order.status = end, ServiceOrder.Status.ENDED
        order.save(update_fields=["end", "status"])
        audit.record(actor=actor, action="service_order.end", obj=order, after={"end": str(end)}, reason=reason)
    return order


def record_cost(price: ContractPrice, hours: Decimal) -> Decimal:
    units = hours if price.unit == Unit.HOUR else Decimal("1")
    return (price.price * units).quantize(Decimal("0.01"))


def record_add(*, actor, order: ServiceOrder, on: dt.date, hours: Decimal, content: str, staff_name: str,
               confirmed_by: str, confirmer_name: str) -> ServiceRecord:
    """A service given, confirmed by the person or the family; its cost is charged to the contract under the
    contract's row lock, refused when it would exceed the budget."""
    within(actor, Action.SERVICE_RECORD, order, refuse="服务记录由服务机构或乡镇经办人登记")
    if order.status != ServiceOrder.Status.ACTIVE:
        raise ValidationError("该工单已结束")
    if on is None or on > timezone.localdate() or on < order.start:
        raise ValidationError({"on": "服务日期须在工单开始之后且不晚于今天"})
    if hours is None or hours <= 0 or hours > 24:
        raise ValidationError({"hours": "时长须大于0且不超过24小时"})
    if confirmed_by not in ServiceRecord.ConfirmedBy.values:
        raise ValidationError({"confirmed_by": "请选择确认人"})
    content = text(content, "content", "服务内容", minimum=2)
    staff_name = text(staff_name, "staff_name", "服务人员")
    confirmer_name = text(confirmer_name, "confirmer_name", "确认人姓名")
    with transaction.atomic():
        contract = ServiceContract.objects.select_for_update().get(pk=order.contract_id)
        if not (contract.start <= on <= contract.end):
            raise ValidationError({"on": "服务日期不在合同服务期内"})
        price = contract.prices.get(kind=order.kind)
        cost = record_cost(price, hours)
        updated = ServiceContract.objects.filter(pk=contract.pk, spent__lte=F("budget") - cost).update(
            spent=F("spent") + cost)
        if not updated:
            raise ValidationError(f"超出合同预算：预算{contract.budget}元，已发生{contract.spent}元，本次{cost}元")
        record = ServiceRecord.objects.create(order=order, on=on, hours=hours, content=content[:300],
                                              staff_name=staff_name[:50], confirmed_by=confirmed_by,
                                              confirmer_name=confirmer_name[:50], cost=cost, recorded_by=actor)
        audit.record(actor=actor, action="service_record.add", obj=order,
                     after={"on": str(on), "hours": str(hours), "cost": str(cost)})
    return record
