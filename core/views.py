import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from accounts.models import ROLE_LEVEL, Region
from accounts.scope import Action, can, deny
from core.models import AuditEvent
from core.paging import paginate


def audit_trail_for(user):
    """The trail a user may read: business users the business and data-access events of their own
    region (the history of the cases in their scope); the audit administrator everything; the system
    and security administrators nothing (三权分立: they cannot read the trail of their own actions)."""
    qs = AuditEvent.objects.all()
    if can(user, Action.AUDIT_VIEW_ALL):
        return qs
    if not can(user, Action.AUDIT_VIEW):
        return qs.none()
    qs = qs.filter(category__in=[AuditEvent.Category.BUSINESS, AuditEvent.Category.ACCESS])
    level = ROLE_LEVEL[user.role]
    if level == Region.Level.CITY:
        return qs
    if level == Region.Level.TOWNSHIP:
        return qs.filter(township_code=user.region_id)
    if level == Region.Level.VILLAGE:
        return qs.filter(village_code=user.region_id)
    return qs.filter(county_code=user.region_id[:6])


@login_required
def audit_trail(request):
    if not (can(request.user, Action.AUDIT_VIEW) or can(request.user, Action.AUDIT_VIEW_ALL)):
        deny(request.user, what=request.path, action=Action.AUDIT_VIEW)
    qs = audit_trail_for(request.user).select_related(None)
    f = request.GET
    if f.get("actor"):
        qs = qs.filter(actor_username=f["actor"].strip())
    if f.get("object_type"):
        qs = qs.filter(object_type=f["object_type"])
    if f.get("object_id"):
        qs = qs.filter(object_id=f["object_id"].strip())
    if f.get("action"):
        qs = qs.filter(Q(action=f["action"]) | Q(action__startswith=f["action"] + "."))
    for key, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        if f.get(key):
            try:
                qs = qs.filter(**{lookup: dt.date.fromisoformat(f[key])})
            except ValueError:
                pass
    if f.get("category"):
        qs = qs.filter(category=f["category"])
    page = paginate(qs.order_by("-at", "-id"), request)
    return render(request, "core/audit_trail.html", {
        "page": page, "f": f, "categories": AuditEvent.Category.choices,
        "object_types": [("cases.household", "家庭"), ("cases.person", "家庭成员"), ("accounts.user", "用户")],
    })
