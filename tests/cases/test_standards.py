import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.parameters import services as parameter_services
from cases.models import CareStandard, Standard
from cases.standards import selectors as standards
from cases.standards import services as standards_services
from core.models import AuditEvent, Region
from demo import households as demo

D = dt.date


@pytest.fixture
def seeded(users):
    demo.seed_standards()
    return users


def county(code="410823"):
    return Region.objects.get(code=code)


@pytest.mark.django_db
def test_demo_standards_are_labelled_demo(seeded):
    """Issue 4 item 1: seeded standards are demo values and say so."""
    assert Standard.objects.exists() and not Standard.objects.filter(is_demo=False).exists()
    assert not CareStandard.objects.filter(is_demo=False).exists()


@pytest.mark.django_db
def test_new_standard_applies_from_its_date_and_tekun_is_1_3_times(seeded):
    """§2/§3: a 低保标准 applies from its effective date; 特困 basic living = 1.3 × 低保标准 (param)."""
    admin = seeded["shi_admin"]
    rows = standards_services.standard_add(actor=admin, counties=[county()], hukou_type="rural",
                                  effective_from=D(2027, 1, 1), dibao_monthly=Decimal("560.00"), note="焦民〔2026〕20号")
    assert len(rows) == 1 and rows[0].is_demo is False and rows[0].created_by == admin
    assert standards.dibao_standard("410823", "rural", D(2026, 12, 31)) == Decimal("520")
    assert standards.dibao_standard("410823", "rural", D(2027, 1, 1)) == Decimal("560.00")
    assert standards.tekun_basic_living("410823", "rural", D(2027, 1, 1)) == Decimal("728.00")
    parameter_services.parameter_set(actor=admin, key="tekun.basic_living_ratio", value="1.5", effective_from=D(2027, 7, 1),
                         reason="提标")
    assert standards.tekun_basic_living("410823", "rural", D(2027, 7, 1)) == Decimal("840.00")
    event = AuditEvent.objects.get(action="standard.add")
    assert event.county_code == "410823" and event.reason == "焦民〔2026〕20号"
    assert event.before == {"dibao_monthly": "520.00", "effective_from": "2026-01-01"}


@pytest.mark.django_db
def test_standard_for_several_counties_is_all_or_nothing(seeded):
    """A city-wide change covers every selected county in one transaction; a clash saves nothing."""
    admin = seeded["shi_admin"]
    standards_services.standard_add(actor=admin, counties=[county("410825")], hukou_type="urban", effective_from=D(2027, 1, 1),
                           dibao_monthly=Decimal("700"), note="a")
    with pytest.raises(ValidationError, match="已有记录"):
        standards_services.standard_add(actor=admin, counties=[county("410823"), county("410825")], hukou_type="urban",
                               effective_from=D(2027, 1, 1), dibao_monthly=Decimal("710"), note="b")
    assert not Standard.objects.filter(county_id="410823", effective_from=D(2027, 1, 1)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("changes, message", [
    ({"note": " "}, "请填写文件依据"),
    ({"dibao_monthly": Decimal("0")}, "须大于 0"),
    ({"counties": []}, "请至少选择一个县"),
    ({"counties": "township"}, "不是县级行政区划"),
])
def test_standard_add_refuses_bad_input_in_chinese(seeded, changes, message):
    kwargs = {"actor": seeded["shi_admin"], "counties": [county()], "hukou_type": "urban",
              "effective_from": D(2027, 1, 1), "dibao_monthly": Decimal("700"), "note": "a"}
    kwargs.update(changes)
    if kwargs["counties"] == "township":
        kwargs["counties"] = [Region.objects.get(code="410823101")]
    with pytest.raises(ValidationError) as exc:
        standards_services.standard_add(**kwargs)
    assert message in str(exc.value)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["shi_xitong", "wuzhi_minzheng", "zhandian_shenpi"])
