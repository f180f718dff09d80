"""特困 applications reuse the 低保 state machine (§3, issue #5); §12 recusal of staff with registered relatives."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit import services as registry
from cases.dibao import rechecks as dibao_rechecks
from cases.dibao import workflow
from cases.models import Entitlement, TekunProfile
from cases.tekun import kinds as tekun_kinds
from cases.tekun import services as tekun
from core.models import Alert, AuditEvent, Region
from tests.cases.dibao_helpers import poor_household, seed_standards, to_awaiting_decision
from tests.factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _standards(db):
    seed_standards()


def _elder():
    birth = dt.date(1940, 6, 1)
    return PersonFactory(household__village="410823101200", id_number=make_id("410823", birth))


def test_tekun_application_confirms_to_the_right_category_and_amount(users, monkeypatch):
    """Confirmation creates a 特困 entitlement = 1.3 × 低保标准 + care standard, and support starts."""
    person = _elder()
    profile = tekun.profile_open(actor=users["zhandian_jingban"], person=person)
    answers = dict(eating=True, dressing=False, transfer=True, toilet=True, walking=False, bathing=False)
    tekun.self_care_assess(actor=users["zhandian_jingban"], profile=profile, assessed_on=dt.date.today(),
                           answers=answers)  # 3 not met: 半失能
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=person.household, kind="tekun",
                                      applicant=person, reason="独居老人无收入")
    app = to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)
    assert app.assessed_eligible and app.monthly_amount == Decimal("676.00") + Decimal("400.00")
    workflow.transition(actor=users["zhandian_shenpi"], application=app, action="confirm")
    ent = Entitlement.objects.get(household=person.household)
    assert (ent.category, ent.persons_covered, ent.monthly_amount) == ("tekun_dispersed", 1, Decimal("1076.00"))
    profile.refresh_from_db()
    assert profile.status == TekunProfile.Status.SUPPORTED


def test_tekun_without_self_care_assessment_is_not_eligible(users):
    person = _elder()
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=person.household, kind="tekun",
                                      applicant=person, reason="独居老人")
    result = tekun_kinds.assess_application(app)
    assert not result.eligible and any("自理能力评估" in r for r in result.reasons)


def _register_relative(users, household, staff_user):
    staff = registry.staff_register(actor=users["wuzhi_minzheng"], name="刘洋", id_number=make_id(),
                                    kind="township", workplace="詹店镇", user=staff_user,
                                    region=Region.objects.get(code="410823101"))
    member = household.members.first()
    registry.relative_add(actor=users["wuzhi_minzheng"], staff=staff, name=member.name,
                          id_number=member.reveal_id_number(), relation="parent")


def test_relative_staff_must_recuse_from_re_check_exit_and_fast_grant(users):
    """§12 回避 covers the whole case, not only the application: a staff member may not re-check or end a
    registered relative's entitlement, nor pay the relative 先行救助 from the reserve fund."""
    from cases.models import Recheck
    from cases.temporary_aid import services as temporary_aid

    hh = poor_household()
    ent = Entitlement.objects.create(household=hh, category="dibao", persons_covered=3,
                                     monthly_amount=Decimal("900.00"), start_month=dt.date(2025, 11, 1),
                                     next_recheck=dt.date(2026, 11, 10), county_id=hh.county_id,
                                     township_id=hh.township_id, village_id=hh.village_id)
    dibao_rechecks.recheck_list_month(month=dt.date(2026, 11, 1))
    recheck = Recheck.objects.get(entitlement=ent)
    temporary_aid.reserve_fund_top_up(actor=users["wuzhi_minzheng"], township=Region.objects.get(code="410823101"),
                                      amount=Decimal("5000.00"), note="拨付")
    _register_relative(users, hh, users["zhandian_jingban"])
    with pytest.raises(ValidationError, match="回避"):
        dibao_rechecks.recheck_complete(actor=users["zhandian_jingban"], recheck=recheck, outcome="adjust",
                                  note="收入下降", new_amount=Decimal("1500.00"))
    with pytest.raises(ValidationError, match="回避"):
        dibao_rechecks.entitlement_end(actor=users["zhandian_jingban"], entitlement=ent, reason="经入户核实已迁出本市")
    _register_relative(users, hh, users["zhandian_shenpi"])
    with pytest.raises(ValidationError, match="回避"):
        temporary_aid.fast_grant(actor=users["zhandian_shenpi"], household=hh, aid_type="emergency",
                                 cause="家中失火", amount=Decimal("2000.00"))
    ent.refresh_from_db()
    assert ent.monthly_amount == Decimal("900.00") and ent.status == "active"


def test_relative_staff_must_recuse_and_application_is_flagged(users, monkeypatch):
    """§12: the related staff member cannot act on the case; the application is flagged for the county."""
    hh = poor_household()
    _register_relative(users, hh, users["zhandian_shenpi"])
    with pytest.raises(ValidationError, match="回避"):
        workflow.application_accept(actor=users["zhandian_shenpi"], household=hh, reason="x")
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="生活困难")
    assert AuditEvent.objects.filter(action="relative.flagged", object_id=str(app.pk)).exists()
    assert Alert.objects.filter(dedupe_key=f"relative-application:{app.pk}", region_code="410823").exists()
    app = to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)
    assert workflow.available_actions(users["zhandian_shenpi"], app) == []
    with pytest.raises(ValidationError, match="回避"):
        workflow.transition(actor=users["zhandian_shenpi"], application=app, action="confirm")
