"""§10 purchased services: providers, contracts per county (period, budget, unit prices per service kind), orders
per person, service records confirmed by the person or family. A contract's spending never exceeds its budget."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Role
from charity.models.funds import MONEY
from charity.scope import OwnedQuerySet
from core.models import PlaceMixin


class ServiceKind(models.TextChoices):
    VISIT = "visit", "访视"
    CARE = "care", "照料"
    COUNSELLING = "counselling", "心理疏导"
    RESOURCE_LINKING = "linking", "资源链接"
    CAPACITY = "capacity", "能力提升"
    INTEGRATION = "integration", "社会融入"


class Unit(models.TextChoices):
    HOUR = "hour", "小时"
    TIME = "time", "次"


class ProviderQuerySet(OwnedQuerySet):
    own = {Role.PROVIDER_STAFF: "staff"}
    county_level = True


class Provider(models.Model):
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+", verbose_name="登记县（市、区）")
    name = models.CharField("机构名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="service_providers",
                                   verbose_name="机构工作人员账号")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = "服务机构"
        verbose_name_plural = "服务机构"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContractQuerySet(OwnedQuerySet):
    own = {Role.PROVIDER_STAFF: "provider__staff"}
    county_level = True

    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start__lte=on, end__gte=on)


class ServiceContract(models.Model):
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts", verbose_name="服务机构")
    number = models.CharField("合同编号", max_length=40, unique=True)
    start = models.DateField("服务期起")
    end = models.DateField("服务期止")
    budget = models.DecimalField("合同预算（元）", **MONEY)
    spent = models.DecimalField("已发生费用（元）", default=0, **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "购买服务合同"
        verbose_name_plural = "购买服务合同"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="contract_budget_positive"),
            models.CheckConstraint(condition=Q(spent__gte=0) & Q(spent__lte=F("budget")),
                                   name="contract_spent_within_budget"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="contract_end_after_start"),
        ]

    def __str__(self):
        return f"{self.number} {self.provider.name}"

    @property
    def used_ratio(self):
        return (self.spent / self.budget) if self.budget else 0


class ContractPrice(models.Model):
    contract = models.ForeignKey(ServiceContract, on_delete=models.CASCADE, related_name="prices")
    kind = models.CharField("服务类型", max_length=12, choices=ServiceKind)
    unit = models.CharField("计价单位", max_length=6, choices=Unit)
    price = models.DecimalField("单价（元）", **MONEY)

    class Meta:
        verbose_name = "服务单价"
        verbose_name_plural = "服务单价"
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind"], name="one_price_per_contract_kind"),
            models.CheckConstraint(condition=Q(price__gt=0), name="contract_price_positive"),
        ]


class OrderQuerySet(OwnedQuerySet):
    own = {Role.PROVIDER_STAFF: "contract__provider__staff"}

    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(status="active", start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


class ServiceOrder(PlaceMixin):
    class Status(models.TextChoices):
        ACTIVE = "active", "服务中"
        ENDED = "ended", "已结束"

    contract = models.ForeignKey(ServiceContract, on_delete=models.PROTECT, related_name="orders",
                                 verbose_name="合同")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="service_orders",
                               verbose_name="服务对象")
    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="service_orders")
    kind = models.CharField("服务类型", max_length=12, choices=ServiceKind)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    plan = models.CharField("服务计划", max_length=200, blank=True, help_text="如：每周上门照料2次")
    status = models.CharField("状态", max_length=8, choices=Status, default=Status.ACTIVE, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = "服务工单"
        verbose_name_plural = "服务工单"
        ordering = ["-start", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}工单 #{self.pk}"


class RecordQuerySet(OwnedQuerySet):
    scope_prefix = "order__"
    own = {Role.PROVIDER_STAFF: "order__contract__provider__staff"}


class ServiceRecord(models.Model):
    class ConfirmedBy(models.TextChoices):
        PERSON = "person", "服务对象本人"
        FAMILY = "family", "家属"

    order = models.ForeignKey(ServiceOrder, on_delete=models.PROTECT, related_name="records")
    on = models.DateField("服务日期")
    hours = models.DecimalField("时长（小时）", max_digits=5, decimal_places=1)
    content = models.CharField("服务内容", max_length=300)
    staff_name = models.CharField("服务人员", max_length=50)
    confirmed_by = models.CharField("确认人", max_length=8, choices=ConfirmedBy)
    confirmer_name = models.CharField("确认人姓名", max_length=50)
    cost = models.DecimalField("费用（元）", **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="record_hours_positive"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="record_cost_non_negative"),
        ]
