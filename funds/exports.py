"""The 社保卡一卡通 payment file (xlsx), streamed: one query through a server-side cursor, decrypted row by
row, written by xlsxwriter in constant_memory mode. IDs and card numbers are full numbers stored as text."""
from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.db.models import Max

from core import categories, crypto
from core.exports import xlsx_workbook
from core.models import Region
from funds.models import PayCategory

HEADERS = ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "户主姓名", "身份证号码", "社保卡号/银行账号", "开户银行",
           "救助类别", "保障人数", "发放金额（元）", "备注"]
WIDTHS = [7, 14, 16, 18, 10, 21, 23, 18, 16, 9, 13, 16]
CATEGORY_LABELS = dict(PayCategory.choices)  # the paid categories' labels are core.categories'
CHANGE_LABELS = {"new": "新增", "adjusted": "金额调整", "phasing_out": "渐退期", "reissue": "补发"}

# One query for every row of the file. Names come from the region table; ciphertexts with their row uids.
ROWS_SQL = f"""
    SELECT l.line_no, c.name, t.name, v.name, l.head_name, pe.id_cipher, pe.uid, p.card_cipher, p.uid,
           l.bank_name, l.category, l.basis, l.persons_covered, l.amount, l.change
    FROM funds_paymentline l
    JOIN {Region._meta.db_table} c ON c.code = l.county_id
    JOIN {Region._meta.db_table} t ON t.code = l.township_id
    JOIN {Region._meta.db_table} v ON v.code = l.village_id
    JOIN funds_payeeaccount p ON p.id = l.payee_id
    LEFT JOIN cases_person pe ON pe.id = p.person_id
    WHERE l.batch_id = %s AND l.excluded = FALSE
    ORDER BY l.line_no
"""

PERSON_AAD = "cases.person.id_number:"
CARD_AAD = "funds.payeeaccount.card_number:"


def _uid(value) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def village_short(name: str) -> str:
    for suffix, repl in (("村民委员会", "村"), ("社区居民委员会", "社区"), ("居民委员会", "社区")):
        if name.endswith(suffix):
            return name[: -len(suffix)] + repl
    return name


def iter_rows(batch_id: int, chunk: int = 2000):
    """Yield the file's rows as plain values (decrypted) from one streamed query."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(ROWS_SQL, [batch_id])
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                break
            for (no, county, township, village, head, id_cipher, person_uid, card_cipher, payee_uid, bank,
                 category, basis, persons, amount, change) in rows:
                id_number = crypto.decrypt(id_cipher, aad=PERSON_AAD + _uid(person_uid)) if id_cipher else ""
                card = crypto.decrypt(card_cipher, aad=CARD_AAD + _uid(payee_uid))
                label = CATEGORY_LABELS.get(category, category)
                note = CHANGE_LABELS.get(change, "")
                if category == PayCategory.PRICE_SUBSIDY:
                    note = f"{categories.label(basis)}对象" + (f"；{note}" if note else "")
                yield (no, county, township, village_short(village), head, id_number, card, bank, label,
                       persons, Decimal(amount), note)


def write_payment_file(batch, target: Path | str, progress=None) -> int:
    """Write the xlsx; returns the number of payment rows. progress(done, total) every 2,000 rows."""
    total_expected = batch.lines.filter(excluded=False).count() if progress else 0
    wb = xlsx_workbook(str(target), {"constant_memory": True, "in_memory": False})
    ws = wb.add_worksheet("发放明细")
    head = wb.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#F0F3F7"})
    text = wb.add_format({"num_format": "@", "border": 1})
    money = wb.add_format({"num_format": "0.00", "border": 1})
    bold_money = wb.add_format({"num_format": "0.00", "border": 1, "bold": True})
    bold = wb.add_format({"border": 1, "bold": True})
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.write_row(0, 0, HEADERS, head)
    ws.freeze_panes(1, 0)
    r = 0
    amount_total = Decimal("0")
    for r, row in enumerate(iter_rows(batch.pk), start=1):
        no, county, township, village, head_name, id_number, card, bank, label, persons, amount, note = row
        # Only what the bank's import needs per cell: ID and card numbers as text (never numbers), the
        # amount with two decimals; the other cells plain — 150,000 rows × 12 cells of styles add up.
        ws.write_number(r, 0, no)
        ws.write_row(r, 1, (county, township, village, head_name))
        ws.write_string(r, 5, id_number, text)
        ws.write_string(r, 6, card, text)
        ws.write_row(r, 7, (bank, label))
        ws.write_number(r, 9, persons)
        ws.write_number(r, 10, float(amount), money)
        ws.write_string(r, 11, note)
        amount_total += amount
        if progress and r % 2000 == 0:
            progress(r, total_expected)
    rows = r
    t = rows + 1
    ws.write_string(t, 0, "合计", bold)
    for col in range(1, 12):
        ws.write_blank(t, col, None, bold)
    ws.write_string(t, 4, f"{rows}条", bold)
    ws.write_number(t, 9, distinct_persons(batch), bold)
    ws.write_number(t, 10, float(amount_total), bold_money)
    wb.close()
    return rows


def distinct_persons(batch) -> int:
    """保障人数 of the 合计 row: each household once (a household paid under two categories or bases, e.g. 低保
    and the price subsidy, has two lines with the same people)."""
    per_household = (batch.lines.filter(excluded=False).order_by().values("household_id")
                     .annotate(n=Max("persons_covered")).values_list("n", flat=True))
    return sum(per_household)
