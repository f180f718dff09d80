"""Balances under parallel requests on PostgreSQL: the fund's, the society's and the contract's row locks let
exactly as many through as the money allows."""
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from charity.models import CharityFund, CharityGrant, MutualAidSociety, ServiceContract
from charity.services import funds, mutual_aid, purchased
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(n, work):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for real row locks")
    barrier, results = threading.Barrier(n), []

    def worker(i):
        from django.db import connection as conn

        try:
            barrier.wait()
            work(i)
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_parallel_approvals_never_overdraw_the_fund(users, fund):
    grants = [funds.grant_propose(actor=users["zhandian_jingban"], household=HouseholdFactory(), reason="illness",
                                  detail="重病住院治疗费用", amount=Decimal("2000.00")) for _ in range(4)]
    approvers = ["wuzhi_minzheng", "wuzhi_cishan", "wuzhi_minzheng", "wuzhi_cishan"]
    results = _race(4, lambda i: funds.grant_decide(actor=users[approvers[i]], grant=grants[i], approve=True))
    assert results.count("ok") == 2, results
    assert CharityFund.objects.get(pk=fund.pk).balance == Decimal("1000.00")
    assert CharityGrant.objects.filter(status="approved").count() == 2


def test_one_grant_approved_twice_at_once_pays_once(users, fund):
    grant = funds.grant_propose(actor=users["zhandian_jingban"], household=HouseholdFactory(), reason="event",
                                detail="房屋倒塌重大变故", amount=Decimal("1000.00"))
    who = ["wuzhi_minzheng", "wuzhi_cishan"]
    results = _race(2, lambda i: funds.grant_decide(actor=users[who[i]], grant=grant, approve=True))
    assert results.count("ok") == 1, results
    assert CharityFund.objects.get(pk=fund.pk).balance == Decimal("4000.00")


def test_parallel_society_grants_never_overdraw(users, society):
    households = [HouseholdFactory() for _ in range(3)]
    results = _race(3, lambda i: mutual_aid.society_grant(
        actor=users["heying_cun"], society=society, household=households[i], amount=Decimal("1500.00"),
        reason="突发困难", decided_on=timezone.localdate(), decision="理事会集体研究同意"))
    assert results.count("ok") == 2, results
    assert MutualAidSociety.objects.get(pk=society.pk).balance == Decimal("0.00")


def test_parallel_service_records_stay_within_budget(users, contract):
    order = purchased.order_create(actor=users["zhandian_jingban"], contract=contract, person=PersonFactory(),
                                   kind="care", start=timezone.localdate())
    results = _race(3, lambda i: purchased.record_add(
        actor=users["wuzhi_fuwu"], order=order, on=timezone.localdate(), hours=Decimal("15"), content="照料",
        staff_name="护理员", confirmed_by="person", confirmer_name="本人"))
    assert results.count("ok") == 2, results
    assert ServiceContract.objects.get(pk=contract.pk).spent == Decimal("900.00")
