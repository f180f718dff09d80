import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.parameters import services
from core import params
from core.models import AuditEvent, Parameter

DOMAIN_PARAMS = [
    # every *(param)* of DOMAIN.md, by section
    "monitoring.comparisons_per_month",  # §1 at least one comparison per month per county
    "dibao.publicity_days", "dibao.notice_workdays", "dibao.process_workdays",
    "dibao.process_workdays_extended", "dibao.employment_cost_rate", "dibao.employment_cost_cap_standards",
    "dibao.rigid_expense_deductible", "dibao.amount_floor", "dibao.recheck_months_stable",
    "dibao.recheck_months_unstable", "dibao.phase_out_months",  # §2
    "tekun.basic_living_ratio", "tekun.visit_interval_days",  # §3 (care standards are cases.CareStandard)
    "temp_aid.fast_track_cap", "temp_aid.paperwork_workdays",
    "temp_aid.cap_standard_months",  # §4
    "spotcheck.ratio", "spotcheck.relative_ratio",  # §5
    "price.cpi_trigger", "price.food_cpi_trigger", "price.subsidy_floor",  # §9
    "relatives.reverify_months",  # §12
]


def test_registry_has_every_domain_param_with_its_default():
    """DOMAIN *(param)*: every marked number is registered with the default the specification gives."""
    missing = [k for k in DOMAIN_PARAMS if k not in params.REGISTRY]
    assert missing == []
    defaults = {k: params.REGISTRY[k].default for k in DOMAIN_PARAMS}
    assert defaults["dibao.publicity_days"] == 7
    assert defaults["dibao.notice_workdays"] == 3
    assert (defaults["dibao.process_workdays"], defaults["dibao.process_workdays_extended"]) == (25, 40)
    assert defaults["dibao.employment_cost_rate"] == Decimal("0.30")
    assert defaults["dibao.phase_out_months"] == 6
    assert defaults["tekun.basic_living_ratio"] == Decimal("1.3")
    assert defaults["temp_aid.fast_track_cap"] == Decimal("3000")
    assert defaults["temp_aid.paperwork_workdays"] == 5
    assert (defaults["spotcheck.ratio"], defaults["spotcheck.relative_ratio"]) == (Decimal("0.30"), Decimal("0.60"))
    assert (defaults["price.cpi_trigger"], defaults["price.food_cpi_trigger"]) == (Decimal("3.5"), Decimal("6.0"))
    assert defaults["price.subsidy_floor"] == Decimal("10")
    for key in params.REGISTRY:
        params.validate(key, params.REGISTRY[key].default)  # every default passes its own validation
        assert params.area_of(key) != "其他", key


@pytest.mark.django_db
def test_parameter_applies_from_its_effective_date_and_is_audited(users):
    """§ params: a change applies from the stated date (not before) and is recorded in the audit trail."""
    admin = users["shi_admin"]
    services.parameter_set(actor=admin, key="dibao.publicity_days", value="10", effective_from=dt.date(2027, 1, 1),
                           reason="焦民〔2026〕9号")
    assert params.get("dibao.publicity_days", dt.date(2026, 12, 31)) == 7
    assert params.get("dibao.publicity_days", dt.date(2027, 1, 1)) == 10
    event = AuditEvent.objects.get(action="parameter.set")
    assert event.actor == admin and event.reason == "焦民〔2026〕9号"
    assert event.before == {"value": "7"} and event.after["value"] == "10"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["wuzhi_minzheng", "zhandian_jingban", "shi_shenji", "wuzhi_caizheng"])
def test_only_params_change_roles_may_set_a_parameter(users, username):
    """§0 roles: parameters are the city administrator's; others are refused in Chinese and nothing is saved."""
    with pytest.raises(ValidationError, match="只有市级管理员"):
        services.parameter_set(actor=users[username], key="dibao.publicity_days", value="10",
                               effective_from=dt.date(2027, 1, 1), reason="x")
    assert not Parameter.objects.exists()


@pytest.mark.parametrize("key, raw, message", [
    ("dibao.publicity_days", "七", "须为整数"),
    ("dibao.publicity_days", "7.5", "须为整数"),
    ("dibao.publicity_days", "0", "不能小于 1"),
    ("dibao.phase_out_months", "7", "不能大于 6"),  # §2 渐退期 1–6 months
    ("tekun.basic_living_ratio", "1.2", "不能小于 1.3"),  # §3 ≥ 1.3 × 低保标准
    ("spotcheck.ratio", "30", "不能大于 1"),  # a share, not a percentage
    ("dibao.amount_floor", "abc", "须为数字"),
    ("dibao.amount_floor", "NaN", "须为数字"),
    ("dibao.rigid_expense_deductible", "maybe", "只能填"),
    ("price.subsidy_categories", "dibao,foo", "不是有效的救助类别代码"),
])
def test_parameter_validation_messages_are_chinese(key, raw, message):
    """§ params: bad values are refused with a Chinese reason."""
    with pytest.raises(ValidationError) as exc:
        params.validate(key, raw)
    assert message in exc.value.messages[0]


def test_parameter_validation_accepts_good_values():
    assert params.validate("spotcheck.ratio", " 0.35 ") == Decimal("0.35")
    assert params.validate("dibao.rigid_expense_deductible", "否") is False
    assert params.display("spotcheck.ratio", Decimal("0.35")) == "35%"
    assert params.display("dibao.amount_floor", Decimal("40")) == "40.00 元"
    assert params.display("dibao.publicity_days", 7) == "7 天"


