"""Build household import files for tests."""
import csv
import io

from django.test import TestCase
from openpyxl import Workbook

from imports import columns, services

HEADER = [c.label for c in columns.COLUMNS]


def row(key, name, id_number, relationship="户主", *, village="何营东村", township="詹店镇", address="詹店镇何营东村1组",
        hukou="农村", sex="", disability_type="", grade="", illness="", work="有劳动能力", phone="", category="",
        amount="", start="", covered="", card="", bank=""):
    return [key, township, village, address, hukou, name, id_number, relationship, sex, disability_type, grade,
            illness, work, phone, category, amount, start, covered, card, bank]


def xlsx(rows, header=HEADER, title=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "家庭成员"
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def gbk_csv(rows, header=HEADER) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("gb18030")


def run(actor, data, *, name="import.xlsx", dry_run=False, mode="create", region=None):
    """Queue and run (eager Celery on commit) an import; returns the finished job."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.import_request(actor=actor, name=name, data=data, dry_run=dry_run, mode=mode, region=region)
    job.refresh_from_db()
    return job
