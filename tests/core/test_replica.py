"""Reports and exports read from the replica alias inside `reporting()`; everything else, and every write,
stays on the default database."""
import pytest
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core import replica
from core.models import Region


def test_router_is_off_without_a_replica():
    router = replica.ReplicaRouter()
    with replica.reporting():
        assert router.db_for_read(Region) is None  # JIUZHU_READ_REPLICA is empty: the default database


@override_settings(JIUZHU_READ_REPLICA="replica")
def test_reads_inside_reporting_go_to_the_replica_and_writes_never_do():
    router = replica.ReplicaRouter()
    assert router.db_for_read(Region) is None
    with replica.reporting():
        assert router.db_for_read(Region) == "replica"
        assert router.db_for_write(Region) == "default"
    assert router.db_for_read(Region) is None  # the flag ends with the block
    assert router.allow_migrate("replica", "core") is False


@override_settings(JIUZHU_READ_REPLICA="no-such-alias")
def test_an_unknown_alias_falls_back_to_default():
    with replica.reporting():
        assert replica.ReplicaRouter().db_for_read(Region) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])
@override_settings(JIUZHU_READ_REPLICA="replica")
def test_a_report_query_runs_on_the_replica_connection():
    Region.objects.get_or_create(code="419999", defaults={"name": "测试县", "level": Region.Level.COUNTY})
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_default:
        with replica.reporting():
            assert Region.objects.filter(code="419999").exists()
        Region.objects.filter(code="419999").exists()
    assert len(on_replica.captured_queries) == 1
    assert len(on_default.captured_queries) == 1
