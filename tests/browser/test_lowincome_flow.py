"""§1/§2 in the browser: a caseworker enrols a 低保边缘 household (the 低保 procedure, confirmed by the leader) and
then admits one member — a severely disabled son — to 低保 as a 单人户; the rest of the household stays 边缘."""
import datetime as dt
import os
from decimal import Decimal

import pytest

from cases.models import Application, Entitlement
from tests.cases.dibao_helpers import poor_household, seed_standards
from tests.factories import PersonFactory, make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def walk_to_confirmation(cw, leader, app, shot, name):
    """Investigation, joint meeting, publicity (moved back in time), submission, the leader's confirmation."""
    today = dt.date.today().isoformat()
    cw.goto(f"/applications/{app.pk}/")
    cw.click("text=登记入户调查和核对结果")
    cw.fill("#id_investigated_on", today)
    cw.fill("#id_investigator_1", "刘洋")
    cw.fill("#id_investigator_2", "马强")
    cw.fill("#id_findings", "入户查看，家庭情况属实")
    cw.fill("#id_verification_result", "省核对平台：无车辆、无工商登记")
    cw.click("form button.btn-primary")
    cw.wait_for_selector(".st-investigated")
    shot(cw, f"{name}-assessed")
    assert "测算符合条件" in cw.inner_text(".assessment")
    cw.click("text=登记联席会议（集体研究）")
    cw.fill("#id_chair", "王镇长")
    cw.fill("#id_attendees", "王镇长、李书记、刘洋、马强")
    cw.select_option(f"#id_decision_{app.pk}", "approve")
    cw.click("button:has-text('保存会议记录和研究意见')")
    cw.wait_for_selector("text=联席会议纪要")
    Application.objects.filter(pk=app.pk).update(publicity_start=dt.date.today() - dt.timedelta(days=8),
                                                 publicity_end=dt.date.today() - dt.timedelta(days=2))
    cw.goto(f"/applications/{app.pk}/")
    cw.click("text=公示期满，提交审核确认")
    cw.click("form button.btn-primary")
    cw.wait_for_selector(".st-awaiting_decision")
    leader.goto(f"/applications/{app.pk}/")
    leader.click(".action-bar >> text=审核确认")
    leader.click("form button.btn-primary")
    leader.wait_for_selector(".st-confirmed")
    shot(leader, f"{name}-confirmed")


def test_caseworker_enrols_edge_household_and_admits_one_member_alone(login_as, shot):
    seed_standards()
    hh = poor_household(annual_wages=Decimal("40000.00"))  # 4 persons with the son: 703.33/month, edge
    son = PersonFactory(household=hh, relationship="child", name="赵测试", disability_grade=1,
                        disability_type="intellectual", id_number=make_id(hh.county_id, dt.date(1996, 3, 3)))
    cw = login_as("zhandian_jingban")
    leader = login_as("zhandian_shenpi")

    # 低保边缘 enrolment
    cw.goto(f"/households/{hh.pk}/")
    cw.click("text=低保边缘认定")
    assert cw.input_value("#id_kind") == "dibao_edge"
    cw.fill("#id_reason", "户主务工收入略高于低保标准，儿子重度残疾")
    shot(cw, "edge-intake")
    cw.click("button:has-text('受理')")
    cw.wait_for_selector("text=已受理")
    edge_app = Application.objects.get(household=hh, kind="dibao_edge")
    walk_to_confirmation(cw, leader, edge_app, shot, "edge")
    edge = Entitlement.objects.get(household=hh, category="dibao_edge")
    assert edge.persons_covered == 4 and edge.monthly_amount == 0

    # 单人户: the son is admitted to 低保 alone
    cw.goto(f"/households/{hh.pk}/")
    assert "低保边缘" in cw.inner_text(".facts")
    cw.click("text=单人户纳入低保")
    cw.select_option("#id_single_person", str(son.pk))
    cw.fill("#id_reason", "一级智力残疾，申请单人户纳入低保")
    cw.click("button:has-text('受理')")
    cw.wait_for_selector("text=已受理")
    single_app = Application.objects.get(household=hh, kind="dibao")
    assert single_app.single_person_id == son.pk
    walk_to_confirmation(cw, leader, single_app, shot, "single")
    dibao = Entitlement.objects.get(household=hh, category="dibao")
    edge.refresh_from_db()
    assert (dibao.persons_covered, dibao.monthly_amount) == (1, Decimal("520.00"))
    assert edge.status == "active" and edge.persons_covered == 3

    cw.goto(f"/households/{hh.pk}/")
    facts = cw.inner_text(".facts")
    assert "低保边缘" in facts and "低保" in facts
    assert "单人户：赵测试" in cw.inner_text("main")
    shot(cw, "household-two-categories")
    os.makedirs("/tmp/shots-i16", exist_ok=True)
    cw.screenshot(path="/tmp/shots-i16/household-two-categories.png", full_page=True)
