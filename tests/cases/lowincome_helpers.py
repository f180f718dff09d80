"""Enrol households through the real procedure (for the category-dependent rules in funds and monitoring)."""
from decimal import Decimal

from django.utils import timezone

from cases.dibao import workflow
from tests.cases.dibao_helpers import poor_household, seed_standards, to_awaiting_decision


def enrol(users, monkeypatch, household, kind="dibao_edge", **accept):
    """Accept, investigate, decide, publicise and confirm; returns the confirmed application (clock restored)."""
    cw, leader = users["zhandian_jingban"], users["zhandian_shenpi"]
    real = timezone.localdate
    app = workflow.application_accept(actor=cw, household=household, reason="认定", kind=kind, **accept)
    to_awaiting_decision(cw, app, monkeypatch)
    workflow.transition(actor=leader, application=app, action="confirm")
    monkeypatch.setattr(timezone, "localdate", real)
    app.refresh_from_db()
    return app


def edge_household(members=3):
    seed_standards()
    return poor_household(annual_wages=Decimal("30000.00"), members=members)
