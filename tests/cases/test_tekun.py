"""§3 特困人员救助供养: eligibility, six-activity self-care levels, institutions, agreements, visits."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.models import CareAgreement, IncomeItem, Institution, SelfCareLevel, TekunProfile, self_care_level
from cases.tekun import eligibility as tekun_eligibility
from cases.tekun import selectors as tekun_selectors
from cases.tekun import services as tekun
from core.models import Region
from demo.households import seed_standards
from tests.factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _standards(db):
    seed_standards()


def _elder(village="410823101200", age=75, **kw):
    birth = dt.date(TODAY.year - age, 1, 15)
    return PersonFactory(household__village=village, id_number=make_id("410823", birth), **kw)


@pytest.mark.parametrize("not_met,level", [(0, "self_care"), (1, "semi"), (3, "semi"), (4, "total"), (6, "total")])
def test_six_activities_levels(not_met, level):
    """Henan: all six met 全自理; 1-3 not met 半失能; 4 or more 全失能."""
    assert self_care_level(not_met) == level


@pytest.mark.parametrize("age,grade,kind,expected", [
    (60, None, "", "age_60"), (17, None, "", "under_18"), (40, 3, "intellectual", "disability"),
    (40, 3, "mental", "disability"), (40, 2, "physical", "disability"), (40, 3, "physical", ""),
    (40, 1, "visual", "disability"), (40, 2, "visual", ""), (40, None, "", ""), (59, 4, "mental", ""),
])
def test_no_work_capacity_rule(age, grade, kind, expected):
    """§3: age ≥ 60 or < 18; disability grade 1–3 intellectual/mental, 1–2 physical, 1 visual."""
    birth = dt.date(TODAY.year - age - 1, 12, 31) if age else None
    p = PersonFactory(id_number=make_id("410823", birth), disability_grade=grade, disability_type=kind)
    assert tekun_eligibility.incapacity_of(p, TODAY) == expected


def test_income_above_standard_or_able_obligor_makes_ineligible(users):
    p = _elder()
    assert tekun_eligibility.eligibility(p).eligible
    IncomeItem.objects.create(household=p.household, person=p, kind="transfer", amount_12m=Decimal("7200"))
    result = tekun_eligibility.eligibility(p)
    assert not result.eligible and "不低于低保标准" in result.reasons[0]
    IncomeItem.objects.all().delete()
    profile = tekun.profile_open(actor=users["heying_cun"], person=p)
    tekun.obligor_add(actor=users["heying_cun"], profile=profile, name="儿子", relation="子", able_to_support=True)
    p.refresh_from_db()
    assert "义务人" in tekun_eligibility.eligibility(p).reasons[0]
    with pytest.raises(ValidationError):
        tekun.obligor_add(actor=users["heying_cun"], profile=profile, name="女儿", relation="女", able_to_support=False)


def test_assessment_history_and_amount(users):
    """Entitlement = basic living (1.3 × 低保标准) + care standard for level and form."""
    profile = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    answers = {c: True for c in ("eating", "dressing", "transfer", "toilet", "walking", "bathing")}
    tekun.self_care_assess(actor=users["heying_cun"], profile=profile, assessed_on=TODAY - dt.timedelta(days=400),
                           answers=answers)
    answers.update(eating=False, dressing=False, transfer=False, toilet=False)
    tekun.self_care_assess(actor=users["heying_cun"], profile=profile, assessed_on=TODAY, answers=answers)
    profile.refresh_from_db()
    assert profile.self_care_level == SelfCareLevel.TOTAL and profile.assessments.count() == 2
    basic, care = tekun_eligibility.support_amount(profile, TODAY)
    assert basic == Decimal("676.00")  # rural demo standard 520 × 1.3
    assert care == Decimal("800.00")  # demo: 全失能, dispersed
    with pytest.raises(ValidationError, match="六项"):
        tekun.self_care_assess(actor=users["heying_cun"], profile=profile, assessed_on=TODAY, answers={"eating": True})


def test_agreement_coverage_lists_missing_and_ending_soon(users):
    """§3 全员覆盖、不漏一人: every dispersed person without a valid agreement, or ending within 30 days."""
    a = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    b = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    c = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    TekunProfile.objects.update(status="supported")
    sign = dict(carer_name="邻居王", carer_relation="邻居", duties="照料", monthly_fee=Decimal("100"))
    tekun.care_agreement_sign(actor=users["heying_cun"], profile=a, start=TODAY - dt.timedelta(days=10),
                              end=TODAY + dt.timedelta(days=300), signed_on=TODAY - dt.timedelta(days=10), **sign)
    tekun.care_agreement_sign(actor=users["heying_cun"], profile=b, start=TODAY - dt.timedelta(days=300),
                              end=TODAY + dt.timedelta(days=20), signed_on=TODAY - dt.timedelta(days=300), **sign)
    missing = set(tekun_selectors.profiles(user=users["wuzhi_minzheng"], flt="no_agreement").values_list("pk", flat=True))
    ending = set(tekun_selectors.profiles(user=users["wuzhi_minzheng"], flt="agreement_ending").values_list("pk", flat=True))
    assert missing == {c.pk} and ending == {b.pk}
    row = tekun_selectors.coverage(user=users["wuzhi_minzheng"])[0]
    assert (row["total"], row["covered"], row["missing"]) == (3, 2, 1)
    assert tekun_selectors.coverage(user=users["wenxian_minzheng"]) == []
    with pytest.raises(ValidationError):
        tekun.care_agreement_sign(actor=users["heying_cun"], profile=c, start=TODAY, end=TODAY - dt.timedelta(days=1),
                                  signed_on=TODAY, **sign)
    assert not CareAgreement.objects.filter(profile=c).exists()


def test_visits_overdue_after_a_month(users):
    """A dispersed person not visited within 30 days (param) is listed for village, township and county."""
    fresh = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    stale = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    never = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    tekun.visit_log(actor=users["heying_cun"], profile=fresh, visited_on=TODAY - dt.timedelta(days=3), findings="好")
    tekun.visit_log(actor=users["heying_cun"], profile=stale, visited_on=TODAY - dt.timedelta(days=31), findings="好")
    for who in ("heying_cun", "zhandian_jingban", "wuzhi_minzheng"):
        overdue = set(tekun_selectors.profiles(user=users[who], flt="visit_overdue").values_list("pk", flat=True))
        assert overdue == {stale.pk, never.pk}
    with pytest.raises(ValidationError):
        tekun.visit_log(actor=users["heying_cun"], profile=fresh, visited_on=TODAY + dt.timedelta(days=1), findings="x")


def test_visitor_must_be_village_staff_of_the_village(users):
    profile = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    tekun.visitor_assign(actor=users["heying_cun"], profile=profile, visitor=users["heying_cun"])
    with pytest.raises(ValidationError):
        tekun.visitor_assign(actor=users["heying_cun"], profile=profile, visitor=users["zhandian_jingban"])


def test_institution_capacity_and_encouragement(users):
    """§3: elderly/disabled dependent persons are encouraged toward institutions; capacity is respected."""
    inst = Institution.objects.create(name="敬老院", county_id="410823", capacity=1)
    p1 = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    p2 = tekun.profile_open(actor=users["heying_cun"], person=_elder(), can_express_wishes=False)
    assert not tekun_eligibility.encourage_institution(p1, TODAY)  # not assessed as dependent
    assert tekun_eligibility.encourage_institution(p2, TODAY)  # cannot express wishes
    tekun.place_in_institution(actor=users["zhandian_jingban"], profile=p1, institution=inst, reason="本人自愿")
    with pytest.raises(ValidationError, match="床位已满"):
        tekun.place_in_institution(actor=users["zhandian_jingban"], profile=p2, institution=inst, reason="评估后安置")
    with pytest.raises(ValidationError):
        tekun.care_agreement_sign(actor=users["heying_cun"], profile=p1, carer_name="x", carer_relation="x", duties="x",
                                  monthly_fee=Decimal("1"), start=TODAY, end=TODAY, signed_on=TODAY)
    other = Institution.objects.create(name="温县福利中心", county_id="410825", capacity=10)
    with pytest.raises(ValidationError):
        tekun.place_in_institution(actor=users["zhandian_jingban"], profile=p2, institution=other, reason="x")


def test_pages_scope_and_roles(client, users):
    profile = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    other = tekun.profile_open(actor=users["xitao_jingban"], person=_elder(village="410823102200"))
    client.force_login(users["heying_cun"])
    assert client.get(f"/tekun/{profile.pk}/").status_code == 200
    assert client.get(f"/tekun/{other.pk}/").status_code == 404
    client.force_login(users["wuzhi_choucha"])
    assert client.get(f"/tekun/{profile.pk}/").status_code == 200
    resp = client.post(f"/tekun/{profile.pk}/visit/", {"vi-visited_on": str(TODAY), "vi-findings": "x"})
    assert resp.status_code == 404  # the reviewer reads only
    client.force_login(users["wuzhi_caizheng"])
    assert client.get("/tekun/").status_code == 404
    client.force_login(users["heying_cun"])
    resp = client.post(f"/tekun/{profile.pk}/visit/", {"vi-visited_on": str(TODAY), "vi-findings": "身体好"})
    assert resp.status_code == 302
    profile.refresh_from_db()
    assert profile.last_visit_on == TODAY
    assert Region.objects.get(code=profile.village_id).short_name == "何营东村"


def test_api_lists_in_scope_with_filters(client, users):
    a = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    tekun.profile_open(actor=users["xitao_jingban"], person=_elder(village="410823102200"))
    client.force_login(users["heying_cun"])
    data = client.get("/api/v1/tekun/?f=visit_overdue").json()
    assert [r["id"] for r in data["results"]] == [a.pk]
    assert "id_number" not in str(data) and data["results"][0]["id_masked"].count("*") == 8
    client.force_login(users["wuzhi_caizheng"])
    assert client.get("/api/v1/tekun/").status_code == 404


def test_explicit_grant_reaches_tekun_services_like_the_pages(users):
    """§0: a per-object grant lets a township outside the region work on that one profile; nothing else."""
    from accounts.services import object_grant

    profile = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    with pytest.raises(ValidationError, match="管辖范围"):
        tekun.visit_log(actor=users["xitao_jingban"], profile=profile, visited_on=TODAY, findings="探访")
    object_grant(actor=users["wuzhi_minzheng"], user=users["xitao_jingban"], obj=profile, level="change",
                 reason="跨镇协助探访")
    users["xitao_jingban"].__dict__.pop("_grant_cache", None)
    tekun.visit_log(actor=users["xitao_jingban"], profile=profile, visited_on=TODAY, findings="探访")
    other = tekun.profile_open(actor=users["heying_cun"], person=_elder())
    with pytest.raises(ValidationError, match="管辖范围"):
        tekun.visit_log(actor=users["xitao_jingban"], profile=other, visited_on=TODAY, findings="探访")
