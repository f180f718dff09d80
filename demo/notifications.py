"""Demo: the messages the demo cases produced are sent through the default (database) backend at once, so the
outbox shows them as sent without a running worker."""
from notifications import services
from notifications.models import Notification


def seed(stdout) -> None:
    pks = list(Notification.objects.filter(status=Notification.Status.QUEUED).values_list("pk", flat=True))
    for pk in pks:
        services.send_one(pk)
    stdout.write(f"演示短信：{Notification.objects.count()} 条（新发送 {len(pks)} 条）。")
