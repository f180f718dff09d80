"""Top floor: the home page reads every app; error pages never show a stack trace."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.scope import Action, can
from cases import selectors


@login_required
def home(request):
    user = request.user
    cards = []
    if can(user, Action.CASE_VIEW):
        counts = selectors.home_counts(user=user)  # cached per scope for a few minutes
        cards.append({"label": "登记家庭", "value": counts["households"], "url": "cases:household_list"})
        cards.append({"label": "在保低保家庭", "value": counts["dibao"], "url": None})
        cards.append({"label": "在保特困人员家庭", "value": counts["tekun"], "url": None})
    return render(request, "home.html", {"cards": cards, "can_create": can(user, Action.CASE_CHANGE)})


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
