"""Tasks used only by tests/ops/test_celery.py; a real worker imports this module with `--include`."""
from celery import shared_task


@shared_task(acks_late=True)
def write_alert(dedupe_key: str) -> int:
    """Write a row so the test can see that the worker reached the same database."""
    from core.models import Alert

    alert = Alert.objects.create(region_code="410800", kind="worker-test", dedupe_key=dedupe_key,
                                 message="worker test")
    return alert.pk


@shared_task(acks_late=True)
def slow_job(run_id: int, items: int = 40, delay: float = 0.5) -> str:
    """A core.jobs job on a ComparisonRun row that takes a while: one idempotent write per item (an Alert with a
    natural key), a heartbeat after each. tests/ops/test_job_kill.py kills the worker in the middle."""
    import time

    from core import jobs
    from core.models import Alert
    from monitoring.models import ComparisonRun

    if not jobs.claim(ComparisonRun, run_id):
        return "skipped"
    for i in range(items):
        Alert.objects.get_or_create(dedupe_key=f"slow-job-{run_id}-{i}",
                                    defaults={"region_code": "410823", "kind": "slow-job", "message": str(i)})
        jobs.beat(ComparisonRun, run_id, progress=int(100 * (i + 1) / items), rows_done=i + 1, rows_total=items)
        time.sleep(delay)
    jobs.finish(ComparisonRun, run_id)
    return "done"
