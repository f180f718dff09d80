"""§11, §12-3 信访/投诉举报 ledger: due dates, repeat detection, handling, scope."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit import services
from audit.models import Complaint
from core.models import AuditEvent, Region
from tests.factories import HouseholdFactory, make_id

pytestmark = pytest.mark.django_db


def _register(users, actor="wuzhi_minzheng", region="410823101", **kw):
    defaults = dict(source=Complaint.Source.HOTLINE, complainant_name="张三", category=Complaint.Category.MISSED,
                    summary="反映情况", content="内容", region=Region.objects.get(code=region))
    defaults.update(kw)
    return services.complaint_register(actor=users[actor], **defaults)


def test_due_date_counts_working_days_across_national_day(users):
    """Due in 15 working days (param complaint.due_workdays): from 2026-09-30 the count skips Oct 1-7 and
    counts the adjusted working Saturday Oct 10."""
    c = _register(users, received_on=dt.date(2026, 9, 30))
    assert c.due_on == dt.date(2026, 10, 27)


def test_repeat_petition_same_household_or_person_within_12_months(users):
    h = HouseholdFactory()
    first = _register(users, household=h, received_on=dt.date(2026, 1, 10))
    assert not first.is_repeat
    assert _register(users, household=h, received_on=dt.date(2026, 11, 1)).is_repeat
    pid = make_id()
    assert not _register(users, id_number=pid, received_on=dt.date(2025, 1, 1)).is_repeat
    assert not _register(users, id_number=pid, received_on=dt.date(2026, 6, 1)).is_repeat  # > 12 months later
    assert _register(users, id_number=pid, received_on=dt.date(2026, 6, 2)).is_repeat


def test_handling_steps_close_and_no_more_steps(users):
    c = _register(users)
    services.complaint_step(actor=users["zhandian_jingban"], complaint=c, action="入户走访", note="已走访")
    c.refresh_from_db()
    assert c.status == Complaint.Status.HANDLING
    services.complaint_close(actor=users["zhandian_jingban"], complaint=c, result="已纳入低保申请", satisfied=True,
                             counselling_referral=True)
    c.refresh_from_db()
    assert (c.status, c.satisfied, c.counselling_referral, c.closed_on) == ("closed", True, True, dt.date.today())
    with pytest.raises(ValidationError):
        services.complaint_step(actor=users["zhandian_jingban"], complaint=c, action="其他", note="x")
    assert AuditEvent.objects.filter(action="complaint.close", object_id=str(c.pk)).exists()


def test_transfer_and_assign(users):
    c = _register(users, region="410823")
    assert c.township_id is None
    services.complaint_assign(actor=users["wuzhi_minzheng"], complaint=c, township=Region.objects.get(code="410823102"))
    c.refresh_from_db()
    assert c.township_id == "410823102"
    with pytest.raises(ValidationError):
        services.complaint_assign(actor=users["wuzhi_minzheng"], complaint=c,
                                  township=Region.objects.get(code="410825101"))
    services.complaint_transfer(actor=users["xitao_jingban"], complaint=c, to="县人社局", reason="属就业政策")
    c.refresh_from_db()
    assert c.status == Complaint.Status.TRANSFERRED


def test_phone_is_sealed_and_masked(users):
    c = _register(users, phone="13812345678")
    assert c.phone_masked == "138****5678"
    assert b"13812345678" not in bytes(c.phone_cipher)


def test_scope_township_sees_its_own_county_sees_all_other_county_nothing(client, users):
    c = _register(users, region="410823101")
    county_level = _register(users, region="410823")
    client.force_login(users["zhandian_jingban"])
    assert client.get(f"/supervision/complaints/{c.pk}/").status_code == 200
    assert client.get(f"/supervision/complaints/{county_level.pk}/").status_code == 404
    client.force_login(users["xitao_jingban"])
    assert client.get(f"/supervision/complaints/{c.pk}/").status_code == 404
    client.force_login(users["wenxian_minzheng"])
    assert client.get(f"/supervision/complaints/{c.pk}/").status_code == 404
    client.force_login(users["wuzhi_choucha"])
    assert client.get(f"/supervision/complaints/{c.pk}/").status_code == 200
    resp = client.post(f"/supervision/complaints/{c.pk}/", {"op": "step", "step-action": "其他", "step-note": "x"})
    assert resp.status_code == 404  # reviewers read, never write


def test_register_via_page_with_bad_id_shows_message_and_saves_nothing(client, users):
    client.force_login(users["zhandian_jingban"])
    resp = client.post("/supervision/complaints/new/", {
        "source": "hotline", "received_on": "2026-11-20", "complainant_name": "李四", "id_number": "4.10823E+17",
        "category": "missed", "summary": "s", "content": "c", "region": "410823101"})
    assert resp.status_code == 200
    assert "科学计数法" in resp.content.decode()
    assert not Complaint.objects.exists()
