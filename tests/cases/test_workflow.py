"""§2/§5 the application state machine: intake → investigation → (review) → meeting → publicity → decision."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.dibao import deadlines as dibao_deadlines
from cases.dibao import meetings as dibao_meetings
from cases.dibao import workflow
from cases.models import Application, Entitlement, Notice
from core import months, workdays
from core.models import AuditEvent, Region
from tests.cases.dibao_helpers import investigate, meeting, poor_household, seed_standards, to_awaiting_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def hh(users):
    seed_standards()
    return poor_household()


@pytest.fixture
def app(users, hh):
    return workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="户主收入低，子女上学")


def test_accept_sets_deadline_25_workdays_and_timeline(app):
    """§2 time limit: acceptance to decision within 25 working days; the case records who accepted it."""
    assert app.status == Application.Status.ACCEPTED
    assert app.handling_township_id == "410823101"
    assert app.deadline == dibao_deadlines.compute_deadline(app.accepted_on)
    assert app.events.get().action == "accept"
    assert AuditEvent.objects.filter(action="application.accept", object_id=str(app.pk)).exists()


def test_full_path_confirm_creates_entitlement_from_next_month(users, app, monkeypatch):
    """§2 confirmation creates the entitlement from the month after confirmation, amount from the assessment."""
    cw, leader = users["zhandian_jingban"], users["zhandian_shenpi"]
    to_awaiting_decision(cw, app, monkeypatch)
    assert app.status == Application.Status.AWAITING_DECISION
    decided = app.publicity_end + dt.timedelta(days=1)
    workflow.transition(actor=leader, application=app, action="confirm")
    app.refresh_from_db()
    ent = app.entitlement
    assert app.status == Application.Status.CONFIRMED and app.decided_by == leader
    assert ent.category == Entitlement.Category.DIBAO
    assert ent.start_month == months.add_months(decided.replace(day=1), 1)
    # wages 6000 − 30 % employment cost 1800 = 4200; 4200/12/3 = 116.67; (520 − 116.67) × 3 = 1209.99
    assert ent.monthly_amount == Decimal("1209.99") and ent.persons_covered == 3
    assert ent.next_recheck is not None
    labels = list(app.events.values_list("action", flat=True))
    assert labels == ["accept", "record_investigation", "meeting_decide", "close_publicity", "confirm"]


def test_separation_of_duties_registrar_cannot_confirm(users, hh, monkeypatch):
    """§5 the person who registered a case cannot confirm it (the leader registered it here)."""
    leader = users["zhandian_shenpi"]
    app = workflow.application_accept(actor=leader, household=hh, reason="申请低保")
    to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)
    with pytest.raises(ValidationError, match="经办与审批分离"):
        workflow.transition(actor=leader, application=app, action="confirm")
    with pytest.raises(ValidationError, match="经办与审批分离"):
        workflow.transition(actor=leader, application=app, action="refuse", reason="不符合")


def test_caseworker_cannot_confirm(users, app, monkeypatch):
    """§0 role: the township caseworker processes; only the township leader decides."""
    cw = users["zhandian_jingban"]
    to_awaiting_decision(cw, app, monkeypatch)
    with pytest.raises(ValidationError, match="只有乡镇（街道）审批人可以审核确认"):
        workflow.transition(actor=cw, application=app, action="confirm")


def test_leader_cannot_process(users, app):
    with pytest.raises(ValidationError, match="只有乡镇（街道）经办人可以办理此环节"):
        investigate(users["zhandian_shenpi"], app)


def test_other_township_cannot_process(users, app):
    """§0 scope: a caseworker of another township cannot touch the case."""
    with pytest.raises(ValidationError, match="您只能查看，不能办理"):
        investigate(users["xitao_jingban"], app)


def test_buttons_and_services_share_one_rule_for_who_handles_a_case(users, app):
    """accounts.scope.handles: the handling township acts; another township's caseworker sees no button and is
    refused, until the county grants them the case explicitly — then the buttons and the service agree."""
    from accounts.services import object_grant

    xitao = users["xitao_jingban"]
    assert "record_investigation" in workflow.available_actions(users["zhandian_jingban"], app)
    assert workflow.available_actions(xitao, app) == []
    object_grant(actor=users["wuzhi_minzheng"], user=xitao, obj=app, level="change", reason="居住地在西陶镇，协助办理")
    xitao = type(xitao).objects.get(pk=xitao.pk)  # grants are cached per user object
    assert "record_investigation" in workflow.available_actions(xitao, app)
    investigate(xitao, app)
    app.refresh_from_db()
    assert app.status == Application.Status.INVESTIGATED


# Every illegal transition: (action, states it may NOT leave from)
ILLEGAL = [
    (action, state)
    for action, spec in workflow.ACTIONS.items()
    for state in Application.Status.values
    if state not in spec.sources
]


@pytest.mark.parametrize("action,state", ILLEGAL)
def test_every_illegal_transition_is_refused(users, app, action, state):
    """§2 state machine: every move not in ACTIONS[action].sources is refused with a Chinese message."""
    extra = {}
    if state == "confirmed":
        extra["entitlement"] = Entitlement.objects.create(
            household=app.household, category="dibao", persons_covered=1, monthly_amount=Decimal("100"),
            start_month=dt.date(2026, 12, 1), county_id=app.county_id, township_id=app.township_id,
            village_id=app.village_id)
    Application.objects.filter(pk=app.pk).update(status=state, **extra)
    app.refresh_from_db()
    actor = users["zhandian_shenpi"] if workflow.ACTIONS[action].permission == "case.decide" else \
        users["zhandian_jingban"]
    with pytest.raises(ValidationError, match="当前状态为“.*”，不能进行"):
        workflow.transition(actor=actor, application=app, action=action, reason="原因")
    app.refresh_from_db()
    assert app.status == state


def test_unknown_action_refused(users, app):
    with pytest.raises(ValidationError, match="未知的操作"):
        workflow.transition(actor=users["zhandian_jingban"], application=app, action="approve_everything")


def test_investigation_needs_two_distinct_investigators_and_verification(users, app):
    """§2/§12 investigation by two people and the 家庭经济状况核对 result (no inclusion without data check)."""
    cw = users["zhandian_jingban"]
    with pytest.raises(ValidationError, match="两名"):
        investigate(cw, app, investigator_2="")
    with pytest.raises(ValidationError, match="不能是同一人"):
        investigate(cw, app, investigator_2="刘洋")
    with pytest.raises(ValidationError, match="核对结果"):
        investigate(cw, app, verification_result="")
    investigate(cw, app)
    app.refresh_from_db()
    assert app.status == Application.Status.INVESTIGATED
    assert app.assessment["lines"] and app.assessed_eligible is True


def test_objection_in_publicity_returns_to_investigation(users, app):
    """§2 an objection during publicity sends the case back to investigation."""
    cw = users["zhandian_jingban"]
    investigate(cw, app)
    meeting(cw, [(app, "approve", "")])
    app.refresh_from_db()
    assert app.status == Application.Status.PUBLICITY
    assert (app.publicity_end - app.publicity_start).days == 6  # 7 days inclusive
    with pytest.raises(ValidationError, match="必须填写原因"):
        workflow.transition(actor=cw, application=app, action="object")
    workflow.transition(actor=cw, application=app, action="object", reason="村民反映其有营运车辆")
    app.refresh_from_db()
    assert app.status == Application.Status.INVESTIGATING and "营运车辆" in app.objection
    assert app.meeting_id is None


def test_publicity_cannot_close_early(users, app):
    """§2 publicity 7 days: the case cannot go to decision before the publicity ends."""
    cw = users["zhandian_jingban"]
    investigate(cw, app)
    meeting(cw, [(app, "approve", "")])
    with pytest.raises(ValidationError, match="公示尚未期满") as exc:
        workflow.transition(actor=cw, application=app, action="close_publicity")
    # says what happened and what to do: the day from which it can go on, and the objection path
    app.refresh_from_db()
    after = app.publicity_end + dt.timedelta(days=1)
    assert f"请于{after:%Y年%m月%d日}起" in str(exc.value) and "公示异议" in str(exc.value)


def test_meeting_decides_several_cases_and_refusal_gets_notice(users, hh):
    """§5 one joint meeting decides many cases; §2 refusal gives a written notice within 3 working days."""
    cw, leader = users["zhandian_jingban"], users["zhandian_shenpi"]
    other = poor_household()
    a1 = workflow.application_accept(actor=cw, household=hh, reason="困难")
    a2 = workflow.application_accept(actor=cw, household=other, reason="困难")
    investigate(cw, a1)
    investigate(cw, a2)
    m = meeting(cw, [(a1, "approve", ""), (a2, "refuse", "子女有赡养能力")])
    assert set(m.applications.values_list("status", flat=True)) == {"publicity", "awaiting_decision"}
    a2.refresh_from_db()
    with pytest.raises(ValidationError, match="只能作出不予确认"):
        workflow.transition(actor=leader, application=a2, action="confirm")
    workflow.transition(actor=leader, application=a2, action="refuse", reason="子女有赡养能力，家庭收入超标")
    notice = Notice.objects.get(application=a2)
    assert notice.kind == Notice.Kind.REFUSAL and "赡养" in notice.reasons
    assert notice.due_by == workdays.add_workdays(notice.decided_on, 3)
    assert notice.issuer_name == "詹店镇人民政府"


def test_meeting_needs_three_attendees(users, app):
    cw = users["zhandian_jingban"]
    investigate(cw, app)
    with pytest.raises(ValidationError, match="不少于3人"):
        dibao_meetings.meeting_record(actor=cw, township=cw.region, held_on=dt.date.today(), chair="王",
                                attendees="王、李", decisions=[(app, "approve", "")])


def test_extend_once_to_40_workdays_with_reason(users, app):
    """§2 the 25-working-day limit is extendable once to 40 with a reason."""
    cw = users["zhandian_jingban"]
    with pytest.raises(ValidationError, match="必须填写原因"):
        workflow.transition(actor=cw, application=app, action="extend")
    workflow.transition(actor=cw, application=app, action="extend", reason="需跨省核对存款")
    app.refresh_from_db()
    assert app.extended and app.deadline == dibao_deadlines.compute_deadline(app.accepted_on, extended=True)
    with pytest.raises(ValidationError, match="只能延长一次"):
        workflow.transition(actor=cw, application=app, action="extend", reason="再延")


def test_withdraw(users, app):
    cw = users["zhandian_jingban"]
    workflow.transition(actor=cw, application=app, action="withdraw", reason="申请人书面撤回")
    app.refresh_from_db()
    assert app.status == Application.Status.WITHDRAWN


def test_duplicate_open_application_refused(users, app, hh):
    with pytest.raises(ValidationError, match="正在办理中"):
        workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="再申请")


def test_residence_application_handled_by_residence_township_hukou_can_see(users):
    """§2 居住地申请: handled by the residence township; the hukou township still sees it."""
    seed_standards()
    hh = poor_household()  # hukou 詹店镇
    xitao = users["xitao_jingban"]
    with pytest.raises(ValidationError, match="居住证"):
        workflow.application_accept(actor=xitao, household=hh, reason="在西陶镇居住", via_residence=True)
    app = workflow.application_accept(actor=xitao, household=hh, reason="在西陶镇居住", via_residence=True,
                                      residence_permit="豫居410823-2025-0012")
    assert app.handling_township_id == "410823102"
    assert Application.objects.restrict(users["zhandian_jingban"], "case.view").filter(pk=app.pk).exists()
    assert Application.objects.restrict(xitao, "case.view").filter(pk=app.pk).exists()
    assert not Application.objects.restrict(users["xiangyun_jingban"], "case.view").filter(pk=app.pk).exists()
    with pytest.raises(ValidationError, match="您只能查看"):
        investigate(users["zhandian_jingban"], app)
    investigate(xitao, app)


def test_non_residence_other_township_cannot_accept(users):
    seed_standards()
    hh = poor_household()
    with pytest.raises(ValidationError, match="居住地申请"):
        workflow.application_accept(actor=users["xitao_jingban"], household=hh, reason="x",
                                    handling_township=Region.objects.get(pk="410823102"))
    with pytest.raises(ValidationError, match="只有乡镇"):
        workflow.application_accept(actor=users["heying_cun"], household=hh, reason="x")


def test_single_person_household_through_the_workflow(users, monkeypatch):
    """§2 单人户: a 低保边缘 household's severely disabled member is confirmed alone (1 person covered)."""
    from cases.models import IncomeItem
    from tests.factories import PersonFactory, make_id

    seed_standards()
    hh = poor_household(annual_wages=Decimal("60000.00"))  # the household as a whole is above the standard
    disabled = PersonFactory(household=hh, relationship="child", disability_grade=2, disability_type="physical",
                             id_number=make_id(hh.county_id, dt.date(1999, 1, 1)))
    IncomeItem.objects.create(household=hh, person=disabled, kind="transfer", amount_12m=Decimal("1200.00"))
    Entitlement.objects.create(household=hh, category="dibao_edge", persons_covered=4, monthly_amount=0,
                               start_month=dt.date(2026, 1, 1), county_id=hh.county_id, township_id=hh.township_id,
                               village_id=hh.village_id)
    cw = users["zhandian_jingban"]
    app = workflow.application_accept(actor=cw, household=hh, reason="重度残疾，单人户申请", single_person=disabled)
    investigate(cw, app)
    app.refresh_from_db()
    assert app.assessed_eligible and app.persons_covered == 1
    assert app.monthly_amount == Decimal("420.00")  # 520 − 1200/12
    to_awaiting_decision_from_investigated(cw, app, monkeypatch)
    workflow.transition(actor=users["zhandian_shenpi"], application=app, action="confirm")
    app.refresh_from_db()
    assert app.entitlement.persons_covered == 1 and app.entitlement.monthly_amount == Decimal("420.00")


def to_awaiting_decision_from_investigated(cw, app, monkeypatch):
    meeting(cw, [(app, "approve", "")])
    app.refresh_from_db()
    later = app.publicity_end + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: later)
    workflow.transition(actor=cw, application=app, action="close_publicity")
