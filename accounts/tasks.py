from celery import shared_task

from accounts import services


@shared_task(acks_late=True)
def disable_inactive_accounts() -> int:
    """Nightly: disable accounts unused for accounts.inactive_disable_days (等保 level 3), audited."""
    return len(services.disable_inactive_accounts())
