"""Harness entries for accounts:* — the system administrator's user pages, the security page (三权分立).

Accounts are not region-bound objects: the administrators are city-level, so only their role decides."""
from accounts.scope import Action as A
from tests.harness import page, part


@part("account")
def _account(w):
    """A business account the system administrator manages (the village staff member of 何营东村)."""
    return w.users["heying_cun"]


ENTRIES = [
    page("accounts:user_list", "/accounts/users/", A.USERS_MANAGE, scoped=False),
    page("accounts:user_create", "/accounts/users/new/", A.USERS_MANAGE, scoped=False),
    page("accounts:user_detail", lambda w: f"/accounts/users/{w.get('account').pk}/", A.USERS_MANAGE),
    page("accounts:user_action", lambda w: f"/accounts/users/{w.get('account').pk}/disable/", A.USERS_MANAGE,
         method="post", data={"reason": "调离岗位"}, ok=302),
    page("accounts:user_action", lambda w: f"/accounts/users/{w.get('account').pk}/unlock/",
         (A.USERS_MANAGE, A.SECURITY_MANAGE), method="post", data={"next": "security"}, ok=302,
         note="the security administrator may unlock accounts too"),
    page("accounts:security", "/accounts/security/", A.SECURITY_MANAGE, scoped=False),
    page("accounts:parameters", "/accounts/parameters/", A.PARAMS_CHANGE, ok=302, scoped=False,
         note="old address, redirects to core:param_list"),
]
