"""Issue 14 §3: /healthz/ (no login, no personal data, JSON; 200 healthy, 503 naming the failing part) and the
system administrator's 系统状态 page."""
import datetime as dt
import json

import pytest
from django.utils import timezone

from core import jobs
from ops import heartbeat
from ops.models import Heartbeat

pytestmark = pytest.mark.django_db


def _alive(seconds_ago=5):
    at = timezone.now() - dt.timedelta(seconds=seconds_ago)
    heartbeat.touch(Heartbeat.BEAT, task="ops.tasks.heartbeat_task", periodic="运行心跳")
    heartbeat.touch(Heartbeat.WORKER, task_id="t", periodic="运行心跳", hostname="w")
    Heartbeat.objects.update(at=at)


def test_healthz_without_worker_and_beat_is_503_naming_them(client):
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert set(body["failing"]) == {"worker", "beat"}
    assert body["database"]["ok"] and body["broker"]["ok"] and body["jobs"]["ok"]
    assert response["Content-Type"].startswith("application/json")
    assert "no-cache" in response.get("Cache-Control", "") or "max-age=0" in response.get("Cache-Control", "")


def test_healthz_is_200_with_recent_heartbeats_and_names_every_part(client):
    _alive()
    response = client.get("/healthz/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    for part in ("database", "broker", "worker", "beat", "jobs"):
        assert body[part]["ok"] is True, part
    assert body["worker"]["dispatched_by_beat"] is True
    assert 0 <= body["worker"]["age_seconds"] < 120
    assert {"queued", "running", "stuck"} <= set(body["jobs"])


def test_old_heartbeat_fails_the_part(client):
    _alive(seconds_ago=300)
    Heartbeat.objects.filter(name=Heartbeat.BEAT).update(at=timezone.now())
    body = client.get("/healthz/").json()
    assert body["failing"] == ["worker"]
    assert body["worker"]["age_seconds"] >= 300


def test_a_stuck_job_fails_the_jobs_part(client, users):
    """A job running with a stale heartbeat (its worker died, the sweeper has not marked it) is unhealthy; the
    sweeper marks it interrupted and health is back."""
    from monitoring.models import ComparisonRun
    from tests.ops.job_fixtures import make_job

    assert ComparisonRun in jobs.registered()
    _alive()
    job = make_job(users["wuzhi_minzheng"])
    ComparisonRun.objects.filter(pk=job.pk).update(status=jobs.JobStatus.RUNNING,
                                                   heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["failing"] == ["jobs"]
    assert response.json()["jobs"]["stuck"] == 1
    assert jobs.sweep_interrupted() == 1
    assert ComparisonRun.objects.get(pk=job.pk).status == "interrupted"
    body = client.get("/healthz/").json()
    assert body["status"] == "ok" and body["jobs"]["interrupted"] == 1


def test_healthz_needs_no_login_and_shows_no_personal_data(client, users):
    _alive()
    from tests.factories import PersonFactory

    person = PersonFactory(name="王测试")
    text = client.get("/healthz/").content.decode()
    json.loads(text)
    for secret in (person.name, person.reveal_id_number(), "zhandian", "410823"):
        assert secret not in text


def test_status_page_for_the_system_administrator(client, users):
    _alive()
    from django.core.management import call_command

    call_command("setup_periodic_tasks", stdout=open("/dev/null", "w"))
    heartbeat.touch("periodic:运行心跳", state="SUCCESS", task="ops.tasks.heartbeat_task", runtime=0.01)
    client.force_login(users["shi_xitong"])
    home = client.get("/").content.decode()
    assert "/system/status/" in home, "系统状态 is in the system administrator's menu"
    page = client.get("/system/status/").content.decode()
    for text in ("系统状态", "运行部件", "定时任务", "运行心跳", "成功", "后台作业", "磁盘空间", "密钥", "备份", "每日数据备份"):
        assert text in page, text
    client.force_login(users["wuzhi_minzheng"])
    assert client.get("/system/status/").status_code == 404
    assert "/system/status/" not in client.get("/").content.decode()
