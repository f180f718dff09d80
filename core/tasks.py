from celery import shared_task


@shared_task(acks_late=True)
def ping() -> str:
    """Health check for workers (used by tests and monitoring)."""
    return "pong"
