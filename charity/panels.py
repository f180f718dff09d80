"""The household page's charity panel: charity-fund grants, society grants, referrals and pairings of the
household, shown beside government aid to users who may see charity work."""
from accounts.scope import Action, can
from cases.households import panels


def household_panel(request, household):
    user = request.user
    if not can(user, Action.CHARITY_VIEW) and not can(user, Action.PAIRING_VIEW):
        return None
    return {
        "template": "charity/_household_panel.html",
        "charity_grants": list(household.charity_grants.select_related("fund")[:20]),
        "society_grants": list(household.society_grants.select_related("society")[:20]),
        "referrals": list(household.charity_referrals.all()[:20]),
        "pairings": list(household.pairings.select_related("helper")[:10]),
        "can_refer": can(user, Action.CHARITY_PROPOSE) and user.region_id == household.township_id,
    }


def register() -> None:
    panels.register(household_panel)
