"""§8 the county's social-assistance special fund held by a charity organisation: donations in, grants out (two
people: the township proposes, the county or the charity approves), a ledger, and referrals from government aid."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Role
from charity.scope import OwnedQuerySet
from core.models import PlaceMixin

MONEY = {"max_digits": 12, "decimal_places": 2}


class FundQuerySet(OwnedQuerySet):
    own = {Role.CHARITY_STAFF: "staff"}
    county_level = True


class CharityFund(models.Model):
    """One per county. The balance changes only under a row lock and can never go negative."""

    county = models.OneToOneField("core.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    name = models.CharField("专项基金名称", max_length=100)
    organisation = models.CharField("托管慈善组织", max_length=100)
    balance = models.DecimalField("余额（元）", default=0, **MONEY)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="charity_funds",
                                   verbose_name="慈善组织工作人员")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = "社会救助专项基金"
        verbose_name_plural = "社会救助专项基金"
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="charity_fund_never_negative")]

    def __str__(self):
        return self.name


class FundChildQuerySet(OwnedQuerySet):
    own = {Role.CHARITY_STAFF: "fund__staff"}
    county_level = True


class Donation(models.Model):
    fund = models.ForeignKey(CharityFund, on_delete=models.PROTECT, related_name="donations")
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    donor = models.CharField("捐赠方", max_length=100)
    amount = models.DecimalField("金额（元）", **MONEY)
    received_on = models.DateField("到账日期")
    restricted_use = models.CharField("限定用途", max_length=200, blank=True, help_text="不填为非限定性捐赠")
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = FundChildQuerySet.as_manager()

    class Meta:
        verbose_name = "捐赠"
        verbose_name_plural = "捐赠"
        ordering = ["-received_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="donation_positive")]

    def __str__(self):
        return f"{self.donor} {self.amount}元"


class GrantQuerySet(OwnedQuerySet):
    own = {Role.CHARITY_STAFF: "fund__staff"}


class CharityGrant(PlaceMixin):
    """A grant to a household: proposed by the township, approved (paid out of the fund) by the county civil
    affairs or the charity organisation — never by the proposer — and then its payment recorded."""

    class Reason(models.TextChoices):
        SERIOUS_ILLNESS = "illness", "重病"
        SEVERE_DISABILITY = "disability", "重残"
        MAJOR_EVENT = "event", "重大变故"
        EDUCATION = "education", "就学困难"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待审批"
        APPROVED = "approved", "已批准待付款"
        PAID = "paid", "已付款"
        REJECTED = "rejected", "不予资助"

    fund = models.ForeignKey(CharityFund, on_delete=models.PROTECT, related_name="grants", verbose_name="专项基金")
    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="charity_grants")
    reason = models.CharField("资助事由", max_length=12, choices=Reason)
    detail = models.TextField("困难情况")
    amount = models.DecimalField("金额（元）", **MONEY)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.PROPOSED, db_index=True)
    referral = models.OneToOneField("charity.Referral", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="grant", verbose_name="转介")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    paid_on = models.DateField("付款日期", null=True, blank=True)
    payment_reference = models.CharField("付款凭证号", max_length=60, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = "慈善资助"
        verbose_name_plural = "慈善资助"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="charity_grant_positive"),
            # two-person approval, held by the database too
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                                   name="charity_grant_two_persons"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_on__isnull=False),
                                   name="charity_grant_paid_has_date"),
        ]

    def __str__(self):
        return f"{self.household} {self.get_reason_display()}资助 {self.amount}元"


class FundEntry(models.Model):
    """The fund's ledger: every movement with the balance after it."""

    class Kind(models.TextChoices):
        DONATION = "donation", "捐赠收入"
        GRANT = "grant", "资助支出"

    fund = models.ForeignKey(CharityFund, on_delete=models.PROTECT, related_name="entries")
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind)
    amount = models.DecimalField("金额（元）", **MONEY)
    balance_after = models.DecimalField("余额（元）", **MONEY)
    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    grant = models.OneToOneField(CharityGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField("摘要", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = FundChildQuerySet.as_manager()

    class Meta:
        verbose_name = "专项基金流水"
        verbose_name_plural = "专项基金流水"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_entry_positive"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="fund_entry_balance_non_negative"),
        ]


class ReferralQuerySet(OwnedQuerySet):
    own = {Role.CHARITY_STAFF: "fund__staff"}


class Referral(PlaceMixin):
    """Government aid hands a case to charity when the rules cannot meet the need; it has a due date and an
    outcome (a charity grant, a society grant, or a refusal with the reason)."""

    class Source(models.TextChoices):
        TEMP_AID_CAP = "temp_aid_cap", "临时救助已达上限"
        REFUSED = "refused", "申请未获确认但确有困难"
        DISCOVERY = "discovery", "主动发现"
        OTHER = "other", "其他"

    class Target(models.TextChoices):
        FUND = "fund", "慈善专项基金"
        SOCIETY = "society", "救急难互助社"

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        GRANTED = "granted", "已资助"
        DECLINED = "declined", "未予资助"
        WITHDRAWN = "withdrawn", "已撤回"

    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="charity_referrals")
    source = models.CharField("转介来源", max_length=14, choices=Source)
    source_ref = models.CharField("来源编号", max_length=60, blank=True, help_text="临时救助、申请或台账的编号")
    target = models.CharField("转介给", max_length=8, choices=Target)
    fund = models.ForeignKey(CharityFund, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    society = models.ForeignKey("charity.MutualAidSociety", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="referrals")
    need = models.TextField("困难与需求")
    amount_asked = models.DecimalField("申请金额（元）", **MONEY)
    due_on = models.DateField("办理期限", db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    outcome = models.CharField("处理结果", max_length=200, blank=True)
    outcome_on = models.DateField("办结日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "转介"
        verbose_name_plural = "转介"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_asked__gt=0), name="referral_amount_positive"),
            models.CheckConstraint(condition=(Q(target="fund") & Q(fund__isnull=False) & Q(society__isnull=True))
                                   | (Q(target="society") & Q(society__isnull=False) & Q(fund__isnull=True)),
                                   name="referral_one_target"),
        ]

    def __str__(self):
        return f"{self.household} 转介{self.get_target_display()}"

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()
