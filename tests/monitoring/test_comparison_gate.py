"""A department file passes the zip gate once, at upload; the job reads the sealed copy of those bytes without
scanning the zip again — unless the bytes are not the ones gated (their SHA-256 differs), then it gates them."""
import pytest

from core import uploads
from monitoring import services
from monitoring.models import ComparisonRun
from tests.factories import make_id
from tests.monitoring.helpers import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def scans(monkeypatch):
    calls = []
    real = uploads.check_zip
    monkeypatch.setattr(uploads, "check_zip", lambda *a: calls.append(1) or real(*a))
    return calls


def _create(user):
    data = xlsx([["姓名", "身份证号码", "死亡日期"], ["某某", make_id("410823"), "2026-10-03"]])
    return services.run_create(actor=user, source="death_police", file_name="f.xlsx", data=data, enqueue=False)


def test_the_gate_runs_once_per_file(users, scans):
    run = _create(users["wuzhi_minzheng"])
    assert len(scans) == 1
    assert services.run_execute(run.pk).status == "succeeded"
    assert len(scans) == 1


def test_bytes_that_are_not_the_gated_ones_are_gated_again(users, scans):
    run = _create(users["wuzhi_minzheng"])
    ComparisonRun.objects.filter(pk=run.pk).update(file_sha256="0" * 64)
    assert services.run_execute(run.pk).status == "succeeded"
    assert len(scans) == 2


def test_a_file_the_gate_refuses_leaves_no_run_and_no_audit_entry(users, monkeypatch):
    """The gate runs beside the sealing and the INSERT of the file (services.run_create); a refusal that comes
    after the row was written rolls it back with its audit entry, and the officer gets the gate's message."""
    import time

    from core.models import AuditEvent
    from monitoring import reader

    def slow_refusal(*args):
        time.sleep(0.2)  # the row is written by then
        raise reader.FileRefused("文件解压后超过 200 MB", code="zip_bomb")

    monkeypatch.setattr(reader, "check_header", slow_refusal)
    with pytest.raises(services.ValidationError) as err:
        _create(users["wuzhi_minzheng"])
    assert "文件解压后超过 200 MB" in str(err.value)
    assert not ComparisonRun.objects.exists()
    assert not AuditEvent.objects.filter(action="comparison.upload").exists()

