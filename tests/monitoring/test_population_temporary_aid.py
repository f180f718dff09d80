"""§1 low-income monitoring: 临时救助 counted per county/township/month (granted_on in the month), on the page
and in the Excel export, like the other categories."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import TemporaryAid
from monitoring import services
from monitoring.models import MonthlySnapshot
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _aid(users, village, on, amount="800.00"):
    h = village if not isinstance(village, str) else HouseholdFactory(village=village)
    return TemporaryAid.objects.create(
        household=h, county_id=h.county_id, township_id=h.township_id, village_id=h.village_id,
        aid_type="emergency", track="fast", cause="突发重病", handling_township_id=h.township_id,
        paperwork_due=on + dt.timedelta(days=7),
        amount=Decimal(amount), status=TemporaryAid.Status.COMPLETED, granted_by=users["zhandian_shenpi"],
        granted_on=on)


def test_temporary_aid_counted_per_township_for_grants_in_the_month(users, client):
    """临时救助 cell = households aided and grants (人次) with granted_on in the month, by the household's
    township; last month's grants and another county's stay out of the 武陟 page."""
    today = timezone.localdate()
    month = today.replace(day=1)
    first = _aid(users, "410823101200", month)
    _aid(users, first.household, today, amount="300.00")  # same household again this month: 1 household, 2 grants
    _aid(users, "410823101201", today)  # another household in 詹店
    _aid(users, "410823102200", today)  # 西陶
    _aid(users, "410823101200", month - dt.timedelta(days=1))  # last month
    _aid(users, "410825101201", today)  # 温县
    services.snapshot_build(month=today)
    cells = {(c.township_id, c.households, c.persons)
             for c in MonthlySnapshot.objects.filter(category="temporary_aid", month=month)}
    assert cells == {("410823101", 2, 3), ("410823102", 1, 1), ("410825101", 1, 1)}
    services.snapshot_build(month=month - dt.timedelta(days=1))
    assert MonthlySnapshot.objects.get(category="temporary_aid", month=(month - dt.timedelta(days=1)).replace(day=1),
                                       township_id="410823101").persons == 1

    client.force_login(users["wuzhi_minzheng"])
    html = client.get(reverse("monitoring:population")).content.decode()
    assert "待临时救助模块接入后统计" not in html
    assert "临时救助（当月发放）" in html and "4人次" in html  # 武陟 this month: 3 households, 4 grants
    resp = client.get(reverse("monitoring:population") + "?export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    trend = [[c for c in row] for row in book["月度趋势"].iter_rows(values_only=True)]
    aid_rows = [r for r in trend if r[0] == "临时救助（当月发放）"]
    assert [r[1] for r in aid_rows] == ["户数", "人次"]
    assert aid_rows[0][-1] == 3 and aid_rows[1][-1] == 4
    places = [r for r in book["分地区"].iter_rows(values_only=True) if r[1] == "临时救助（当月发放）"]
    assert sorted((r[0], r[2], r[3]) for r in places) == [("西陶镇", 1, 1), ("詹店镇", 2, 3)]
    assert not any("待临时救助" in str(c) for r in trend for c in r)


def test_monthly_count_rule_granted_only_never_pending_or_refused(users):
    """Monthly 临时救助 counts include granted cases only: a full-procedure application still in progress and a
    refused one are not counted; a confirmed one counts from its decision date."""
    today = timezone.localdate()
    granted = _aid(users, "410823101200", today)
    for status in (TemporaryAid.Status.APPLYING, TemporaryAid.Status.REFUSED):
        aid = _aid(users, "410823101200", today)
        TemporaryAid.objects.filter(pk=aid.pk).update(status=status)
    services.snapshot_build(month=today)
    cell = MonthlySnapshot.objects.get(category="temporary_aid", month=today.replace(day=1), township_id="410823101")
    assert (cell.households, cell.persons) == (1, 1) and granted.pk
