"""Transactional tests (live_server, Celery workers) can flush the append-only trail between tests."""
import pytest
from django.db import DatabaseError, transaction

from core import audit
from core.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_transactional_test_can_write_the_trail():
    audit.record(actor=None, action="x")


@pytest.mark.django_db(transaction=True)
def test_trail_is_flushed_and_still_append_only_afterwards():
    """The previous test's row was flushed, and the triggers are back in force."""
    assert not AuditEvent.objects.filter(action="x").exists()
    event = audit.record(actor=None, action="y")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
