from celery import shared_task

from notifications import services


@shared_task(acks_late=True)
def send_one(pk: int) -> str:
    return services.send_one(pk)


@shared_task(acks_late=True)
def retry_failed() -> int:
    return services.retry_failed()


@shared_task(acks_late=True)
def payment_failures(batch_id: int) -> int:
    return services.notify_payment_failures(batch_id)
