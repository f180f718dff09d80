"""Who may reach what. `scope_q(user, action)` is the one function that decides a user's reach.

Every model that belongs to a place carries `county`, `township` and `village` foreign keys to
Region (codes), so the check is a plain indexed WHERE clause. Querysets use `.restrict(user, action)`
(RestrictedQuerySet), which also ORs in explicit per-object grants (django-guardian) for actions the
role may take at all. Out of reach looks like not found: views use `get_in_scope_or_404`.
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from guardian.models import UserObjectPermission
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

from accounts.models import ROLE_LEVEL, Role
from core import audit
from core.models import Region

R = Role


class Action:
    # households, persons, cases
    CASE_VIEW = "case.view"
    CASE_CHANGE = "case.change"  # register and edit households, draft applications
    CASE_VIEW_PII = "case.view_pii"  # reveal a full ID / card / phone number (audited)
    CASE_PROCESS = "case.process"  # intake, investigation, meeting, publicity (township)
    CASE_DECIDE = "case.decide"  # 审核确认 / 不予确认 (township leader)
    HOUSEHOLD_IMPORT = "household.import"  # bulk import of an existing caseload into one's own region
    # payments
    PAYMENT_VIEW = "payment.view"
    PAYMENT_PREPARE = "payment.prepare"  # draft, finalise, export (county civil affairs)
    PAYMENT_APPROVE = "payment.approve"  # approve funds, record transfer (finance)
    PRICE_INDEX_CHANGE = "price.change"  # enter the monthly CPI / food CPI (city)
    # supervision
    SUPERVISION_VIEW = "supervision.view"
    SUPERVISION_CHANGE = "supervision.change"  # comparisons, relative registry, complaints (county officer)
    SPOTCHECK_REVIEW = "spotcheck.review"  # record spot-check findings (county reviewer)
    SPOTCHECK_ANSWER = "spotcheck.answer"  # answer a spot-check finding (township)
    COMPLAINT_HANDLE = "complaint.handle"  # register and handle complaints/petitions in one's region
    # the audit trail
    AUDIT_VIEW = "audit.view"  # business trail of the user's region
    AUDIT_VIEW_ALL = "audit.view_all"  # the whole trail, administrative actions included
    # administration
    USERS_MANAGE = "users.manage"
    PARAMS_VIEW = "params.view"  # read parameters, standards and the working-day calendar
    PARAMS_CHANGE = "params.change"  # set parameters and maintain the working-day calendar
    STANDARDS_CHANGE = "standards.change"  # add 低保 and care standards (city administrator only)
    SECURITY_MANAGE = "security.manage"
    SYSTEM_STATUS = "system.status"  # the 系统状态 page: health, periodic tasks, job queues, disk, backups
    # active discovery (§7)
    DISCOVERY_VISIT = "discovery.visit"  # record 巡查走访 visits (grid workers, village and township staff)
    DISCOVERY_LEDGER = "discovery.ledger"  # keep the 工作台账, the grids and the screening intake
    # social forces (§8, §10: charity app)
    CHARITY_VIEW = "charity.view"  # charity funds, grants, referrals, mutual-aid societies
    CHARITY_PROPOSE = "charity.propose"  # refer a case, propose a charity grant (township)
    CHARITY_APPROVE = "charity.approve"  # approve grants, record donations and payments (county / charity staff)
    CHARITY_MANAGE = "charity.manage"  # set up a county's charity fund and name its staff (county officer)
    MUTUAL_AID_CHANGE = "mutual_aid.change"  # a village society's members, contributions, grants
    PAIRING_VIEW = "pairing.view"
    PAIRING_CHANGE = "pairing.change"  # helpers and pairings (township)
    PAIRING_CONTACT = "pairing.contact"  # log a contact with a paired household
    SERVICE_VIEW = "service.view"  # purchased services: providers, contracts, orders, records
    SERVICE_MANAGE = "service.manage"  # providers and contracts (county officer)
    SERVICE_ORDER = "service.order"  # order a service for a person (township caseworker)
    SERVICE_RECORD = "service.record"  # record a service given (provider staff, township caseworker)


A = Action

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    R.VILLAGE_STAFF: frozenset({A.CASE_VIEW, A.CASE_CHANGE, A.CASE_VIEW_PII, A.AUDIT_VIEW, A.DISCOVERY_VISIT,
                                A.DISCOVERY_LEDGER,
                                A.CHARITY_VIEW, A.MUTUAL_AID_CHANGE, A.PAIRING_VIEW, A.PAIRING_CONTACT}),
    R.GRID_WORKER: frozenset({A.CASE_VIEW, A.DISCOVERY_VISIT}),
    R.TOWNSHIP_CASEWORKER: frozenset(
        {A.CASE_VIEW, A.CASE_CHANGE, A.CASE_VIEW_PII, A.CASE_PROCESS, A.AUDIT_VIEW, A.PARAMS_VIEW,
         A.COMPLAINT_HANDLE, A.SPOTCHECK_ANSWER, A.HOUSEHOLD_IMPORT, A.DISCOVERY_VISIT, A.DISCOVERY_LEDGER,
         A.CHARITY_VIEW, A.CHARITY_PROPOSE, A.MUTUAL_AID_CHANGE, A.PAIRING_VIEW, A.PAIRING_CHANGE,
         A.PAIRING_CONTACT, A.SERVICE_VIEW, A.SERVICE_ORDER, A.SERVICE_RECORD}
    ),
    R.TOWNSHIP_LEADER: frozenset(
        {A.CASE_VIEW, A.CASE_CHANGE, A.CASE_VIEW_PII, A.CASE_DECIDE, A.AUDIT_VIEW, A.PARAMS_VIEW,
         A.COMPLAINT_HANDLE, A.SPOTCHECK_ANSWER, A.HOUSEHOLD_IMPORT,
         A.CHARITY_VIEW, A.CHARITY_PROPOSE, A.PAIRING_VIEW, A.SERVICE_VIEW}
    ),
    R.COUNTY_OFFICER: frozenset(
        {A.CASE_VIEW, A.CASE_VIEW_PII, A.PAYMENT_VIEW, A.PAYMENT_PREPARE, A.SUPERVISION_VIEW,
         A.SUPERVISION_CHANGE, A.AUDIT_VIEW, A.PARAMS_VIEW, A.COMPLAINT_HANDLE, A.HOUSEHOLD_IMPORT,
         A.CHARITY_VIEW, A.CHARITY_APPROVE, A.CHARITY_MANAGE, A.PAIRING_VIEW, A.SERVICE_VIEW, A.SERVICE_MANAGE,
         A.SERVICE_ORDER}
    ),
    R.COUNTY_REVIEWER: frozenset(
        {A.CASE_VIEW, A.CASE_VIEW_PII, A.PAYMENT_VIEW, A.SUPERVISION_VIEW, A.SPOTCHECK_REVIEW, A.AUDIT_VIEW,
         A.PARAMS_VIEW, A.CHARITY_VIEW, A.PAIRING_VIEW, A.SERVICE_VIEW}
    ),
    R.FINANCE_OFFICER: frozenset({A.PAYMENT_VIEW, A.PAYMENT_APPROVE}),
    R.CITY_ADMIN: frozenset(
        {A.CASE_VIEW, A.PAYMENT_VIEW, A.SUPERVISION_VIEW, A.AUDIT_VIEW, A.PARAMS_VIEW, A.PARAMS_CHANGE,
         A.STANDARDS_CHANGE, A.PRICE_INDEX_CHANGE, A.CHARITY_VIEW, A.PAIRING_VIEW, A.SERVICE_VIEW}
    ),
    R.SYSTEM_ADMIN: frozenset({A.USERS_MANAGE, A.PARAMS_VIEW, A.PARAMS_CHANGE, A.SYSTEM_STATUS}),
    R.SECURITY_ADMIN: frozenset({A.SECURITY_MANAGE}),
    R.AUDIT_ADMIN: frozenset({A.AUDIT_VIEW_ALL}),
    # reach narrowed to their own fund / provider / pairings by the charity querysets (charity.scope)
    R.CHARITY_STAFF: frozenset({A.CHARITY_VIEW, A.CHARITY_APPROVE}),
    R.PROVIDER_STAFF: frozenset({A.SERVICE_VIEW, A.SERVICE_RECORD}),
    R.HELPER: frozenset({A.PAIRING_VIEW, A.PAIRING_CONTACT}),
}

NOTHING = Q(pk__in=[])
_LEVEL_FIELD = {
    Region.Level.COUNTY: "county_id",
    Region.Level.TOWNSHIP: "township_id",
    Region.Level.VILLAGE: "village_id",
}


def can(user, action: str) -> bool:
    """Whether the user's role may take `action` anywhere (region still applies to objects)."""
    return bool(user is not None and user.is_authenticated and user.is_active and role_may(user.role, action))


