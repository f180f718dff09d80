"""Ground floor: the working-day calendar (State Council holidays, city overrides, unknown years) and
*(param)* values with effective dates and an audited history."""
import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.parameters import services
from core import params, workdays
from core.models import AuditEvent, Parameter, WorkdayOverride

D = dt.date


@pytest.mark.django_db
def test_national_day_week_2026():
    """2026 National Day and Mid-Autumn: 9-25 and 10-1..10-7 off; Sunday 9-20 and Saturday 10-10 worked."""
    assert not workdays.is_workday(D(2026, 9, 25))
    assert all(not workdays.is_workday(D(2026, 10, d)) for d in range(1, 8))
    assert workdays.is_workday(D(2026, 9, 20)) and workdays.is_workday(D(2026, 10, 10))
    assert workdays.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_workdays(D(2026, 9, 24), 2) == D(2026, 9, 29)
    assert workdays.workdays_between(D(2026, 9, 30), D(2026, 10, 12)) == 4  # 8, 9, 10 (Sat), 12
    assert workdays.last_workday_on_or_before(D(2026, 10, 7)) == D(2026, 9, 30)


@pytest.mark.django_db
def test_city_override_wins_over_the_library(users):
    """A WorkdayOverride (city notice) beats chinesecalendar."""
    WorkdayOverride.objects.create(date=D(2026, 10, 8), is_workday=False, name="市防汛调休",
                                   created_by=users["shi_admin"])
    assert not workdays.is_workday(D(2026, 10, 8))
    assert workdays.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 9)


@pytest.mark.django_db
def test_unknown_year_falls_back_to_weekends_and_warns(users, caplog, monkeypatch):
    """A year chinesecalendar does not know computes with weekends only, logs once per process (not once per
    day computed: a December deadline into January would fill the log), and asks for the holidays."""
    monkeypatch.setattr(workdays, "_warned_years", set())
    with caplog.at_level(logging.WARNING, logger="core.workdays"):
        assert workdays.is_workday(D(2030, 1, 7))  # Monday
        assert not workdays.is_workday(D(2030, 1, 5))  # Saturday
        assert workdays.add_workdays(D(2030, 1, 4), 20) == D(2030, 2, 1)
    warned = [r for r in caplog.records if r.name == "core.workdays"]
    assert len(warned) == 1 and "2030" in warned[0].getMessage()
    assert workdays.warnings_for(D(2030, 1, 7)) == ["2030年的法定节假日尚未录入，期限暂按周末计算，请市级管理员补录"]
    assert workdays.warnings_for(D(2026, 1, 7)) == []
    WorkdayOverride.objects.create(date=D(2030, 1, 1), is_workday=False, name="元旦", created_by=users["shi_admin"])
    assert workdays.warnings_for(D(2030, 1, 7)) == []
    assert not workdays.is_workday(D(2030, 1, 1))
    caplog.clear()
    monkeypatch.setattr(workdays, "_warned_years", set())  # a new process: the city has entered 2030 by now
    with caplog.at_level(logging.WARNING, logger="core.workdays"):
        assert workdays.add_workdays(D(2030, 1, 4), 20) == D(2030, 2, 1)
    assert [r for r in caplog.records if r.name == "core.workdays"] == []


@pytest.mark.django_db
def test_param_default_and_effective_dates_are_audited(users):
    """*(param)*: the value in force on a day is the newest one effective by then; each change is audited
    with before/after and reason."""
    key = "dibao.publicity_days"
    assert params.get(key, on=D(2026, 12, 1)) == 7
    services.parameter_set(actor=users["shi_admin"], key=key, value="10", effective_from=D(2027, 1, 1),
                           reason="市民政局2026年第8号通知")
    assert params.get(key, on=D(2026, 12, 31)) == 7
    assert params.get(key, on=D(2027, 1, 1)) == 10
    event = AuditEvent.objects.get(action="parameter.set")
    assert (event.actor, event.before, event.reason) == (users["shi_admin"], {"value": "7"}, "市民政局2026年第8号通知")
    assert event.after == {"value": "10", "effective_from": "2027-01-01"}
    # same day again replaces the value, still audited
    services.parameter_set(actor=users["shi_admin"], key=key, value=9, effective_from=D(2027, 1, 1), reason="更正")
    assert params.get(key, on=D(2027, 3, 1)) == 9 and Parameter.objects.count() == 1
    assert AuditEvent.objects.filter(action="parameter.set").count() == 2


@pytest.mark.django_db
def test_param_types_and_refusals(users):
    services.parameter_set(actor=users["shi_admin"], key="dibao.employment_cost_rate", value="0.25",
                           effective_from=D(2026, 1, 1), reason="调整")
    assert params.get("dibao.employment_cost_rate", on=D(2026, 6, 1)) == Decimal("0.25")
    with pytest.raises(ValidationError, match="必须说明原因"):
        services.parameter_set(actor=users["shi_admin"], key="dibao.publicity_days", value=5,
                               effective_from=D(2026, 1, 1), reason=" ")
    with pytest.raises(ValidationError, match="须为整数"):
        services.parameter_set(actor=users["shi_admin"], key="dibao.publicity_days", value="七天",
                               effective_from=D(2026, 1, 1), reason="x")
    with pytest.raises(ValidationError, match="未知参数"):
        services.parameter_set(actor=users["shi_admin"], key="no.such", value=1, effective_from=D(2026, 1, 1),
                               reason="x")
    with pytest.raises(KeyError):
        params.get("no.such")
