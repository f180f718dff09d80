"""Migration 0008 renumbers the lines of drafts made before 序号 ran without gaps; later batches keep theirs."""
import importlib

import pytest
from django.apps import apps
from django.db import connection

from funds import services
from funds.models import PaymentBatch, PaymentLine
from tests.funds.conftest import MONTH, hold, make_paid

pytestmark = pytest.mark.django_db
migration = importlib.import_module("funds.migrations.0008_paid_lines_numbered_first")


class _Editor:
    connection = connection


def test_old_drafts_are_renumbered_paid_lines_first(users, standards, wuzhi):
    make_paid("dibao", "310.00", 1)
    held = make_paid("dibao", "320.00", 1)
    hold(held[0])
    make_paid("dibao", "330.00", 1)
    batch = services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=MONTH)
    # as the old drafting numbered them: in township/village/household order, the excluded line in between
    old = {ln.pk: n for n, ln in enumerate(PaymentLine.objects.filter(batch=batch).order_by("household_id"), 1)}
    for pk, n in old.items():
        PaymentLine.objects.filter(pk=pk).update(line_no=n + 100)
    for pk, n in old.items():
        PaymentLine.objects.filter(pk=pk).update(line_no=n)
    assert list(PaymentLine.objects.filter(batch=batch, excluded=False).values_list("line_no", flat=True)) == [1, 3]
    migration.renumber_drafts(apps, _Editor())
    lines = PaymentLine.objects.filter(batch=batch).order_by("line_no")
    assert [(ln.line_no, ln.excluded) for ln in lines] == [(1, False), (2, False), (3, True)]
    assert [ln.amount for ln in lines][:2] == sorted(ln.amount for ln in lines if not ln.excluded)


def test_batches_past_the_draft_keep_their_numbers(users, standards, wuzhi):
    make_paid("dibao", "310.00", 1)
    held = make_paid("dibao", "320.00", 1)
    hold(held[0])
    batch = services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=MONTH)
    PaymentLine.objects.filter(batch=batch, excluded=True).update(line_no=7)
    services.batch_transition(actor=users["wuzhi_minzheng"], batch=batch, to=PaymentBatch.Status.FINALISED)
    migration.renumber_drafts(apps, _Editor())
    assert PaymentLine.objects.get(batch=batch, excluded=True).line_no == 7
