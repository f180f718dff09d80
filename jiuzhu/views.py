"""Top floor: the home page reads every app; error pages never show a stack trace."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.scope import Action, can
from cases.models import Entitlement, Household


@login_required
def home(request):
    user = request.user
    cards = []
    if can(user, Action.CASE_VIEW):
        households = Household.objects.restrict(user, Action.CASE_VIEW)
        entitlements = Entitlement.objects.restrict(user, Action.CASE_VIEW).filter(
            status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.PHASING_OUT])
        cards.append({"label": "登记家庭", "value": households.count(), "url": "cases:household_list"})
        cards.append({"label": "在保低保家庭", "value": entitlements.filter(category="dibao").count(), "url": None})
        cards.append({"label": "在保特困人员家庭", "value": entitlements.filter(
            category__in=["tekun_central", "tekun_dispersed"]).count(), "url": None})
    calendar_warnings = []
    if can(user, Action.PARAMS_CHANGE):
        from core import workdays

        calendar_warnings = workdays.unknown_years()
    return render(request, "home.html", {"cards": cards, "can_create": can(user, Action.CASE_CHANGE),
                                         "calendar_warnings": calendar_warnings})


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
