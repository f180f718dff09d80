"""Applications (低保 now; 特困 and 临时救助 reuse the same machine), joint meetings, notices and re-checks.

The state machine itself lives in `cases/dibao/workflow.py`; these models only hold its state.
An application belongs to the household's place (county/township/village, the hukou place) and
carries the township that handles it (`handling_township`, the 居住地 township for residence-permit
holders). Scope ORs the two, so the hukou township still sees a case handled elsewhere.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import ROLE_LEVEL, Role
from accounts.scope import NOTHING, RestrictedQuerySet, granted_pks, scope_q
from cases.households.models import MONEY, Household, Person
from core.models import PlaceMixin, Region
from core.names import FREE_TEXT_MAX


def _level(user):
    return ROLE_LEVEL.get(Role(user.role)) if getattr(user, "role", None) else None


def handling_q(user, prefix: str = "") -> Q:
    """The applications a township or county user reaches as the place that handles them (`prefix` reaches them
    through a relation, e.g. "application__"); nothing to add for other levels. Scope ORs it with the place."""
    level = _level(user)
    if level == Region.Level.TOWNSHIP:
        return Q(**{f"{prefix}handling_township_id": user.region_id})
    if level == Region.Level.COUNTY:
        return Q(**{f"{prefix}handling_county_id": user.region_id})
    return Q(pk__in=[])


class ApplicationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str):
        q = scope_q(user, action)
        if q == NOTHING:
            return self.none()
        if q != Q():
            q |= handling_q(user)
        pks = granted_pks(user, self.model, action)
        if pks and q != Q():
            q |= Q(pk__in=pks)
        return self.filter(q)

    def open(self):
        return self.exclude(status__in=Application.FINAL)


class Application(PlaceMixin):
    class Kind(models.TextChoices):
        DIBAO = "dibao", "最低生活保障"
        TEKUN = "tekun", "特困人员救助供养"
        TEMPORARY_AID = "temporary_aid", "临时救助"
        DIBAO_EDGE = "dibao_edge", "低保边缘家庭认定"
        RIGID_EXPENSE = "rigid_expense", "刚性支出困难家庭认定"
        MONITOR = "monitor", "防返贫监测对象认定"

    class Source(models.TextChoices):
        APPLICATION = "application", "本人申请"
        REFERRAL = "referral", "部门转介"
        RURAL_REVITALIZATION = "rural_revitalization", "乡村振兴部门名单"
        DISCOVERY = "discovery", "主动发现"

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "已受理"
        INVESTIGATING = "investigating", "调查核对中"
        INVESTIGATED = "investigated", "待集体研究"
        REVIEWED = "reviewed", "已民主评议"
        PUBLICITY = "publicity", "公示中"
        AWAITING_DECISION = "awaiting_decision", "待审核确认"
        CONFIRMED = "confirmed", "已确认"
        REFUSED = "refused", "不予确认"
        WITHDRAWN = "withdrawn", "已撤回"
        # 代办 (§7): drafted by the village, then accepted (受理), returned, or not accepted (不予受理) by the township
        DRAFT = "draft", "村级代办待受理"
        RETURNED = "returned", "已退回村级"
        NOT_ACCEPTED = "not_accepted", "不予受理"

    class MeetingDecision(models.TextChoices):
        APPROVE = "approve", "同意纳入"
        REFUSE = "refuse", "不同意纳入"

    FINAL = ("confirmed", "refused", "withdrawn", "returned", "not_accepted")

    kind = models.CharField("救助类别", max_length=16, choices=Kind, default=Kind.DIBAO, db_index=True)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="applications",
                                  verbose_name="家庭")
    applicant = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name="申请人")
    handling_township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                          verbose_name="受理乡镇（街道）")
    handling_county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                        verbose_name="受理县（市、区）")
    via_residence = models.BooleanField("居住地申请", default=False,
                                        help_text="持居住证在居住地乡镇（街道）申请")
    residence_permit = models.CharField("居住证信息", max_length=100, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status, default=Status.ACCEPTED, db_index=True)
    reason = models.TextField("申请理由", max_length=FREE_TEXT_MAX)
    subcategory = models.CharField("认定类别", max_length=20, blank=True,
                                   help_text="防返贫监测：脱贫不稳定 / 边缘易致贫 / 突发严重困难")
    source = models.CharField("来源", max_length=24, choices=Source, default=Source.APPLICATION)
    source_note = models.CharField("来源说明", max_length=200, blank=True,
                                   help_text="转介部门、乡村振兴名单批次或发现经过")
    single_person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                      verbose_name="单人户纳入成员",
                                      help_text="低保边缘家庭中的重度残疾人或重病患者单独纳入")
    # time limits
    accepted_on = models.DateField("受理日期", default=timezone.localdate)
    deadline = models.DateField("办结期限")
    extended = models.BooleanField("已延期", default=False)
    extension_reason = models.CharField("延期原因", max_length=200, blank=True)
    # investigation (入户调查 + 家庭经济状况核对)
    investigated_on = models.DateField("入户调查日期", null=True, blank=True)
    investigator_1 = models.CharField("调查人一", max_length=50, blank=True)
    investigator_2 = models.CharField("调查人二", max_length=50, blank=True)
    findings = models.TextField("调查情况", blank=True, max_length=FREE_TEXT_MAX)
    verification_result = models.TextField("家庭经济状况核对结果", blank=True, max_length=FREE_TEXT_MAX)
    assessment = models.JSONField("认定计算", null=True, blank=True)
    assessed_eligible = models.BooleanField("测算结果符合条件", null=True, blank=True)
    persons_covered = models.PositiveSmallIntegerField("保障人数", null=True, blank=True)
    monthly_amount = models.DecimalField("月救助金额（元）", null=True, blank=True, **MONEY)
    # 民主评议 (optional)
    review_on = models.DateField("民主评议日期", null=True, blank=True)
    review_result = models.TextField("民主评议情况", blank=True, max_length=FREE_TEXT_MAX)
    # 集体研究
    meeting = models.ForeignKey("cases.Meeting", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="applications", verbose_name="联席会议")
    meeting_decision = models.CharField("集体研究意见", max_length=10, choices=MeetingDecision, blank=True)
    meeting_note = models.CharField("集体研究说明", max_length=300, blank=True)
    # 公示
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_end = models.DateField("公示截止", null=True, blank=True)
    objection = models.TextField("公示异议", blank=True, max_length=FREE_TEXT_MAX)
    # 确认 / 不予确认
    decided_on = models.DateField("确认日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="审核确认人")
    decision_reason = models.TextField("决定理由", blank=True, max_length=FREE_TEXT_MAX)
    entitlement = models.OneToOneField("cases.Entitlement", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="application", verbose_name="救助待遇")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="受理人")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "救助申请"
        verbose_name_plural = "救助申请"
        ordering = ["-accepted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__isnull=True) | Q(monthly_amount__gte=0),
                                   name="application_amount_non_negative"),
            # A confirmed 低保/特困 case has its entitlement; 临时救助 is a one-off grant (cases.TemporaryAid).
            models.CheckConstraint(condition=~Q(status="confirmed") | Q(entitlement__isnull=False)
                                   | Q(kind="temporary_aid"),
                                   name="application_confirmed_has_entitlement"),
            models.CheckConstraint(condition=Q(extended=False) | ~Q(extension_reason=""),
                                   name="application_extension_has_reason"),
            models.UniqueConstraint(fields=["household", "kind"],
                                    condition=~Q(status__in=["confirmed", "refused", "withdrawn", "returned",
                                                             "not_accepted"]),
                                    name="application_one_open_per_household_kind"),
        ]
        indexes = [
            models.Index(fields=["handling_township", "status", "deadline"], name="app_township_status"),
            models.Index(fields=["township", "status"], name="app_hukou_township_status"),
            models.Index(fields=["county", "status", "deadline"], name="app_county_status"),
        ]

    def __str__(self):
        return f"{self.number} {self.household}"

    @property
    def number(self) -> str:
        prefix = {"dibao": "DB", "tekun": "TK", "temporary_aid": "LS", "dibao_edge": "BY", "rigid_expense": "GX",
                  "monitor": "JC"}.get(self.kind, "SQ")
        return f"{prefix}{self.accepted_on:%Y}-{self.pk or 0:05d}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL


class ApplicationEvent(models.Model):
    """The case's own timeline (the audit trail records the same moves system-wide)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=30)
    label = models.CharField("操作名称", max_length=50)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    note = models.TextField("说明", blank=True, max_length=FREE_TEXT_MAX)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_name = models.CharField("操作人", max_length=100, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]

    @property
    def from_label(self) -> str:
        return Application.Status(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return Application.Status(self.to_status).label if self.to_status else ""


class MeetingQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str):
        q = scope_q(user, action)
        if q == NOTHING or _level(user) == Region.Level.VILLAGE:
            return self.none()
        return self.filter(q)


