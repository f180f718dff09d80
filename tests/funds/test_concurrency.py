"""§6 a household is never paid twice: two connections racing to draft, regenerate or finalise — exactly one wins."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from core.models import Region
from funds import services
from funds.models import PaymentBatch, PaymentLine
from tests.funds.conftest import MONTH, make_paid

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def race_db(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")


@pytest.fixture
def users(race_db):
    import io

    from accounts.models import User
    from demo import users as demo

    demo.seed(io.StringIO())
    return {u.username: u for u in User.objects.select_related("region")}


@pytest.fixture
def standards(race_db):
    from demo.households import seed_standards

    seed_standards()


def race(fn, n=2):
    """Run fn in n threads, each on its own database connection, released together."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = ("ok", fn())
        except (ValidationError, Exception) as exc:  # noqa: B014 - we record whatever lost
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _setup(users, n=20):
    for i in range(n):
        make_paid("dibao", f"{300 + i}.00", 1)
    return users["wuzhi_minzheng"], Region.objects.get(code="410823")


def test_two_connections_draft_same_month_exactly_one_wins(users, standards):
    officer, county = _setup(users)
    results = race(lambda: services.batch_draft(actor=officer, county=county, month=MONTH))
    assert sorted(r[0] for r in results) == ["error", "ok"]
    loser = next(r[1] for r in results if r[0] == "error")
    assert isinstance(loser, ValidationError) and "已存在" in loser.messages[0]
    assert PaymentBatch.objects.count() == 1
    assert PaymentLine.objects.filter(month=MONTH, claims_slot=True).count() == 20


def test_finalise_racing_regenerate_never_changes_a_finalised_batch(users, standards):
    """Serialised by the batch row lock: either regenerate ran first and finalise followed, or finalise won
    and regenerate is refused — a finalised batch's lines are never replaced."""
    officer, county = _setup(users)
    batch = services.batch_draft(actor=officer, county=county, month=MONTH)
    calls = {0: lambda: services.batch_transition(actor=officer, batch=batch, to=PaymentBatch.Status.FINALISED),
             1: lambda: services.batch_regenerate(actor=officer, batch=batch)}
    order = iter(range(2))
    lock = threading.Lock()

    def pick():
        with lock:
            i = next(order)
        return calls[i]()

    results = race(pick)
    outcomes = [(r[0], str(r[1])) for r in results]
    assert any(r[0] == "ok" and isinstance(r[1], PaymentBatch) and r[1].status == "finalised" for r in results)
    refused = [r[1] for r in results if r[0] == "error"]
    assert all("已定稿，不能重新生成" in e.messages[0] for e in refused), outcomes
    batch.refresh_from_db()
    assert batch.status == "finalised"
    assert PaymentLine.objects.filter(batch=batch).count() == 20
    assert PaymentLine.objects.filter(month=MONTH, claims_slot=True).count() == 20


def test_two_connections_finalise_at_once_exactly_one_wins(users, standards):
    officer, county = _setup(users)
    batch = services.batch_draft(actor=officer, county=county, month=MONTH)
    results = race(lambda: services.batch_transition(actor=officer, batch=batch, to=PaymentBatch.Status.FINALISED))
    assert sorted(r[0] for r in results) == ["error", "ok"]
    loser = next(r[1] for r in results if r[0] == "error")
    assert "不能变更为“已定稿”" in loser.messages[0]


def test_two_connections_regenerate_at_once_never_duplicate(users, standards):
    officer, county = _setup(users)
    batch = services.batch_draft(actor=officer, county=county, month=MONTH)
    results = race(lambda: services.batch_regenerate(actor=officer, batch=batch))
    assert all(r[0] == "ok" for r in results)  # serialised by the batch row lock
    assert PaymentLine.objects.filter(batch=batch).count() == 20
    assert PaymentLine.objects.filter(month=MONTH, claims_slot=True).count() == 20
