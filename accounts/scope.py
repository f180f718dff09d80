"""Who may reach what. `scope_q(user, action)` is the one function that decides a user's reach.

Every model that belongs to a place carries `county`, `township` and `village` foreign keys to
Region (codes), so the check is a plain indexed WHERE clause. Querysets use `.restrict(user, action)`
(RestrictedQuerySet), which also ORs in explicit per-object grants (django-guardian) for actions the
role may take at all. Out of reach looks like not found: views use `get_in_scope_or_404`.
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.http import Http404

from accounts.models import ROLE_LEVEL, Region, Role

R = Role


class Action:
    # households, persons, cases
    CASE_VIEW = "case.view"
    CASE_CHANGE = "case.change"  # register and edit households, draft applications
    CASE_VIEW_PII = "case.view_pii"  # reveal a full ID / card / phone number (audited)
    CASE_PROCESS = "case.process"  # intake, investigation, meeting, publicity (township)
    CASE_DECIDE = "case.decide"  # 审核确认 / 不予确认 (township leader)
    # payments
    PAYMENT_VIEW = "payment.view"
    PAYMENT_PREPARE = "payment.prepare"  # draft, finalise, export (county civil affairs)
    PAYMENT_APPROVE = "payment.approve"  # approve funds, record transfer (finance)
    PRICE_INDEX_CHANGE = "price.change"  # enter the monthly CPI / food CPI (city)
    # supervision
    SUPERVISION_VIEW = "supervision.view"
    SUPERVISION_CHANGE = "supervision.change"  # comparisons, relative registry, complaints (county officer)
    SPOTCHECK_REVIEW = "spotcheck.review"  # record spot-check findings (county reviewer)
    # the audit trail
    AUDIT_VIEW = "audit.view"  # business trail of the user's region
    AUDIT_VIEW_ALL = "audit.view_all"  # the whole trail, administrative actions included
    # administration
    USERS_MANAGE = "users.manage"
    PARAMS_CHANGE = "params.change"
    SECURITY_MANAGE = "security.manage"


A = Action

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    R.VILLAGE_STAFF: frozenset({A.CASE_VIEW, A.CASE_CHANGE, A.CASE_VIEW_PII}),
    R.TOWNSHIP_CASEWORKER: frozenset({A.CASE_VIEW, A.CASE_CHANGE, A.CASE_VIEW_PII, A.CASE_PROCESS}),
    R.TOWNSHIP_LEADER: frozenset({A.CASE_VIEW, A.CASE_CHANGE, A.CASE_VIEW_PII, A.CASE_DECIDE}),
    R.COUNTY_OFFICER: frozenset(
        {A.CASE_VIEW, A.CASE_VIEW_PII, A.PAYMENT_VIEW, A.PAYMENT_PREPARE, A.SUPERVISION_VIEW,
         A.SUPERVISION_CHANGE, A.AUDIT_VIEW}
    ),
    R.COUNTY_REVIEWER: frozenset(
        {A.CASE_VIEW, A.CASE_VIEW_PII, A.PAYMENT_VIEW, A.SUPERVISION_VIEW, A.SPOTCHECK_REVIEW, A.AUDIT_VIEW}
    ),
    R.FINANCE_OFFICER: frozenset({A.PAYMENT_VIEW, A.PAYMENT_APPROVE}),
    R.CITY_ADMIN: frozenset({A.CASE_VIEW, A.PAYMENT_VIEW, A.SUPERVISION_VIEW, A.AUDIT_VIEW, A.PARAMS_CHANGE,
                             A.PRICE_INDEX_CHANGE}),
    R.SYSTEM_ADMIN: frozenset({A.USERS_MANAGE, A.PARAMS_CHANGE}),
    R.SECURITY_ADMIN: frozenset({A.SECURITY_MANAGE}),
    R.AUDIT_ADMIN: frozenset({A.AUDIT_VIEW_ALL}),
}

NOTHING = Q(pk__in=[])
_LEVEL_FIELD = {
    Region.Level.COUNTY: "county_id",
    Region.Level.TOWNSHIP: "township_id",
    Region.Level.VILLAGE: "village_id",
}


def can(user, action: str) -> bool:
    """Whether the user's role may take `action` anywhere (region still applies to objects)."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and action in ROLE_ACTIONS.get(user.role, ())
    )


def scope_q(user, action: str, *, prefix: str = "") -> Q:
    """The Q of rows the user may reach for `action`; NOTHING when the role may not take it."""
    if not can(user, action):
        return NOTHING
    level = ROLE_LEVEL[Role(user.role)]
    if level == Region.Level.CITY:
        return Q()
    return Q(**{f"{prefix}{_LEVEL_FIELD[level]}": user.region_id})


def region_q(user, *, field: str = "code") -> Q:
    """Regions inside the user's own region (for dropdowns and filters)."""
    if ROLE_LEVEL.get(user.role) == Region.Level.CITY:
        return Q()
    return Q(**{f"{field}__startswith": user.region_id})


def _grant_level(action: str) -> str:
    return "view" if action.endswith(".view") or action.endswith(".view_pii") else "change"


def granted_pks(user, model: type[models.Model], action: str) -> list:
    """Primary keys of `model` objects explicitly granted to the user (guardian), cached per user object."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    if not can(user, action):
        return []
    cache = user.__dict__.setdefault("_grant_cache", {})
    codename = f"{_grant_level(action)}_{model._meta.model_name}"
    key = (model._meta.label_lower, codename)
    if key not in cache:
        raw = UserObjectPermission.objects.filter(
            user=user, permission__codename=codename, content_type=ContentType.objects.get_for_model(model)
        ).values_list("object_pk", flat=True)
        cache[key] = [model._meta.pk.to_python(pk) for pk in raw]
    return cache[key]


class RestrictedQuerySet(models.QuerySet):
    scope_prefix = ""  # e.g. "household__" for rows scoped through a parent

    def restrict(self, user, action: str):
        q = scope_q(user, action, prefix=self.scope_prefix)
        if q == NOTHING:
            return self.none()
        pks = granted_pks(user, self.model, action)
        if pks and q != Q():
            q = q | Q(pk__in=pks)
        return self.filter(q)


def get_in_scope_or_404(queryset, user, action: str, **lookup):
    """Fetch one object within the user's reach; anything else (absent or out of scope) is 404."""
    qs = queryset.restrict(user, action)
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404("未找到") from None
