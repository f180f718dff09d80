"""Top floor: the home page reads every app; error pages never show a stack trace."""
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import render

from accounts.scope import Action, can
from cases import selectors


HOME_NUMBERS_SECONDS = 120


def _case_numbers(user) -> list[int]:
    """Households and active entitlements in the user's region. COUNTs over a whole county or the city are
    not cheap at city scale, so they are shared per region for two minutes (explicit grants not counted)."""
    key = f"home:case_numbers:{user.role}:{user.region_id}"
    numbers = cache.get(key)
    if numbers is None:
        households = Household.objects.restrict(user, Action.CASE_VIEW)
        entitlements = Entitlement.objects.restrict(user, Action.CASE_VIEW).filter(
            status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.PHASING_OUT])
        numbers = [households.count(), entitlements.filter(category="dibao").count(),
                   entitlements.filter(category__in=["tekun_central", "tekun_dispersed"]).count()]
        cache.set(key, numbers, HOME_NUMBERS_SECONDS)
    return numbers


@login_required
def home(request):
    user = request.user
    cards = []
    if can(user, Action.CASE_VIEW):
        counts = selectors.home_counts(user=user)  # cached per scope for a few minutes
        cards.append({"label": "登记家庭", "value": counts["households"], "url": "cases:household_list"})
        cards.append({"label": "在保低保家庭", "value": counts["dibao"], "url": None})
        cards.append({"label": "在保特困人员家庭", "value": counts["tekun"], "url": None})
    calendar_warnings = []
    if can(user, Action.PARAMS_CHANGE):
        from core import workdays

        calendar_warnings = workdays.unknown_years()
    return render(request, "home.html", {"cards": cards, "can_create": can(user, Action.CASE_CHANGE),
                                         "calendar_warnings": calendar_warnings})


OVERDUE_ACTIONS = (Action.CASE_VIEW, Action.SUPERVISION_VIEW, Action.PAYMENT_VIEW)


@login_required
def overdue(request):
    """逾期事项: everything time-limited in the user's region that is overdue or nearly due (issue #8-4)."""
    from django.http import Http404

    from jiuzhu import overdue as overdue_board

    if not any(can(request.user, a) for a in OVERDUE_ACTIONS):
        raise Http404("未找到")
    return render(request, "overdue.html", overdue_board.board(user=request.user))


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
