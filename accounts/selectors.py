"""Reads of the accounts floor that take the requesting user first."""
from accounts.models import ROLE_LEVEL
from accounts.scope import Action, can
from core.models import AuditEvent, Region


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