class Meeting(models.Model):
    """乡镇（街道）社会救助联席会议: one meeting decides many cases (§5)."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    held_on = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=100, blank=True)
    chair = models.CharField("主持人", max_length=50)
    attendees = models.TextField("参会人员", help_text="每行一人或以顿号分隔", max_length=FREE_TEXT_MAX)
    note = models.TextField("会议纪要", blank=True, max_length=FREE_TEXT_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "社会救助联席会议"
        verbose_name_plural = "社会救助联席会议"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y年%m月%d日}联席会议"


class Notice(PlaceMixin):
    """A written notice kept in the household's file: 不予确认通知书 / 终止通知书."""

    class Kind(models.TextChoices):
        REFUSAL = "refusal", "不予确认通知书"
        TERMINATION = "termination", "终止救助通知书"
        NOT_ACCEPTED = "not_accepted", "不予受理通知书"
        CHANGE = "change", "救助金额变更通知书"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="notices")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="notices")
    entitlement = models.ForeignKey("cases.Entitlement", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="notices")
    kind = models.CharField("文书类别", max_length=12, choices=Kind)
    category = models.CharField("救助类别", max_length=30)
    issuer_name = models.CharField("作出决定的机关", max_length=60)
    addressee = models.CharField("被通知人", max_length=50)
    decided_on = models.DateField("决定日期")
    due_by = models.DateField("送达期限")
    reasons = models.TextField("理由", max_length=FREE_TEXT_MAX)
    effective_month = models.DateField("终止月份", null=True, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "书面通知"
        verbose_name_plural = "书面通知"
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.number}）"

    @property
    def number(self) -> str:
        prefix = {self.Kind.REFUSAL: "不确", self.Kind.NOT_ACCEPTED: "不受", self.Kind.CHANGE: "变更"}.get(self.kind, "终止")
        short = self.issuer_name.removesuffix("人民政府").removesuffix("办事处")
        return f"{short}民救{prefix}〔{self.decided_on:%Y}〕{self.pk or 0}号"


