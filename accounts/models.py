from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.models import Region
from core.names import validate_name


class Role(models.TextChoices):
    VILLAGE_STAFF = "village_staff", "村（社区）专干"
    TOWNSHIP_CASEWORKER = "township_caseworker", "乡镇经办人"
    TOWNSHIP_LEADER = "township_leader", "乡镇审批人"
    COUNTY_OFFICER = "county_officer", "县级民政"
    COUNTY_REVIEWER = "county_reviewer", "县级抽查员"
    FINANCE_OFFICER = "finance_officer", "财政"
    CITY_ADMIN = "city_admin", "市级管理员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    GRID_WORKER = "grid_worker", "网格员"
    # social forces (§8, §10): reach limited further to their own fund, orders or pairings (charity.scope)
    CHARITY_STAFF = "charity_staff", "慈善组织工作人员"
    PROVIDER_STAFF = "provider_staff", "服务机构工作人员"
    HELPER = "helper", "结对帮扶人"


ROLE_LEVEL = {
    Role.VILLAGE_STAFF: Region.Level.VILLAGE,
    Role.TOWNSHIP_CASEWORKER: Region.Level.TOWNSHIP,
    Role.TOWNSHIP_LEADER: Region.Level.TOWNSHIP,
    Role.COUNTY_OFFICER: Region.Level.COUNTY,
    Role.COUNTY_REVIEWER: Region.Level.COUNTY,
    Role.FINANCE_OFFICER: Region.Level.COUNTY,
    Role.CITY_ADMIN: Region.Level.CITY,
    Role.SYSTEM_ADMIN: Region.Level.CITY,
    Role.SECURITY_ADMIN: Region.Level.CITY,
    Role.AUDIT_ADMIN: Region.Level.CITY,
    Role.GRID_WORKER: Region.Level.VILLAGE,
    Role.CHARITY_STAFF: Region.Level.COUNTY,
    Role.PROVIDER_STAFF: Region.Level.COUNTY,
    Role.HELPER: Region.Level.TOWNSHIP,
}

ADMIN_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}


class User(AbstractUser):
    """One role, one region of the matching level (checked in clean() and by user_create)."""

    role = models.CharField("角色", max_length=32, choices=Role)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="users", verbose_name="所属区划")
    full_name = models.CharField("姓名", max_length=50, blank=True, validators=[validate_name])
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(default=timezone.now)
    must_change_password = models.BooleanField(default=False)

    objects = UserManager()
    REQUIRED_FIELDS = ["email", "role", "region"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.role and self.region_id:
            expected = ROLE_LEVEL[Role(self.role)]
            if self.region.level != expected:
                raise ValidationError(
                    {"region": f"角色“{Role(self.role).label}”必须属于{Region.Level(expected).label}级区划"}
                )

    @property
    def county_code(self) -> str:
        return self.region_id[:6]

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())


class ApiToken(models.Model):
    """An API token stored as its SHA-256 digest (the key itself is shown once, at issue) with an expiry —
    the design of django-rest-knox. A leaked database or backup holds no usable token."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField("前缀", max_length=8, db_index=True)  # to tell tokens apart in the admin, not secret
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expiry = models.DateTimeField("到期时间", db_index=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"{self.prefix}…（{self.user}）"
