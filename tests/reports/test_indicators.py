"""Each indicator of the three aims, built to fail on purpose: the failure is made, the number moves, the case
is in the drill-down list — and out of scope it is neither counted nor listed."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import Complaint, SpotCheck, SpotCheckItem
from cases.models import (
    Application,
    CareAgreement,
    CareVisit,
    Entitlement,
    Notice,
    Recheck,
    RelativeLink,
    TekunProfile,
    TemporaryAid,
)
from core.models import Region
from funds.models import PaymentBatch, PaymentLine
from monitoring.models import Clue, ComparisonRun
from reports import registry, selectors
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
MONTH = dt.date(2026, 11, 1)  # a closed month: looked at on its last day
HEYING = "410823101200"  # 何营东村, 詹店镇, 武陟县
WENXIAN_VILLAGE = "410825101201"


def tz(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def value(user, code, region="410823", month=MONTH):
    ind = registry.get(user, code)
    assert ind is not None, f"{user.username} does not see {code}"
    return selectors.measure(user, ind, Region.objects.get(code=region), month).value


def listed(user, code, region="410823", month=MONTH):
    ind = registry.get(user, code)
    return list(selectors.rows(user=user, indicator=ind, region=Region.objects.get(code=region), month=month))


def entitled(village=HEYING, category="dibao", amount="500.00", persons=1):
    head = PersonFactory(household__village=village)
    h = head.household
    ent = Entitlement.objects.create(household=h, category=category, persons_covered=persons,
                                     monthly_amount=Decimal(amount), start_month=dt.date(2026, 1, 1),
                                     county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    return head, ent


def batch(county="410823", status=PaymentBatch.Status.CLOSED, **stamps):
    defaults = {"funds_requested_at": tz(dt.date(2026, 11, 3)), "transferred_at": tz(dt.date(2026, 11, 6)),
                "result_imported_at": tz(dt.date(2026, 11, 9))}
    defaults.update(stamps)
    return PaymentBatch.objects.create(county_id=county, month=MONTH, status=status, **defaults)


def line(b, ent, no=1, amount=None, persons=None, **kw):
    h = ent.household
    return PaymentLine.objects.create(
        batch=b, line_no=no, month=MONTH, household=h, entitlement=ent, head_name=h.head_name, category=ent.category,
        persons_covered=persons or ent.persons_covered, amount=amount or ent.monthly_amount,
        county_id=h.county_id, township_id=h.township_id, village_id=h.village_id, **kw)


# --- 兜好底: payments -----------------------------------------------------------------------------------------

def test_batch_late_counts_each_missed_deadline(users):
    officer = users["wuzhi_minzheng"]
    assert value(officer, "batch_late") == 3  # no batch at all: all three steps overdue
    b = batch()
    assert value(officer, "batch_late") == 0
    PaymentBatch.objects.filter(pk=b.pk).update(transferred_at=tz(dt.date(2026, 11, 12)))  # finance late (8th)
    assert value(officer, "batch_late") == 1
    rows = listed(officer, "batch_late")
    assert rows[0]["step"] == "财政拨付" and rows[0]["state"] == "逾期完成"


def test_bank_failed_line_counts_until_reissued(users):
    officer = users["wuzhi_minzheng"]
    _, ent = entitled()
    b = batch()
    failed = line(b, ent, bank_status=PaymentLine.BankStatus.FAILED, bank_reason="卡号已注销")
    assert value(officer, "bank_failed") == 1
    assert listed(officer, "bank_failed") == [failed]
    assert value(users["wenxian_minzheng"], "bank_failed", region="410825") == 0
    PaymentLine.objects.filter(pk=failed.pk).update(bank_status=PaymentLine.BankStatus.REISSUED, claims_slot=False)
    assert value(officer, "bank_failed") == 0


def test_missed_payment_when_batch_finalised_without_the_household(users):
    officer = users["wuzhi_minzheng"]
    head, ent = entitled()
    _, paid = entitled()
    b = batch(status=PaymentBatch.Status.DRAFT)
    line(b, paid)
    assert value(officer, "missed") == 0  # a draft: nothing is missed yet
    PaymentBatch.objects.filter(pk=b.pk).update(status=PaymentBatch.Status.FINALISED)
    assert value(officer, "missed") == 1
    assert [e.pk for e in listed(officer, "missed")] == [ent.pk]
    line(b, ent, no=2, excluded=True, exclusion_reason="暂停发放", claims_slot=False)  # excluded with a reason
    assert value(officer, "missed") == 0


def test_missed_payment_a_cancelled_batch_pays_nothing(users):
    """漏发 reads the line holding the month's slot (through its unique index) or an excluded line of a live batch:
    a line of a cancelled batch (its slot given up) does not hide the miss; the supplementary batch's line does."""
    officer = users["wuzhi_minzheng"]
    _, ent = entitled()
    cancelled = batch(status=PaymentBatch.Status.CANCELLED)
    line(cancelled, ent, claims_slot=False)
    line(cancelled, ent, no=2, excluded=True, exclusion_reason="暂停发放", claims_slot=False, basis="")
    regular = batch(status=PaymentBatch.Status.FINALISED, sequence=2)
    assert value(officer, "missed") == 1
    assert [e.pk for e in listed(officer, "missed")] == [ent.pk]
    line(regular, ent)  # paid in the live batch: holds the slot
    assert value(officer, "missed") == 0


