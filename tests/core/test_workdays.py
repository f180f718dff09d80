import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.parameters import services
from core import workdays
from core.models import AuditEvent, WorkdayOverride

D = dt.date


@pytest.mark.parametrize("day, is_workday", [
    (D(2026, 9, 30), True),  # Wednesday before National Day
    *[(D(2026, 10, n), False) for n in range(1, 8)],  # National Day 2026: Oct 1–7 off (chinesecalendar data)
    (D(2026, 10, 8), True),
    (D(2026, 9, 20), True),  # adjusted working Sunday before National Day
    (D(2026, 10, 10), True),  # adjusted working Saturday after National Day
    (D(2026, 10, 11), False),  # an ordinary Sunday
    (D(2026, 2, 14), True),  # adjusted working Saturday for the Spring Festival
])
@pytest.mark.django_db
def test_national_day_2026_and_adjusted_working_days(day, is_workday):
    """§6/§2 working days: Chinese public holidays and adjusted working weekends from chinesecalendar."""
    assert workdays.is_workday(day) is is_workday


@pytest.mark.django_db
def test_deadline_across_national_day_2026():
    """§2 refusal notice within 3 working days: accepted on 2026-09-30 → due 2026-10-10 (an adjusted Saturday)."""
    assert workdays.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert workdays.last_workday_on_or_before(D(2026, 10, 5)) == D(2026, 9, 30)  # §6 5th on a holiday


@pytest.mark.django_db
def test_2027_without_overrides_counts_weekends_only_and_warns():
    """§6: a year chinesecalendar does not know still computes (weekends only) and warns the administrator."""
    assert 2027 not in workdays.library_years()
    assert not workdays.year_known(2027)
    assert workdays.is_workday(D(2027, 10, 1)) is True  # a Friday: unknown, so counted as a working day
    assert workdays.add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 1)
    assert workdays.warnings_for(D(2027, 10, 1)) == ["2027年的法定节假日尚未录入，期限暂按周末计算，请市级管理员补录"]
    assert workdays.unknown_years(D(2026, 11, 29)) == [2027]


@pytest.mark.django_db
def test_2027_with_city_overrides(users):
    """§6: the city's overrides for 2027 win — holidays are skipped and an adjusted Saturday counts."""
    admin = users["shi_admin"]
    for n in range(1, 8):
        services.workday_override_set(actor=admin, date=D(2027, 10, n), is_workday=False, name="2027年国庆节")
    services.workday_override_set(actor=admin, date=D(2027, 10, 9), is_workday=True, name="国庆节调休上班")
    assert workdays.year_known(2027) and workdays.warnings_for(D(2027, 10, 1)) == []
    assert workdays.is_workday(D(2027, 10, 1)) is False
    assert workdays.add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 8)
    assert workdays.add_workdays(D(2027, 9, 30), 2) == D(2027, 10, 9)  # the adjusted Saturday
    assert workdays.unknown_years(D(2026, 11, 29)) == []
    assert AuditEvent.objects.filter(action="workday.set").count() == 8


@pytest.mark.django_db
def test_override_services_refuse_other_roles_and_weekday_as_adjusted_workday(users):
    """§0: only the city administrator maintains the calendar; a weekday cannot be an 'adjusted working day'."""
    with pytest.raises(ValidationError, match="只有市级管理员"):
        services.workday_override_set(actor=users["wuzhi_minzheng"], date=D(2027, 1, 1), is_workday=False, name="元旦")
    with pytest.raises(ValidationError) as exc:
        services.workday_override_set(actor=users["shi_admin"], date=D(2027, 1, 4), is_workday=True, name="调休")
    assert "本来就是工作日" in str(exc.value)
    with pytest.raises(ValidationError):
        services.workday_override_set(actor=users["shi_admin"], date=D(2027, 1, 1), is_workday=False, name=" ")
    assert not WorkdayOverride.objects.exists()


@pytest.mark.django_db
def test_override_delete_is_audited(users):
    admin = users["shi_admin"]
    services.workday_override_set(actor=admin, date=D(2027, 1, 1), is_workday=False, name="元旦")
    services.workday_override_delete(actor=admin, date=D(2027, 1, 1), reason="录错")
    assert not WorkdayOverride.objects.exists()
    event = AuditEvent.objects.get(action="workday.delete")
    assert event.before["name"] == "元旦" and event.reason == "录错"
    with pytest.raises(ValidationError, match="没有登记的调整"):
        services.workday_override_delete(actor=admin, date=D(2027, 1, 1))


# --- pages -----------------------------------------------------------------------------------------------

@pytest.fixture
def on_2026_11_29(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2026, 11, 29))


@pytest.mark.django_db
def test_calendar_page_warns_and_lists_library_days(client, users, on_2026_11_29):
    """§6: the page warns about 2027 and shows 2026's National Day from the library."""
    client.force_login(users["shi_admin"])
    body = client.get("/calendar/?year=2027").content.decode()
    assert "2027年的法定节假日尚未录入" in body and "未录入" in body
    body = client.get("/calendar/?year=2026").content.decode()
    assert "2026-10-01" in body and "国庆节" in body and "2026-10-10" in body and "调休上班" in body


@pytest.mark.django_db
def test_home_warns_city_administrator_about_unknown_year(client, users, on_2026_11_29):
    """§6: the city administrator's home page warns while the next year's holidays are unknown."""
    client.force_login(users["shi_admin"])
    assert "2027年的法定节假日尚未录入" in client.get("/").content.decode()
    client.force_login(users["zhandian_jingban"])
    assert "法定节假日尚未录入" not in client.get("/").content.decode()
    services.workday_override_set(actor=users["shi_admin"], date=D(2027, 1, 1), is_workday=False, name="元旦")
    client.force_login(users["shi_admin"])
    assert "法定节假日尚未录入" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_calendar_add_and_remove_through_the_page(client, users):
    client.force_login(users["shi_admin"])
    resp = client.post("/calendar/?year=2027", {"date": "2027-02-06", "is_workday": "0", "name": "2027年春节",
                                                "reason": "国办发明电"})
    assert resp.status_code == 302
    assert WorkdayOverride.objects.get(date=D(2027, 2, 6)).is_workday is False
    body = client.post("/calendar/?year=2027", {"date": "2027-02-08", "is_workday": "1", "name": "调休"}
                       ).content.decode()
    assert "本来就是工作日" in body
    body = client.post("/calendar/?year=2027", {"date": "", "is_workday": "0", "name": ""}).content.decode()
    assert "请填写日期" in body and "请填写说明" in body
    assert client.post("/calendar/2027-02-06/delete/").status_code == 302
    assert not WorkdayOverride.objects.exists()


@pytest.mark.django_db
def test_calendar_permissions(client, users):
    """§0: county officers may look; only PARAMS_CHANGE may add or remove; village staff get 404."""
    client.force_login(users["wuzhi_minzheng"])
    page = client.get("/calendar/?year=2027")
    assert page.status_code == 200 and "登记一天" not in page.content.decode()
    assert client.post("/calendar/?year=2027", {"date": "2027-02-06", "is_workday": "0", "name": "x"}
                       ).status_code == 404
    assert client.post("/calendar/2027-02-06/delete/").status_code == 404
    client.force_login(users["heying_cun"])
    assert client.get("/calendar/").status_code == 404
    assert not WorkdayOverride.objects.exists()
