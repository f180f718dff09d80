"""§11 on PostgreSQL: two complaints registered at the same moment get consecutive numbers (the year's
numbering is locked until commit), never the same number and a server error."""
import threading

import pytest
from django.db import connection

from audit import services
from audit.models import Complaint
from core.models import Region


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_complaints_registered_at_once_get_different_numbers(users):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent transactions")
    region = Region.objects.get(code="410823101")
    barrier, numbers, errors = threading.Barrier(4), [], []

    def worker(i):
        from django.db import connection as conn

        try:
            barrier.wait()
            c = services.complaint_register(actor=users["wuzhi_minzheng"], source=Complaint.Source.HOTLINE,
                                            complainant_name=f"来电人{i}", category=Complaint.Category.MISSED,
                                            summary="反映情况", content="内容", region=region)
            numbers.append(c.number)
        except Exception as exc:  # noqa: BLE001 — the test reports whatever went wrong
            errors.append(repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(numbers)) == 4 and sorted(numbers) == sorted(Complaint.objects.values_list("number", flat=True))
