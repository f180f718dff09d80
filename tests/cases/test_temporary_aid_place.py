"""§4 急难发生地 for every amount and track: the full procedure too is accepted where the emergency happened,
once the county has switched the rule on, and the place is always written down."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.models import Application, TemporaryAid
from cases.temporary_aid import services as ta
from core.models import Region
from demo.households import seed_standards
from tests.cases.dibao_helpers import investigate
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_emergency_place_rule_full_procedure_at_the_place_of_the_emergency(users, client):
    seed_standards()
    stranger = HouseholdFactory(village="410823101200")  # 詹店镇 household, accident in 西陶镇
    xitao = users["xitao_jingban"]
    kw = dict(actor=xitao, household=stranger, aid_type="emergency", cause="在西陶镇务工时重伤住院",
              amount=Decimal("3100.00"))
    client.force_login(xitao)
    assert client.get(f"/temporary-aid/apply/?household={stranger.pk}").status_code == 404
    with pytest.raises(ValidationError, match="急难发生地"):
        ta.full_apply(**kw)
    ta.emergency_rule_switch(actor=users["wuzhi_minzheng"], county=Region.objects.get(code="410823"),
                             start=dt.date.today(), reason="暴雨灾害")
    with pytest.raises(ValidationError, match="请填写急难发生地"):
        ta.full_apply(**kw)
    assert client.get(f"/temporary-aid/apply/?household={stranger.pk}").status_code == 200
    app = ta.full_apply(**kw, emergency_place="西陶镇某建筑工地")
    aid = TemporaryAid.objects.get(application=app)
    assert app.handling_township_id == "410823102" and aid.handling_township_id == "410823102"
    assert aid.emergency_place == "西陶镇某建筑工地"
    investigate(xitao, app)  # the place of the emergency handles the case
    assert Application.objects.restrict(users["zhandian_jingban"], "case.view").filter(pk=app.pk).exists()


def test_emergency_place_only_for_temporary_aid(users):
    seed_standards()
    from cases.dibao import workflow
    with pytest.raises(ValidationError, match="只有临时救助"):
        workflow.application_accept(actor=users["xitao_jingban"], household=HouseholdFactory(), reason="x",
                                    at_emergency_place=True)
