"""Shared set-up for the 低保 workflow tests: a poor household in 詹店镇 and helpers to walk the machine."""
import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

from cases.dibao import meetings as dibao_meetings
from cases.dibao import workflow
from cases.models import IncomeItem, Meeting
from tests.factories import HouseholdFactory, PersonFactory, make_id

ZHANDIAN = "410823101"
HEYING = "410823101200"


def seed_standards():
    from demo import households as demo

    demo.seed_standards()


def poor_household(village=HEYING, members=3, annual_wages=Decimal("6000.00")):
    """A rural household (standard 520 demo) with one earner; per-capita well under the standard."""
    hh = HouseholdFactory(village=village, hukou_type="rural")
    head = PersonFactory(household=hh, relationship="head", id_number=make_id(hh.county_id, dt.date(1975, 3, 1)))
    for i in range(members - 1):
        PersonFactory(household=hh, relationship="child",
                      id_number=make_id(hh.county_id, dt.date(2010 + i, 4, 2), "F"))
    if annual_wages:
        IncomeItem.objects.create(household=hh, person=head, kind="wages", amount_12m=annual_wages)
    hh.head_name = head.name
    hh.save()
    return hh


INVESTIGATION = dict(investigated_on=None, investigator_1="刘洋", investigator_2="马强",
                     findings="入户查看，住房简陋，户主打零工", verification_result="省核对平台：无车辆、无工商登记、存款3000元")


def investigate(actor, app, **overrides):
    data = {**INVESTIGATION, "investigated_on": app.accepted_on, **overrides}
    return workflow.transition(actor=actor, application=app, action="record_investigation", **data)


def meeting(actor, apps_decisions, held_on=None):
    return dibao_meetings.meeting_record(
        actor=actor, township=actor.region, held_on=held_on or dt.date.today(), chair="王镇长",
        attendees="王镇长、李书记、刘洋、纪检委员赵", decisions=apps_decisions)


def to_awaiting_decision(caseworker, app, monkeypatch):
    investigate(caseworker, app)
    meeting(caseworker, [(app, "approve", "")])
    app.refresh_from_db()
    later = app.publicity_end + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: later)
    workflow.transition(actor=caseworker, application=app, action="close_publicity")
    app.refresh_from_db()
    return app


def quiet():
    return io.StringIO()


__all__ = ["Meeting"]
