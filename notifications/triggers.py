"""When the case timeline records a move the applicant must hear about, a message goes to the outbox.
Connected to `cases.ApplicationEvent` (post_save) from the AppConfig (imported once the apps are ready)."""
from django.db.models.signals import post_save

from notifications import services
from notifications.models import Kind

STATUS_KIND = {"publicity": Kind.PUBLICITY, "confirmed": Kind.DECISION_CONFIRMED, "refused": Kind.DECISION_REFUSED}


def on_event(sender, instance, created, **kwargs):
    if not created or instance.from_status == instance.to_status:
        return
    kind = STATUS_KIND.get(instance.to_status)
    if kind is None:
        return
    services.notify_application(kind=kind, application=instance.application, actor=instance.actor)


def connect() -> None:
    post_save.connect(on_event, sender="cases.ApplicationEvent", dispatch_uid="notifications.on_event")
