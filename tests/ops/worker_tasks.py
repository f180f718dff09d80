"""Tasks used only by tests/ops/test_celery.py; a real worker imports this module with `--include`."""
from celery import shared_task


@shared_task(acks_late=True)
def write_alert(dedupe_key: str) -> int:
    """Write a row so the test can see that the worker reached the same database."""
    from core.models import Alert

    alert = Alert.objects.create(region_code="410800", kind="worker-test", dedupe_key=dedupe_key,
                                 message="worker test")
    return alert.pk
