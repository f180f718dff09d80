from celery import shared_task


@shared_task(acks_late=True)
def relatives_nightly_check() -> int:
    """§12: flag every open application and entitlement of a registered close relative (nightly)."""
    from audit import services

    return services.relatives_check()