def role_may(role: str, action: str) -> bool:
    """Whether a role takes `action` at all (`can` without the user's state: for what is built once per role)."""
    return action in ROLE_ACTIONS.get(role, ())


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


def county_q(user, action: str, model: type[models.Model]) -> Q:
    """The counties the user reaches for `action`, as a condition on `model`'s `county`, with the model's explicit
    grants ORed beside them (a grant may reach into another county). Never narrower than `.restrict`, so adding
    it changes no result: it states the county for the indexes led by it (the persons' name index), which cannot
    serve a search that names no county — a township's search carries its county, the city's every county."""
    if not can(user, action):
        return NOTHING
    if ROLE_LEVEL[Role(user.role)] == Region.Level.CITY:
        counties = user.__dict__.get("_city_counties")
        if counties is None:
            counties = user.__dict__["_city_counties"] = list(
                Region.objects.filter(level=Region.Level.COUNTY).values_list("code", flat=True))
        return Q(county_id__in=counties)
    q = Q(county_id=user.county_code)
    extra = grant_q(user, model, action)
    return q | extra if extra != NOTHING else q


def _grant_level(action: str) -> str:
    return "view" if action.endswith(".view") or action.endswith(".view_pii") else "change"


def granted_pks(user, model: type[models.Model], action: str) -> list:
    """Primary keys of `model` objects explicitly granted to the user (guardian). All of the user's grants are
    read at once, once per request (one shared-cache read), whatever the number of models a page restricts."""
    if not can(user, action):
        return []
    raw = _user_grants(user).get(f"{model._meta.label_lower}:{_grant_level(action)}_{model._meta.model_name}", ())
    return [model._meta.pk.to_python(pk) for pk in raw]


