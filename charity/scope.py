"""Reach of the social-forces rows. Region first (accounts.scope), then the new roles are narrowed to what is
theirs: charity-organisation staff to the fund they work for, provider staff to their provider's orders, helpers
to their own pairings. County-level rows (a fund, a contract) are out of reach of township and village users."""
from __future__ import annotations

from accounts.models import ROLE_LEVEL, Role
from accounts.scope import RestrictedQuerySet, can
from core.models import Region


class OwnedQuerySet(RestrictedQuerySet):
    own: dict[str, str] = {}  # role -> lookup path from the row to the user it belongs to
    county_level = False  # the row has a county only (no township / village)

    def restrict(self, user, action: str):
        if not can(user, action):
            return self.none()
        if self.county_level and ROLE_LEVEL[Role(user.role)] in (Region.Level.TOWNSHIP, Region.Level.VILLAGE):
            return self.none()
        qs = super().restrict(user, action)
        path = self.own.get(user.role)
        if path:
            qs = qs.filter(**{path: user})
        return qs


def own_role(user) -> bool:
    """A user of one of the narrowed roles (sees masked data only)."""
    return user.role in (Role.CHARITY_STAFF, Role.PROVIDER_STAFF, Role.HELPER)
