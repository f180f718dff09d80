"""The list exports added for discovery's ledger, re-checks, 特困 and 临时救助: each page links its export, the file
holds only the user's scope, hostile text stays text (no formula cell) and the export is audited."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from audit import services as audit_services
from audit.models import SpotCheck
from cases.models import Recheck, TekunProfile, TemporaryAid
from core.models import AuditEvent, Region
from discovery.models import LedgerRecord
from funds.models import PaymentBatch
from tests.factories import PersonFactory, make_id
from tests.reports.test_indicators import HEYING, WENXIAN_VILLAGE, entitled

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://x")'


def _place(h):
    return {"county_id": h.county_id, "township_id": h.township_id, "village_id": h.village_id}


def make_ledger(village, name):
    h = PersonFactory(household__village=village).household
    LedgerRecord.objects.create(household=h, subject_name=name, source="visit", need=HOSTILE,
                                due_date=dt.date(2026, 11, 20), **_place(h))


def make_recheck(village, name):
    head, ent = entitled(village=village)
    h = head.household
    h.__class__.objects.filter(pk=h.pk).update(head_name=name)
    Recheck.objects.create(entitlement=ent, household=h, month=dt.date(2026, 11, 1), due_on=dt.date(2026, 11, 20),
                           trigger=HOSTILE, **_place(h))


def make_tekun(village, name):
    head = PersonFactory(household__village=village, name=name)
    h = head.household
    TekunProfile.objects.create(person=head, household=h, status="supported", form="dispersed",
                                visitor_name="张三", **_place(h))


def make_aid(village, name):
    h = PersonFactory(household__village=village).household
    h.__class__.objects.filter(pk=h.pk).update(head_name=name)
    TemporaryAid.objects.create(household=h, aid_type="emergency", track="fast", cause=HOSTILE,
                                amount=Decimal("2000.00"), status=TemporaryAid.Status.PAID_PENDING_PAPERWORK,
                                granted_on=dt.date(2026, 11, 2), paperwork_due=dt.date(2026, 11, 9),
                                handling_township_id=h.township_id, **_place(h))


CASES = [
    ("ledger", "/discovery/ledger/", "", make_ledger),
    ("rechecks", "/rechecks/?month=2026-11", "?month=2026-11", make_recheck),
    ("tekun", "/tekun/", "", make_tekun),
    ("temporary_aid", "/temporary-aid/", "", make_aid),
]


@pytest.mark.parametrize("key,page,query,make", CASES, ids=[c[0] for c in CASES])
def test_list_export_is_scoped_text_only_and_audited(client, users, key, page, query, make):
    make(HEYING, "欧阳本县")
    make(WENXIAN_VILLAGE, "司马外县")
    client.force_login(users["wuzhi_minzheng"])
    assert f"/reports/export/{key}/" in client.get(page).content.decode()
    r = client.get(f"/reports/export/{key}/{query}")
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"], "no formula cells"
    values = [str(c.value) for c in cells]
    assert "欧阳本县" in values and "司马外县" not in values
    if key in ("ledger", "rechecks"):
        assert HOSTILE in values
    assert AuditEvent.objects.filter(action="export", actor_username="wuzhi_minzheng").exists()


def make_batch(users, county):
    b = PaymentBatch.objects.create(county_id=county, month=dt.date(2026, 11, 1), status=PaymentBatch.Status.DRAFT)
    return b.number


def make_spotcheck(users, county):
    sc = SpotCheck.objects.create(county_id=county, month=dt.date(2026, 10 if county == "410823" else 9, 1), seed=1,
                                  ratio=Decimal("0.30"), relative_ratio=Decimal("0.60"), population=7,
                                  created_by=users["wuzhi_choucha"])
    return f"{sc.month:%Y-%m}"


def make_relative_staff(users, county):
    actor = users["wuzhi_minzheng" if county == "410823" else "wenxian_minzheng"]
    name = "欧阳本县" if county == "410823" else "司马外县"
    audit_services.staff_register(actor=actor, name=name, id_number=make_id(county, dt.date(1988, 3, 9)),
                                  kind="township", workplace=HOSTILE, region=Region.objects.get(code=county))
    return name


MORE = [
    ("batches", "/funds/batches/", "wuzhi_minzheng", make_batch),
    ("spotchecks", "/supervision/spot-checks/", "wuzhi_choucha", make_spotcheck),
    ("relatives", "/supervision/relatives/", "wuzhi_minzheng", make_relative_staff),
]


@pytest.mark.parametrize("key,page,username,make", MORE, ids=[c[0] for c in MORE])
def test_county_list_export_is_scoped_and_text_only(client, users, key, page, username, make):
    mine = make(users, "410823")
    other = make(users, "410825")
    client.force_login(users[username])
    assert f"/reports/export/{key}/" in client.get(page).content.decode()
    r = client.get(f"/reports/export/{key}/")
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"], "no formula cells"
    values = [str(c.value) for c in cells]
    assert mine in values and other not in values
    if key == "relatives":
        assert HOSTILE in values
    assert AuditEvent.objects.filter(action="export", actor_username=username).exists()
    client.force_login(users["heying_wangge"])  # a grid worker reads none of these lists
    assert client.get(f"/reports/export/{key}/").status_code == 404


def test_overdue_board_export_lists_the_boards_rows_in_scope(client, users):
    for village, name in ((HEYING, "欧阳本县"), (WENXIAN_VILLAGE, "司马外县")):
        h = PersonFactory(household__village=village).household
        LedgerRecord.objects.create(household=h, subject_name=name, source="visit", need=HOSTILE,
                                    due_date=dt.date(2026, 1, 5), **_place(h))
    client.force_login(users["wuzhi_minzheng"])
    assert "/reports/export/overdue/" in client.get("/overdue/").content.decode()
    r = client.get("/reports/export/overdue/")
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"], "no formula cells"
    values = [str(c.value) for c in cells]
    assert "欧阳本县" in values and "司马外县" not in values
    assert "工作台账跟进" in values and "已超期" in values
    assert any(v.startswith("巡查走访：=HYPERLINK") for v in values)
    client.force_login(users["wuzhi_cishan"])  # charity staff: no overdue board
    assert client.get("/reports/export/overdue/").status_code == 404
