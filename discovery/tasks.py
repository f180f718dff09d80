"""Celery tasks: thin wrappers over discovery.services."""
from celery import shared_task

from discovery import services


@shared_task
def ledger_pull() -> int:
    return services.ledger_pull()
