"""Long jobs go to their own Celery queues (scale-out per job kind); a worker without -Q serves them all."""
import importlib

import pytest
from django.conf import settings

from jiuzhu.celery import app


@pytest.mark.parametrize("task, queue", [
    ("monitoring.tasks.execute_run", "comparison"),
    ("imports.tasks.run_import", "import"),
    ("funds.tasks.import_bank_result", "import"),
    ("funds.tasks.run_export", "export"),
    ("notifications.tasks.send_one", "notify"),
    ("ops.tasks.heartbeat_task", "celery"),
    ("funds.tasks.remind_and_escalate", "celery"),
])
def test_each_job_kind_is_routed_to_its_queue(task, queue):
    route = app.amqp.router.route({}, task, args=(), kwargs={})
    assert route["queue"].name == queue


def test_every_routed_task_exists_and_every_queue_is_declared():
    declared = {q.name for q in settings.CELERY_TASK_QUEUES}
    assert declared == set(settings.JIUZHU_QUEUES)
    for pattern, route in settings.CELERY_TASK_ROUTES.items():
        assert route["queue"] in declared
        module = importlib.import_module(pattern.rpartition(".")[0])
        if "*" not in pattern:
            assert hasattr(module, pattern.rpartition(".")[2]), f"route for a task that does not exist: {pattern}"
            assert pattern in app.tasks, f"route for a task that does not exist: {pattern}"


def test_a_worker_without_q_listens_to_every_queue():
    assert {q.name for q in app.conf.task_queues} == set(settings.JIUZHU_QUEUES)


def test_docker_compose_serves_every_queue():
    import yaml

    services = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())["services"]
    served = set()
    for service in services.values():
        command = service.get("command") or []
        if "worker" in command and "-Q" in command:
            served |= set(command[command.index("-Q") + 1].split(","))
    assert served == set(settings.JIUZHU_QUEUES)