def test_short_payment(users):
    officer = users["wuzhi_minzheng"]
    _, ent = entitled(amount="500.00")
    b = batch()
    line(b, ent, amount=Decimal("450.00"))
    assert value(officer, "short") == 1
    assert listed(officer, "short")[0].entitled == Decimal("500.00")
    Entitlement.objects.filter(pk=ent.pk).update(monthly_amount=Decimal("450.00"))  # the amount in force
    assert value(officer, "short") == 0


def test_paid_after_a_recorded_death(users):
    officer = users["wuzhi_minzheng"]
    head, ent = entitled(persons=2)
    PersonFactory(household=head.household, relationship="spouse")
    b = batch()
    line(b, ent)
    assert value(officer, "paid_after_death") == 0
    head.deceased_on = dt.date(2026, 10, 20)
    head.save(update_fields=["deceased_on"])
    assert value(officer, "paid_after_death") == 1
    assert value(officer, "paid_after_death", month=dt.date(2026, 10, 1)) == 0  # died during October


# --- applications, notices, paperwork, re-checks ------------------------------------------------------------

def application(users, *, accepted, deadline, status="investigating", decided=None, village=HEYING):
    h = PersonFactory(household__village=village).household
    return Application.objects.create(kind="dibao", household=h, handling_township_id=h.township_id,
                                      handling_county_id=h.county_id, reason="申请", accepted_on=accepted,
                                      deadline=deadline, status=status, decided_on=decided,
                                      registered_by=users["zhandian_jingban"], county_id=h.county_id,
                                      township_id=h.township_id, village_id=h.village_id)


def test_applications_beyond_their_time_limit(users):
    caseworker = users["zhandian_jingban"]
    assert value(caseworker, "applications_late", "410823101") == 0
    late = application(users, accepted=dt.date(2026, 10, 1), deadline=dt.date(2026, 11, 4))
    application(users, accepted=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 5))  # still within its limit
    assert value(caseworker, "applications_late", "410823101") == 1
    assert listed(caseworker, "applications_late", "410823101") == [late]
    # another township's caseworker neither counts nor sees it
    assert value(users["xitao_jingban"], "applications_late", "410823102") == 0
    # decided after its limit, in the month: still a late case that month
    Application.objects.filter(pk=late.pk).update(status="refused", decided_on=dt.date(2026, 11, 20))
    assert value(caseworker, "applications_late", "410823101") == 1
    assert value(caseworker, "applications_late", "410823101", month=dt.date(2026, 12, 1)) == 0


def test_notices_paperwork_and_rechecks_overdue(users):
    officer = users["wuzhi_minzheng"]
    head, ent = entitled()
    h = head.household
    place = {"county_id": h.county_id, "township_id": h.township_id, "village_id": h.village_id}
    Notice.objects.create(household=h, kind="refusal", category="低保", issuer_name="詹店镇人民政府", addressee="户主",
                          decided_on=dt.date(2026, 11, 2), due_by=dt.date(2026, 11, 5), reasons="收入超标", **place)
    assert value(officer, "notices_late") == 1
    TemporaryAid.objects.create(household=h, aid_type="emergency", track="fast", cause="火灾", amount=Decimal("2000"),
                                status=TemporaryAid.Status.PAID_PENDING_PAPERWORK, granted_on=dt.date(2026, 11, 2),
                                paperwork_due=dt.date(2026, 11, 9), handling_township_id=h.township_id,
                                **place)
    assert value(officer, "paperwork_late") == 1
    Recheck.objects.create(entitlement=ent, household=h, month=MONTH, due_on=dt.date(2026, 11, 10), **place)
    assert value(officer, "rechecks_late") == 1
    Recheck.objects.filter(household=h).update(outcome="continue", done_at=tz(dt.date(2026, 11, 8)))
    assert value(officer, "rechecks_late") == 0


