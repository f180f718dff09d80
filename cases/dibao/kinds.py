"""What each kind of application (低保, 特困, 临时救助) plugs into the one state machine: its assessment, entitlement
category and what happens on confirmation or refusal. 低保 is built in; 特困 and 临时救助 stand a floor above and
register themselves (`register`) from CasesConfig.ready, so the machine never imports them."""
from __future__ import annotations

from collections.abc import Callable

from cases.dibao.assessment import application_assess
from cases.dibao.models import Application
from cases.entitlements.models import Entitlement

ENTITLEMENT_CATEGORY = {Application.Kind.DIBAO: Entitlement.Category.DIBAO}
ASSESSORS: dict[str, Callable] = {Application.Kind.DIBAO: application_assess}
CATEGORY_RESOLVERS: dict[str, Callable] = {}
ON_CONFIRMED: dict[str, Callable] = {}
ON_REFUSED: dict[str, Callable] = {}
ONE_OFF_KINDS: set[str] = set()
ACCEPT_CHECKS: dict[str, Callable] = {}


def register(kind: str, *, assess: Callable, category_for: Callable | None = None,
             on_confirmed: Callable | None = None, on_refused: Callable | None = None,
             one_off: bool = False, check_accept: Callable | None = None) -> None:
    """Plug a kind into the machine: `assess(application, on)` runs at record_investigation; `category_for(app)`
    names the entitlement created on confirmation; `on_confirmed(app, entitlement)` / `on_refused(app)` follow the
    decision; a one-off kind (临时救助) creates no entitlement; `check_accept(household=, subcategory=, source=,
    source_note=)` refuses an intake with a ValidationError (e.g. the household already holds the category)."""
    ASSESSORS[kind] = assess
    if category_for is not None:
        CATEGORY_RESOLVERS[kind] = category_for
    if on_confirmed is not None:
        ON_CONFIRMED[kind] = on_confirmed
    if on_refused is not None:
        ON_REFUSED[kind] = on_refused
    if one_off:
        ONE_OFF_KINDS.add(kind)
    if check_accept is not None:
        ACCEPT_CHECKS[kind] = check_accept
