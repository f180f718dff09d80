from celery import shared_task

from audit import services


@shared_task(acks_late=True)
def relatives_nightly_check() -> int:
    """§12: flag every open application and entitlement of a registered close relative (nightly)."""
    return services.relatives_check()
