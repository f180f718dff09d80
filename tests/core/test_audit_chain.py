"""Issue #15 item 6: the audit trail is a hash chain (each entry carries the previous entry's hash), checked
by `manage.py verify_audit` and a nightly task that raises an alert on a break; on PostgreSQL the
application's role may only read and append the audit table."""
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from core import audit, auditchain
from core.models import Alert, AuditEvent
from core.schedules import all_schedules
from core.tasks import verify_audit_chain


def _write(n, **kw):
    return [audit.record(actor=None, action=f"test.{i}", reason=f"第{i}条", after={"n": i}, **kw) for i in range(n)]


def _tamper(sql, params):
    """Change a row behind the application's back, as a database superuser would (triggers asleep)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")
            cur.execute(sql, params)
            cur.execute("SET LOCAL session_replication_role = origin")
        else:
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
            cur.execute(sql, params)


@pytest.mark.django_db
def test_each_entry_carries_the_previous_hash(capsys):
    events = _write(4)
    chain = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash"))
    for (prev, _), (_, before) in zip(chain[1:], chain[:-1], strict=True):
        assert prev == before
    assert events[-1].hash == auditchain.digest(AuditEvent.objects.get(pk=events[-1].pk), events[-1].prev_hash)
    call_command("verify_audit")
    assert "哈希链完好" in capsys.readouterr().out
    assert verify_audit_chain() is True and not Alert.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["edit", "delete"])
def test_a_changed_or_deleted_entry_breaks_the_chain_and_raises_an_alert(how):
    events = _write(5)
    victim = events[2]
    if how == "edit":
        _tamper("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["改过的原因", victim.pk])
        broken = victim.pk
    else:
        _tamper("DELETE FROM core_auditevent WHERE id = %s", [victim.pk])
        broken = events[3].pk
    result = auditchain.verify()
    assert result.broken_id == broken
    with pytest.raises(CommandError, match=f"第 {broken} 号记录处断开"):
        call_command("verify_audit")
    assert verify_audit_chain() is False
    alert = Alert.objects.get(kind="audit_chain_broken")
    assert alert.role == "security_admin" and str(broken) in alert.message


def test_the_check_runs_nightly():
    assert any(s["task"] == "core.tasks.verify_audit_chain" for s in all_schedules().values())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_writers_keep_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    barrier = threading.Barrier(10)

    def run(i):
        try:
            barrier.wait()
            with transaction.atomic():
                _write(3)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    result = auditchain.verify()
    assert result.ok, result
    assert result.checked == AuditEvent.objects.count() >= 30


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_application_role_can_only_read_and_append_the_audit_table():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    _write(2)
    call_command("setup_db_roles", role="jiuzhu_app_test")
    target = AuditEvent.objects.order_by("id").first().pk
    refused = {}
    statements = {
        "update": ("UPDATE core_auditevent SET reason = 'x' WHERE id = %s", [target]),
        "delete": ("DELETE FROM core_auditevent WHERE id = %s", [target]),
        "truncate": ("TRUNCATE core_auditevent", None),
        "disable_trigger": ("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update", None),
        "disable_all": ("ALTER TABLE core_auditevent DISABLE TRIGGER ALL", None),
        "replica": ("SET session_replication_role = replica", None),
        "drop_trigger": ("DROP TRIGGER core_auditevent_no_update ON core_auditevent", None),
    }
    with connection.cursor() as cur:
        cur.execute("SET LOCAL ROLE jiuzhu_app_test")
        for name, (sql, params) in statements.items():
            try:
                with transaction.atomic():
                    cur.execute(sql, params)
                refused[name] = False
            except DatabaseError as exc:
                refused[name] = "permission denied" in str(exc) or "must be owner" in str(exc)
        with transaction.atomic():  # reading and appending still work
            cur.execute("SELECT count(*) FROM core_auditevent")
            audit.record(actor=None, action="test.as_app_role")
            cur.execute("UPDATE core_parameter SET reason = reason WHERE false")  # business tables: writable
        cur.execute("RESET ROLE")
    assert refused == dict.fromkeys(statements, True), refused
    assert auditchain.verify().ok