def test_only_city_administrator_sets_standards(seeded, username):
    """§0: standards are the city administrator's (not even the system administrator's)."""
    with pytest.raises(ValidationError, match="只有市级管理员"):
        standards_services.standard_add(actor=seeded[username], counties=[county()], hukou_type="urban",
                               effective_from=D(2027, 1, 1), dibao_monthly=Decimal("700"), note="a")
    with pytest.raises(ValidationError, match="只有市级管理员"):
        standards_services.care_standard_add(actor=seeded[username], counties=[county()], level="semi", form="dispersed",
                                    effective_from=D(2027, 1, 1), monthly_amount=Decimal("450"), reason="a")


@pytest.mark.django_db
def test_care_standard_by_level_and_form(seeded):
    """§3: care standards by self-care level and centralised/dispersed, from a date, audited."""
    standards_services.care_standard_add(actor=seeded["shi_admin"], counties=[county()], level="semi", form="dispersed",
                                effective_from=D(2027, 1, 1), monthly_amount=Decimal("450"), reason="提标")
    assert standards.care_standard("410823", "semi", "dispersed", D(2026, 12, 31)) == Decimal("400")
    assert standards.care_standard("410823", "semi", "dispersed", D(2027, 1, 1)) == Decimal("450")
    assert standards.care_standard("410823", "semi", "central", D(2027, 1, 1)) == Decimal("600")
    assert AuditEvent.objects.filter(action="care_standard.add", reason="提标").count() == 1


# --- pages -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_standard_page_shows_demo_label_and_tekun_beside(client, seeded):
    client.force_login(seeded["shi_admin"])
    body = client.get("/standards/?on=2026-06-01").content.decode()
    assert "演示数值" in body and "不是正式公布的标准" in body
    assert "650.00" in body and "845.00" in body  # urban 650 × 1.3
    assert "520.00" in body and "676.00" in body  # rural 520 × 1.3
    assert "新增低保标准" in body


@pytest.mark.django_db
def test_standard_page_query_count_does_not_grow_with_counties(client, seeded, django_assert_max_num_queries):
    client.force_login(seeded["shi_admin"])
    with django_assert_max_num_queries(16):
        assert client.get("/standards/").status_code == 200


@pytest.mark.django_db
def test_standard_pages_permissions(client, seeded):
    """§0: county officers and township staff may read the standards; only the city administrator adds; others 404."""
    client.force_login(seeded["wuzhi_minzheng"])
    body = client.get("/standards/").content.decode()
    assert "新增低保标准" not in body
    assert client.get("/standards/new/").status_code == 404
    assert client.post("/standards/care/new/", {}).status_code == 404
    client.force_login(seeded["shi_xitong"])
    assert client.get("/standards/new/").status_code == 404
    for username in ("heying_cun", "wuzhi_caizheng", "shi_shenji"):
        client.force_login(seeded[username])
        assert client.get("/standards/").status_code == 404


@pytest.mark.django_db
def test_standard_form_adds_for_selected_counties(client, seeded):
    client.force_login(seeded["shi_admin"])
    resp = client.post("/standards/new/", {"counties": ["410823", "410825"], "hukou_type": "urban",
                                           "effective_from": "2027-01-01", "dibao_monthly": "700.50",
                                           "note": "焦民〔2026〕20号"})
    assert resp.status_code == 302
    assert Standard.objects.filter(effective_from=D(2027, 1, 1), dibao_monthly=Decimal("700.50")).count() == 2
    body = client.post("/standards/new/", {"hukou_type": "urban", "effective_from": "2027-13-01",
                                           "dibao_monthly": "-1", "note": ""}).content.decode()
    assert "请至少选择一个县" in body and "日期格式不正确" in body and "低保标准须大于 0 元" in body
    assert "请填写文件依据" in body
    resp = client.post("/standards/care/new/", {"counties": ["410823"], "form": "central", "level": "total",
                                                "effective_from": "2027-01-01", "monthly_amount": "1300",
                                                "reason": "提标"})
    assert resp.status_code == 302
    assert standards.care_standard("410823", "total", "central", D(2027, 1, 1)) == Decimal("1300")
