"""A township with a single 审批人 who registered the case: the county officer may confirm (only then), the
registrar is told what to do, and a deputy named by an explicit grant may decide."""
import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role, User
from cases.dibao import workflow
from cases.models import Application
from tests.cases.dibao_helpers import poor_household, seed_standards, to_awaiting_decision


@pytest.fixture
def waiting(users, monkeypatch):
    seed_standards()
    leader = users["zhandian_shenpi"]  # the only 审批人 of 詹店镇 in the demo users
    app = workflow.application_accept(actor=leader, household=poor_household(), reason="申请低保")
    return to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)


def test_registrar_is_told_what_to_do(users, waiting):
    with pytest.raises(ValidationError) as exc:
        workflow.transition(actor=users["zhandian_shenpi"], application=waiting, action="confirm")
    assert "经办与审批分离" in str(exc.value) and "县民政局" in str(exc.value)


def test_county_confirms_when_the_township_has_no_other_decider(users, waiting, client):
    county = users["wuzhi_minzheng"]
    assert workflow.available_actions(county, waiting) == ["confirm", "refuse"]
    client.force_login(county)
    assert client.get(f"/applications/{waiting.pk}/confirm/").status_code == 200
    workflow.transition(actor=county, application=waiting, action="confirm")
    waiting.refresh_from_db()
    assert waiting.status == Application.Status.CONFIRMED and waiting.decided_by == county
    # another county's officer never could
    assert workflow.available_actions(users["wenxian_minzheng"], waiting) == []


def test_county_cannot_decide_while_another_decider_exists(users, waiting):
    deputy = User.objects.create_user(username="zhandian_shenpi2", password="x-long-password-1",
                                      role=Role.TOWNSHIP_LEADER, region=users["zhandian_shenpi"].region,
                                      full_name="詹店镇审批 副镇长")
    assert workflow.available_actions(users["wuzhi_minzheng"], waiting) == []
    with pytest.raises(ValidationError):
        workflow.transition(actor=users["wuzhi_minzheng"], application=waiting, action="confirm")
    with pytest.raises(ValidationError) as exc:
        workflow.transition(actor=users["zhandian_shenpi"], application=waiting, action="confirm")
    assert "其他审批人" in str(exc.value)
    workflow.transition(actor=deputy, application=waiting, action="confirm")
