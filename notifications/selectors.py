from accounts.scope import Action, can
from notifications.models import Notification


def outbox(user):
    action = Action.CASE_VIEW if can(user, Action.CASE_VIEW) else Action.PAYMENT_VIEW
    return Notification.objects.restrict(user, action).select_related("application", "household")


def for_application(user, application):
    return outbox(user).filter(application=application)