# --- 兜牢底: 特困 care, discovery, refusals, complaints -------------------------------------------------------

def test_tekun_without_agreement_or_visit(users):
    caseworker = users["zhandian_jingban"]
    head = PersonFactory(household__village=HEYING)
    h = head.household
    profile = TekunProfile.objects.create(person=head, household=h, status=TekunProfile.Status.SUPPORTED,
                                          form=TekunProfile.Form.DISPERSED, created_at=tz(dt.date(2026, 6, 1)),
                                          county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    assert value(caseworker, "tekun_no_agreement", "410823101") == 1
    assert value(caseworker, "tekun_not_visited", "410823101") == 1
    CareAgreement.objects.create(profile=profile, carer_name="邻居甲", carer_relation="邻居", duties="日常照料",
                                 monthly_fee=Decimal("300"), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                                 signed_on=dt.date(2026, 1, 1), created_by=caseworker)
    CareVisit.objects.create(profile=profile, visited_on=dt.date(2026, 11, 20), visitor=caseworker, findings="良好")
    assert value(caseworker, "tekun_no_agreement", "410823101") == 0
    assert value(caseworker, "tekun_not_visited", "410823101") == 0
    # the visit was in November: October's month end had none within 30 days
    assert value(caseworker, "tekun_not_visited", "410823101", month=dt.date(2026, 10, 1)) == 1


def run(users):
    return ComparisonRun.objects.create(county_id="410823", source="death", period=MONTH, file_name="x.xlsx",
                                        file_sha256="0" * 64, uploaded_by=users["wuzhi_minzheng"])


def clue(users, run_, kind, *, due, status="open", village=HEYING, **kw):
    person = PersonFactory(household__village=village)
    h = person.household
    return Clue.objects.create(run=run_, source="death", kind=kind, fact_key=f"k{person.pk}", person=person,
                               household=h, summary="比对发现", due_date=due, status=status,
                               created_at=tz(dt.date(2026, 11, 1)), county_id=h.county_id, township_id=h.township_id,
                               village_id=h.village_id, **kw)


def test_clues_not_verified_in_time(users):
    officer = users["wuzhi_minzheng"]
    r = run(users)
    clue(users, r, Clue.Kind.DISCOVERY, due=dt.date(2026, 11, 15))
    clue(users, r, Clue.Kind.INCOME, due=dt.date(2026, 11, 15))
    clue(users, r, Clue.Kind.INCOME, due=dt.date(2026, 12, 15))  # not due yet
    assert value(officer, "discovery_late") == 1
    assert value(officer, "clues_late") == 1
    assert value(users["wenxian_minzheng"], "clues_late", "410825") == 0


def test_confirmed_clue_whose_recheck_is_late(users):
    officer = users["wuzhi_minzheng"]
    r = run(users)
    c = clue(users, r, Clue.Kind.INCOME, due=dt.date(2026, 11, 15), status=Clue.Status.CONFIRMED,
             followup=Clue.FollowUp.RECHECK, finding="收入属实", closed_at=tz(dt.date(2026, 11, 3)))
    h = c.household
    ent = Entitlement.objects.create(household=h, category="dibao", persons_covered=1, monthly_amount="300.00",
                                     start_month=dt.date(2026, 1, 1), county_id=h.county_id,
                                     township_id=h.township_id, village_id=h.village_id)
    rc = Recheck.objects.create(entitlement=ent, household=h, month=MONTH, due_on=dt.date(2026, 11, 3),
                                county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    assert value(officer, "confirmed_recheck_late") == 1
    Recheck.objects.filter(pk=rc.pk).update(outcome="exit", done_at=tz(dt.date(2026, 11, 10)))
    assert value(officer, "confirmed_recheck_late") == 0


def spotcheck(users, items):
    sc = SpotCheck.objects.create(county_id="410823", month=MONTH, seed=1, ratio=Decimal("0.30"),
                                  relative_ratio=Decimal("0.60"), population=len(items),
                                  created_by=users["wuzhi_choucha"])
    for app, decision, finding in items:
        SpotCheckItem.objects.create(spot_check=sc, application=app, county_id="410823",
                                     township_id=app.handling_township_id, stratum="general", decision=decision,
                                     finding=finding, finding_reason="理由" if finding not in ("", "correct") else "")
    return sc


def test_spot_checks_wrong_refusals_error_rate_and_coverage(users):
    reviewer = users["wuzhi_choucha"]
    decided = [application(users, accepted=dt.date(2026, 10, 10), deadline=dt.date(2026, 11, 30), status="refused",
                           decided=dt.date(2026, 11, 5)) for _ in range(4)]
    assert value(reviewer, "spotcheck_coverage") == 0
    spotcheck(users, [(decided[0], "refused", "wrong"), (decided[1], "refused", "correct")])
    assert value(reviewer, "refusals_wrong") == 1
    assert value(reviewer, "spotcheck_error_rate") == Decimal("50.0")
    assert value(reviewer, "spotcheck_coverage") == Decimal("50.0")
    assert len(listed(reviewer, "spotcheck_coverage")) == 2  # the two decisions not drawn
    cell = selectors.measure(reviewer, registry.get(reviewer, "spotcheck_error_rate"),
                             Region.objects.get(code="410823"), MONTH)
    assert cell.status == "red"  # 50 % against a 5 % target


def test_complaints_overdue_and_missed(users):
    officer = users["wuzhi_minzheng"]
    Complaint.objects.create(number="TS2026-001", source="hotline", received_on=dt.date(2026, 11, 2),
                             complainant_name="投诉人", category=Complaint.Category.MISSED, summary="应保未保",
                             content="反映", county_id="410823", township_id="410823101",
                             due_on=dt.date(2026, 11, 20), created_by=officer)
    assert value(officer, "complaints_late") == 1
    assert value(officer, "complaints_missed") == 1
    Complaint.objects.filter(number="TS2026-001").update(status="closed", closed_on=dt.date(2026, 11, 18))
    assert value(officer, "complaints_late") == 0


def test_relative_case_flagged(users):
    caseworker = users["zhandian_jingban"]
    app = application(users, accepted=dt.date(2026, 11, 3), deadline=dt.date(2026, 12, 8))
    assert value(caseworker, "relative_cases", "410823101") == 0
    member = app.household.members.first()
    RelativeLink.objects.create(id_index=member.id_index, registry_ref="BA-1", staff_name="某干部", relation="子女",
                                county_id="410823")
    assert value(caseworker, "relative_cases", "410823101") == 1
    cell = selectors.measure(caseworker, registry.get(caseworker, "relative_cases"),
                             Region.objects.get(code="410823101"), MONTH)
    assert cell.status == "info" and cell.target is None


def test_every_indicator_has_a_definition_a_target_parameter_and_columns():
    from core import params

    inds = registry.indicators()
    assert len({i.code for i in inds}) == len(inds)
    for i in inds:
        assert i.definition and i.columns and i.aim in ("laodi", "zhundi", "haodi")
        if i.target is not None:
            assert i.param_key in params.REGISTRY


def test_nightly_summary_serves_last_month_and_the_running_month_stays_live(users):
    from reports import services
    from reports.models import IndicatorSnapshot

    officer = users["wuzhi_minzheng"]
    late = application(users, accepted=dt.date(2026, 10, 1), deadline=dt.date(2026, 11, 4))
    today = dt.date(2026, 12, 3)
    assert services.snapshot_build(month=dt.date(2026, 12, 1), today=today) == 0  # running month: never stored
    n = services.snapshot_build(month=MONTH, today=today)
    assert n == len(registry.indicators()) * 12  # the city and its 11 counties
    assert IndicatorSnapshot.objects.get(month=MONTH, region="410823", code="applications_late").value == 1
    assert IndicatorSnapshot.objects.get(month=MONTH, region="410825", code="applications_late").value == 0
    # December's dashboard takes November from the summary; a change to November after the night is not seen
    Application.objects.filter(pk=late.pk).update(deadline=dt.date(2026, 12, 20))
    cells = {c.indicator.code: c for a in selectors.dashboard(user=officer, region=Region.objects.get(code="410823"),
                                                               month=dt.date(2026, 12, 1), today=today)
             for c in a["cells"]}
    assert cells["applications_late"].previous == 1 and cells["applications_late"].value == 0
    # a township has no summary: computed live
    township = {c.indicator.code: c for a in selectors.dashboard(
        user=users["zhandian_jingban"], region=Region.objects.get(code="410823101"), month=dt.date(2026, 12, 1),
        today=today) for c in a["cells"]}
    assert township["applications_late"].previous == 0
    # rebuilding replaces the month's rows
    assert services.snapshot_build(month=MONTH, today=today) == n
    assert IndicatorSnapshot.objects.filter(month=MONTH).count() == n