@pytest.mark.django_db
def test_param_list_query_count_is_constant(client, users, django_assert_max_num_queries):
    """The parameter page reads all values in one query, however many parameters have a history."""
    for key in ("dibao.publicity_days", "dibao.amount_floor", "spotcheck.ratio"):
        services.parameter_set(actor=users["shi_admin"], key=key, value=params.REGISTRY[key].default,
                               effective_from=dt.date(2026, 1, 1), reason="核定")
    client.force_login(users["shi_admin"])
    with django_assert_max_num_queries(8):
        assert client.get("/params/").status_code == 200


@pytest.mark.django_db
def test_overview_shows_value_in_force_upcoming_and_history(users):
    admin = users["shi_admin"]
    services.parameter_set(actor=admin, key="dibao.amount_floor", value="40", effective_from=dt.date(2026, 1, 1),
                           reason="a")
    services.parameter_set(actor=admin, key="dibao.amount_floor", value="50", effective_from=dt.date(2027, 1, 1),
                           reason="b")
    row = next(r for r in params.overview(dt.date(2026, 6, 1)) if r.key == "dibao.amount_floor")
    assert row.value == Decimal("40") and row.since == dt.date(2026, 1, 1)
    assert [(p.effective_from, p.value_display) for p in row.upcoming] == [(dt.date(2027, 1, 1), "50.00 元")]
    assert [p.reason for p in row.history] == ["a"]


# --- pages -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_param_pages_permissions(client, users):
    """§0: the city administrator views and changes; county officers view only; village staff get 404."""
    client.force_login(users["shi_admin"])
    page = client.get("/params/")
    assert page.status_code == 200 and "公示期" in page.content.decode() and "调整" in page.content.decode()
    assert client.get("/params/dibao.publicity_days/").status_code == 200
    assert client.get("/params/no.such.key/").status_code == 404

    client.force_login(users["wuzhi_minzheng"])
    page = client.get("/params/")
    assert page.status_code == 200 and "/params/dibao.publicity_days/" not in page.content.decode()
    assert client.get("/params/dibao.publicity_days/").status_code == 404
    assert client.post("/params/dibao.publicity_days/", {"value": "9"}).status_code == 404

    for username in ("heying_cun", "wuzhi_caizheng", "shi_anquan"):
        client.force_login(users[username])
        assert client.get("/params/").status_code == 404
    client.logout()
    assert client.get("/params/").status_code == 302


@pytest.mark.django_db
def test_param_form_sets_value_from_date_with_reason(client, users):
    """§ params: the form saves an audited change from a stated date."""
    from django.utils import timezone

    client.force_login(users["shi_admin"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    resp = client.post("/params/dibao.publicity_days/", {"value": "10", "effective_from": tomorrow.isoformat(),
                                                         "reason": "试行延长公示期"})
    assert resp.status_code == 302
    assert params.get("dibao.publicity_days", tomorrow) == 10
    assert params.get("dibao.publicity_days", timezone.localdate()) == 7
    page = client.get("/params/").content.decode()
    assert "待生效" in page and "10 天" in page


@pytest.mark.django_db
def test_param_form_refuses_past_date_missing_reason_and_bad_value(client, users):
    """§ params: Chinese validation — no backdating from the page, a reason is required, values are services."""
    from django.utils import timezone

    client.force_login(users["shi_admin"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    body = client.post("/params/dibao.publicity_days/", {"value": "abc", "effective_from": yesterday.isoformat(),
                                                         "reason": ""}).content.decode()
    assert "须为整数" in body
    assert "生效日期不能早于今天" in body
    assert "调整参数必须说明原因" in body
    assert not Parameter.objects.exists()


@pytest.mark.django_db
def test_upcoming_change_can_be_withdrawn_but_history_cannot(client, users, monkeypatch):
    """§ params: a change not yet in force may be withdrawn (audited); a value that has been in force stays."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 29))
    admin = users["shi_admin"]
    services.parameter_set(actor=admin, key="dibao.publicity_days", value="9", effective_from=dt.date(2026, 1, 1),
                           reason="a")
    services.parameter_set(actor=admin, key="dibao.publicity_days", value="10", effective_from=dt.date(2027, 1, 1),
                           reason="b")
    client.force_login(admin)
    url = "/params/dibao.publicity_days/cancel/"
    assert client.post(url, {"effective_from": "2027-01-01", "reason": ""}).status_code == 302
    assert Parameter.objects.filter(effective_from=dt.date(2027, 1, 1)).exists()  # no reason: refused
    client.post(url, {"effective_from": "2027-01-01", "reason": "文件暂缓执行"})
    assert params.get("dibao.publicity_days", dt.date(2027, 6, 1)) == 9
    assert AuditEvent.objects.get(action="parameter.cancel").reason == "文件暂缓执行"
    with pytest.raises(ValidationError, match="已经生效"):
        services.parameter_cancel(actor=admin, key="dibao.publicity_days", effective_from=dt.date(2026, 1, 1),
                                  reason="x")
    client.force_login(users["wuzhi_minzheng"])
    assert client.post(url, {"effective_from": "2026-01-01", "reason": "x"}).status_code == 404
    assert Parameter.objects.filter(effective_from=dt.date(2026, 1, 1)).exists()


def test_emergency_location_grant_is_one_mechanism_not_a_parameter():
    """§4 急难发生地救助: switched on per county by the audited cases.EmergencyLocationRule (dates, reason),
    not by a parallel parameter that nothing reads."""
    from cases.models import EmergencyLocationRule

    assert "temp_aid.local_grant_counties" not in params.REGISTRY
    assert {f.name for f in EmergencyLocationRule._meta.get_fields()} >= {"county"}
