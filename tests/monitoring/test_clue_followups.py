"""§1/§12-5 follow-ups of a confirmed clue: death → the township ends the entitlement (link from the clue)
and the death hold is released with it; recheck → the entitlement is on this month's re-check worklist."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.dibao import rechecks as workflow
from cases.dibao import selectors as case_selectors
from cases.models import Entitlement, PaymentHold, Recheck
from monitoring import services
from monitoring.models import Clue
from tests.monitoring.helpers import enrolled, upload, xlsx

pytestmark = pytest.mark.django_db
HEAD = ["姓名", "身份证号码", "死亡日期"]


def _death_clue(users, category="dibao"):
    household, person, ent = enrolled(category)
    upload(users["wuzhi_minzheng"], "death_police",
           xlsx([HEAD, [person.name, person.reveal_id_number(), "2026-10-05"]]))
    clue = Clue.objects.get(person=person)
    services.clue_record_finding(actor=users["zhandian_jingban"], clue=clue, confirmed=True,
                                 finding="已核实死亡医学证明", deceased_on=dt.date(2026, 10, 5))
    clue.refresh_from_db()
    return household, ent, clue


def test_confirmed_death_clue_page_links_to_end_each_open_entitlement(client, users):
    """Death clue confirmed (follow-up exit): the clue page offers 办理终止 for each open entitlement."""
    household, ent, clue = _death_clue(users)
    other = Entitlement.objects.create(household=household, county_id=household.county_id,
                                       township_id=household.township_id, village_id=household.village_id,
                                       category="dibao_edge", persons_covered=1, monthly_amount="0.00",
                                       start_month=dt.date(2026, 1, 1), status="ended")
    client.force_login(users["zhandian_jingban"])
    body = client.get(reverse("monitoring:clue_detail", args=[clue.pk])).content.decode()
    assert "办理终止" in body and reverse("cases:entitlement_end", args=[ent.pk]) in body
    assert reverse("cases:entitlement_end", args=[other.pk]) not in body  # already ended
    # a county officer supervises the clue but does not end entitlements: no link
    client.force_login(users["wuzhi_minzheng"])
    body = client.get(reverse("monitoring:clue_detail", args=[clue.pk])).content.decode()
    assert reverse("cases:entitlement_end", args=[ent.pk]) not in body


def test_ending_the_last_entitlement_releases_the_death_hold_in_the_same_transaction(users):
    """Death → exit: entitlement_end releases the household's open death hold, reason 已办理终止."""
    household, ent, clue = _death_clue(users)
    hold = PaymentHold.objects.get(household=household)
    assert hold.released_at is None
    workflow.entitlement_end(actor=users["zhandian_jingban"], entitlement=ent, reason="经核实本人已死亡")
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_reason == "已办理终止"


def test_death_hold_stays_while_another_entitlement_of_the_household_is_open(users):
    """Death → exit: with a second entitlement still open, the hold stays until that one is ended too."""
    household, ent, clue = _death_clue(users)
    second = Entitlement.objects.create(household=household, county_id=household.county_id,
                                        township_id=household.township_id, village_id=household.village_id,
                                        category="tekun_dispersed", persons_covered=1, monthly_amount="700.00",
                                        start_month=dt.date(2026, 1, 1))
    workflow.entitlement_end(actor=users["zhandian_jingban"], entitlement=ent, reason="经核实本人已死亡")
    assert PaymentHold.objects.get(household=household).released_at is None
    workflow.entitlement_end(actor=users["zhandian_jingban"], entitlement=second, reason="经核实本人已死亡")
    assert PaymentHold.objects.get(household=household).released_reason == "已办理终止"


def test_failed_end_releases_nothing(users):
    """Same transaction: an end refused (no reason) leaves the death hold in place."""
    household, ent, clue = _death_clue(users)
    with pytest.raises(ValidationError):
        workflow.entitlement_end(actor=users["zhandian_jingban"], entitlement=ent, reason="")
    assert PaymentHold.objects.get(household=household).released_at is None


def test_ending_without_a_death_hold_touches_no_other_hold(users):
    """Only death holds are released by an exit; a suspension hold stays."""
    household, person, ent = enrolled("dibao")
    from cases.supervision import services as case_services

    hold = case_services.payment_hold_place(actor=users["zhandian_jingban"], household=household, kind="suspension",
                                            reason="外出务工待核实")
    workflow.entitlement_end(actor=users["zhandian_jingban"], entitlement=ent, reason="家庭收入超过标准")
    hold.refresh_from_db()
    assert hold.released_at is None


def test_confirmed_recheck_clue_puts_the_entitlement_on_this_months_worklist(users):
    """Clue confirmed (follow-up recheck) mid-month: the entitlement is on this month's re-check list at once,
    due today — it does not wait for next month's list run on the 1st."""
    _, person, ent = enrolled("dibao")
    upload(users["wuzhi_minzheng"], "vehicle",
           xlsx([["所有人", "身份证号码", "号牌号码"], [person.name, person.reveal_id_number(), "豫H88888"]]))
    clue = Clue.objects.get(person=person)
    today = timezone.localdate()
    assert not Recheck.objects.filter(entitlement=ent).exists()
    services.clue_record_finding(actor=users["zhandian_jingban"], clue=clue, confirmed=True,
                                 finding="入户核实，车辆为本人所有")
    listed = list(case_selectors.recheck_list(user=users["zhandian_jingban"], month=today.replace(day=1),
                                              open_only=True))
    assert [r.entitlement_id for r in listed] == [ent.pk]
    assert listed[0].due_on == today
    # the monthly run does not list it twice
    assert workflow.recheck_list_month(month=today) == 0
    assert Recheck.objects.filter(entitlement=ent).count() == 1


def test_flag_brings_an_already_listed_recheck_forward(users):
    """An entitlement already on the list with a later due date is brought forward, not duplicated."""
    from cases.dibao import rechecks as dibao_rechecks

    _, person, ent = enrolled("dibao")
    today = timezone.localdate()
    ent.next_recheck = today + dt.timedelta(days=20)
    ent.save()
    workflow.recheck_list_month(month=today + dt.timedelta(days=20))
    dibao_rechecks.entitlement_flag_for_recheck(actor=users["zhandian_jingban"], entitlement=ent, reason="线索属实")
    rows = Recheck.objects.filter(entitlement=ent, outcome="")
    assert rows.count() == 1 and rows.get().due_on == today
