"""§1 on PostgreSQL: two departments report the same death at the same moment (公安 and 卫健 runs executed by
two workers at once): one clue, one payment hold, linked — never a second hold."""
import threading

import pytest
from django.db import connection

from cases.models import PaymentHold
from monitoring import services
from monitoring.models import Clue
from tests.monitoring.helpers import enrolled, xlsx


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_death_runs_at_once_hold_the_line_once(users):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent transactions")
    officer = users["wuzhi_minzheng"]
    people = [enrolled("dibao")[1] for _ in range(3)]
    data = xlsx([["姓名", "身份证号码", "死亡日期"]] +
                [[p.name, p.reveal_id_number(), "2026-10-01"] for p in people])
    runs = [services.run_create(actor=officer, source=source, file_name=f"{source}.xlsx", data=data, enqueue=False)
            for source in ("death_police", "death_health")]
    barrier, finished = threading.Barrier(2), []

    def worker(run_id):
        from django.db import connection as conn

        try:
            barrier.wait()
            finished.append(services.run_execute(run_id).status)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(run.pk,)) for run in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert finished == ["succeeded", "succeeded"]
    assert Clue.objects.count() == 3 and PaymentHold.objects.count() == 3
    for clue in Clue.objects.all():
        assert PaymentHold.objects.get(pk=clue.hold_id).person_id == clue.person_id
