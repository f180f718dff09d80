"""§1 exchange with the provincial system: the monthly change file (documented xlsx layout) and the province's
roster reconciled into clues (in the province and not here, here and not there, amounts that differ)."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from rest_framework.test import APIClient

from cases.models import Entitlement
from core.models import AuditEvent, Region
from monitoring import province
from monitoring.models import Clue, RunIssue
from tests.factories import PersonFactory
from tests.monitoring.helpers import committing, enrolled, xlsx

pytestmark = pytest.mark.django_db
MONTH = dt.date(2026, 12, 1)


def test_change_file_rule_new_changed_ended_one_row_per_member(users):
    hh, head, ent = enrolled("dibao_edge", members=2)
    PersonFactory(household=hh, relationship="spouse")
    Entitlement.objects.filter(pk=ent.pk).update(start_month=MONTH)
    _, gone, old = enrolled("dibao")
    Entitlement.objects.filter(pk=old.pk).update(status="ended", end_month=MONTH, reason="收入超过标准")
    enrolled("dibao")  # unchanged this month: not in the file
    data, n = province.change_file(actor=users["wuzhi_minzheng"], county=Region.objects.get(code="410823"),
                                   month=MONTH)
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(book["变动名单"].iter_rows(values_only=True))
    assert list(rows[0]) == province.HEADERS and n == 3
    by_kind = sorted((r[0], r[1], r[9]) for r in rows[1:])
    assert ("新增", "dibao_edge", head.reveal_id_number()) in by_kind
    assert ("终止", "dibao", gone.reveal_id_number()) in by_kind
    assert all(isinstance(c, str) for r in rows[1:] for c in r if c is not None)  # text, never formulas
    assert [r[0] for r in book["说明"].iter_rows(min_row=2, max_row=17, values_only=True)] == province.HEADERS
    assert AuditEvent.objects.filter(action="province.change_file").exists()


def test_roster_rule_reconciliation_clues(users):
    _, same, _ = enrolled("dibao")  # 520.00 both sides: no clue
    _, differs, _ = enrolled("dibao")  # amount differs
    _, only_here, _ = enrolled("tekun_dispersed")  # not on the roster
    not_enrolled = PersonFactory()  # on the roster, no open category here
    rows = [["户主姓名", "户主身份证号码", "救助类别", "月救助金额"],
            [same.name, same.reveal_id_number(), "低保", "520.00"],
            [differs.name, differs.reveal_id_number(), "低保", "610.00"],
            [not_enrolled.name, not_enrolled.reveal_id_number(), "低保边缘", "0"],
            ["省有人", "410823199001011234", "低保", "300"]]
    api = APIClient()
    api.force_authenticate(users["wuzhi_minzheng"])
    with committing():
        r = api.post("/api/v1/province-exchange/roster/",
                     {"file": io.BytesIO(xlsx(rows, title=None)) and _named(xlsx(rows, title=None))},
                     format="multipart")
    assert r.status_code == 201, r.content
    clues = {c.person_id: c for c in Clue.objects.filter(source="province")}
    assert same.pk not in clues
    assert "610.00" in clues[differs.pk].summary and "520.00" in clues[differs.pk].summary
    assert "省系统名单中没有" in clues[only_here.pk].summary
    assert "本系统未在保" in clues[not_enrolled.pk].summary
    assert all(c.township_id == "410823101" for c in clues.values())
    # the person nobody registered: a row problem for the county (no village named)
    assert RunIssue.objects.filter(kind="missing").exists() or Clue.objects.filter(person__isnull=True).exists()


def _named(data):
    f = io.BytesIO(data)
    f.name = "省名单.xlsx"
    return f


def test_province_exchange_api_and_page(users, client):
    enrolled("dibao")
    api = APIClient()
    api.force_authenticate(users["wuzhi_minzheng"])
    body = api.get("/api/v1/province-exchange/?month=2026-01").json()
    assert body["households"]["新增"] == 1 and body["layout"][0]["column"] == "变动类型"
    r = api.get("/api/v1/province-exchange/change-file/?month=2026-01")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    api.force_authenticate(users["zhandian_jingban"])
    assert api.get("/api/v1/province-exchange/change-file/?month=2026-01").status_code == 403
    api.force_authenticate(users["wenxian_minzheng"])
    assert api.get("/api/v1/province-exchange/?county=410823").status_code == 400
    client.force_login(users["wuzhi_minzheng"])
    page = client.get("/monitoring/province/?month=2026-01").content.decode()
    assert "报省变动名单" in page and "新增 <strong>1</strong>" in page
    assert client.get("/monitoring/province/?month=2026-01&download=1")["Content-Type"].startswith(
        "application/vnd.openxmlformats")


__all__ = ["Decimal"]