def grants_fingerprint(user) -> str:
    """A short digest of all the user's explicit grants (equal digests, equal grants): for cache keys of results
    that depend on what the user reaches (reports.selectors.dashboard_cached)."""
    grants = _user_grants(user)
    if not grants:
        return "-"
    text = repr(sorted((k, sorted(map(str, v))) for k, v in grants.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _user_grants(user) -> dict[str, list[str]]:
    """{"app.model:codename": [object_pk, …]} of every explicit grant of the user, kept on the user object for
    the request and, with a shared cache, across requests (object_grant / object_revoke forget it)."""
    grants = user.__dict__.get("_grant_cache")
    if grants is None:
        shared_key = f"grants:{user.pk}:all" if settings.JIUZHU_SHARED_CACHE else None
        grants = shared_cache.get(shared_key) if shared_key else None
        if grants is None:
            grants = {}
            for app_label, model_name, codename, pk in UserObjectPermission.objects.filter(user=user).values_list(
                    "content_type__app_label", "content_type__model", "permission__codename", "object_pk"):
                grants.setdefault(f"{app_label}.{model_name}:{codename}", []).append(pk)
            if shared_key:
                shared_cache.set(shared_key, grants, GRANTS_CACHE_SECONDS)
        user.__dict__["_grant_cache"] = grants
    return grants


def scope_key(user, action: str, *models_: type[models.Model]) -> tuple:
    """Everything `.restrict(user, action)` of these models depends on — the role (and whether the account is
    active), the region and the explicit grants on each model and the parent it is granted through — so that
    equal keys mean equal WHERE clauses (for SQL compiled once per scope, e.g. core.sqlmemo). Every `restrict`
    reads nothing else of the user."""
    if not can(user, action):
        return (action, None)
    if scope_q(user, action) == Q():  # city-wide reach: no grants needed
        return (action, user.role, user.region_id)
    grants = []
    for model in models_:
        grants.append(tuple(granted_pks(user, model, action)))
        through = getattr(model._default_manager._queryset_class, "grant_through", "")
        if through:
            grants.append(tuple(granted_pks(user, model._meta.get_field(through).related_model, action)))
    return (action, user.role, user.region_id, tuple(grants))


def grant_q(user, model: type[models.Model], action: str) -> Q:
    """Rows of `model` reachable through explicit grants: on the row itself, or on the parent row named by
    the queryset's `grant_through` (a grant on a household reaches its members)."""
    q = NOTHING
    pks = granted_pks(user, model, action)
    if pks:
        q = Q(pk__in=pks)
    through = getattr(model._default_manager._queryset_class, "grant_through", "")
    if through:
        parent_pks = granted_pks(user, model._meta.get_field(through).related_model, action)
        if parent_pks:
            q = (q | Q(**{f"{through}__in": parent_pks})) if q != NOTHING else Q(**{f"{through}__in": parent_pks})
    return q


def reaches(user, action: str, obj: models.Model) -> bool:
    """The in-memory twin of `restrict` for one object: the role may take `action`, and the object lies in
    the user's region or is explicitly granted. Services use it before writing."""
    q = scope_q(user, action)
    if q == NOTHING:
        return False
    if not q.children:
        return True
    (field, value), = q.children
    return getattr(obj, field) == value or granted(user, obj, action)


def require(actor, action: str, obj: models.Model | None = None, *, refuse: str = "") -> None:
    """The check a service makes before it writes: the actor's role may take `action` and, when given, `obj`
    lies within the actor's reach (`reaches`: region or explicit grant). Refusals are ValidationErrors in
    Chinese, shown on the form or as the API's 400; `refuse` says who may instead of the generic message."""
    if not can(actor, action):
        _audit_refused(actor, action, obj, "role")
        raise ValidationError(refuse or "您的角色无权进行此操作")
    if obj is not None and not reaches(actor, action, obj):
        _audit_refused(actor, action, obj, "scope")
        raise ValidationError("该记录不在您的管辖范围内")


def _audit_refused(actor, action: str, obj, why: str) -> None:
    """A service's refusal on the trail (issue #15: role refusals were not audited)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    if obj is not None:
        audit.record(actor=actor, action="access.denied", obj=obj, category=audit.Category.SECURITY,
                     after={"action": action, "refused": why})
    else:
        audit.record(actor=actor, action="access.denied", category=audit.Category.SECURITY, object_type="service",
                     object_repr=action, after={"action": action, "refused": why}, region=("", "", ""))


def handles(user, action: str, obj: models.Model, township_id: str) -> bool:
    """May the user act on (not only read) a case handled by `township_id`: the role may take `action`, and
    the user belongs to that township or holds an explicit grant on the object for `action`. Other users
    within reach (the hukou township, the county) only read. One rule for the buttons and the services."""
    return can(user, action) and (user.region_id == township_id or granted(user, obj, action))


def granted(user, obj: models.Model, action: str) -> bool:
    """Whether one saved object is reachable through an explicit grant (the in-memory twin of grant_q)."""
    if obj.pk is None:
        return False
    model = type(obj)
    if obj.pk in granted_pks(user, model, action):
        return True
    through = getattr(model._default_manager._queryset_class, "grant_through", "")
    if through:
        parent_model = model._meta.get_field(through).related_model
        return getattr(obj, f"{through}_id") in granted_pks(user, parent_model, action)
    return False


# With a shared cache (Redis), a user's grants are cached across requests; accounts.services.object_grant
# and object_revoke delete them (at once and after commit), so a change takes effect on the next request.
GRANTS_CACHE_SECONDS = 300


def grants_changed(user) -> None:
    """Forget the cached grants of `user` (called by the grant services, again after commit)."""
    def forget():
        shared_cache.delete_many(shared_cache_keys(user))

    forget()
    transaction.on_commit(forget)


def shared_cache_keys(user) -> list[str]:
    return [f"grants:{user.pk}:all"]


class RestrictedQuerySet(models.QuerySet):
    scope_prefix = ""  # e.g. "household__" for rows scoped through a parent
    grant_through = ""  # e.g. "household": a grant on the parent row reaches this row

    def restrict(self, user, action: str):
        q = scope_q(user, action, prefix=self.scope_prefix)
        if q == NOTHING:
            return self.none()
        if q == Q():  # city-wide reach: explicit grants add nothing, so don't look them up
            return self.all()
        extra = grant_q(user, self.model, action)
        if extra != NOTHING:
            q = q | extra
        return self.filter(q)


def get_in_scope_or_404(queryset, user, action: str, **lookup):
    """Fetch one object within the user's reach; anything else (absent or out of scope) is 404."""
    qs = queryset.restrict(user, action)
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):  # a dict or a huge number: absent too
        _audit_denied(user, qs.model, action, lookup)
        raise Http404("未找到") from None


def deny(user, *, what: str, action: str = ""):
    """A page the user's role may not open: audited ("access.denied"), answered as 404 like anything absent."""
    if user is not None and getattr(user, "is_authenticated", False):
        audit.record(actor=user, action="access.denied", category=audit.Category.SECURITY,
                     object_type="page", object_repr=what[:200], after={"action": action} if action else None,
                     region=("", "", ""))
    raise Http404("未找到")


def require_page(request, *actions: str) -> None:
    """The role check of a page: users whose role has none of `actions` get the 404 of an absent page, and the
    attempt is audited (`deny`). Every app's views use this one check."""
    if not any(can(request.user, a) for a in actions):
        deny(request.user, what=request.path, action=actions[0])


def require_api(request, *actions: str, refuse: str = "") -> None:
    """The API's twin of require_page: unless the role may take one of `actions`, answer 404 (nobody learns what
    exists) or, with `refuse`, 403 with that message (for a reader who may see the object but not act on it)."""
    if any(can(request.user, a) for a in actions):
        return
    if refuse:
        raise ApiPermissionDenied(refuse)  # audited by core.api.exception_handler like every 403
    if request.user is not None and getattr(request.user, "is_authenticated", False):
        audit.record(actor=request.user, action="access.denied", category=audit.Category.SECURITY,
                     object_type="api", object_repr=request.path[:200], after={"action": actions[0]},
                     region=("", "", ""))
    raise Http404


def _audit_denied(user, model, action: str, lookup: dict) -> None:
    """An object that exists but is out of the user's reach: audited ("access.denied"), the user sees 404."""
    try:
        obj = model._base_manager.filter(**lookup).first()
    except (ValueError, TypeError):
        return
    if obj is None:
        return
    audit.record(actor=user, action="access.denied", obj=obj, category=audit.Category.SECURITY,
                 after={"action": action}, object_repr=f"{model._meta.verbose_name} #{obj.pk}")