class Recheck(PlaceMixin):
    """One entitlement due for re-check in a month (the monthly worklist) and how it ended."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "继续保障"
        ADJUST = "adjust", "调整金额"
        PHASE_OUT = "phase_out", "进入渐退期"
        EXIT = "exit", "终止保障"

    entitlement = models.ForeignKey("cases.Entitlement", on_delete=models.PROTECT, related_name="rechecks")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="rechecks")
    month = models.DateField("复核月份")
    due_on = models.DateField("应复核日期")
    outcome = models.CharField("复核结果", max_length=12, choices=Outcome, blank=True)
    note = models.TextField("复核情况", blank=True, max_length=FREE_TEXT_MAX)
    trigger = models.CharField("复核原因", max_length=300, blank=True,
                               help_text="家庭情况变化（成员特殊情况、新增收入或财产）触发的复核")
    assessment = models.JSONField("变化后重新测算", null=True, blank=True)
    amount_before = models.DecimalField("原月金额", null=True, blank=True, **MONEY)
    amount_after = models.DecimalField("新月金额", null=True, blank=True, **MONEY)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="复核经办人",
                                    help_text="乡镇分派的经办人（本乡镇的乡镇经办人）")
    assigned_at = models.DateTimeField("分派时间", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "复核"
        verbose_name_plural = "复核"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "month"], name="recheck_one_per_entitlement_month"),
            models.CheckConstraint(condition=Q(outcome="") | Q(done_at__isnull=False), name="recheck_done_has_time"),
        ]
        indexes = [models.Index(fields=["township", "month", "outcome"], name="recheck_township_month")]
