"""Build department files the way they arrive: xlsx with title rows, csv, numbers for IDs."""
import csv
import datetime as dt
import io

import openpyxl

from cases.models import Entitlement
from tests.factories import HouseholdFactory, PersonFactory, make_id


def xlsx(rows, *, title="焦作市武陟县2026年10月死亡人员名单", merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    width = max(len(r) for r in rows)
    if title:
        ws.append([title] + [None] * (width - 1))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for r in rows:
        ws.append(list(r))
    for m in merges:
        ws.merge_cells(m)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, encoding="utf-8-sig"):
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def enrolled(category="dibao", *, village="410823101200", members=1, birth=None, id_number=None, **person):
    """A household with an open entitlement; returns (household, head person, entitlement)."""
    household = HouseholdFactory(village=village)
    head = PersonFactory(household=household, id_number=id_number or make_id(village[:6], birth), **person)
    ent = Entitlement.objects.create(
        household=household, county_id=household.county_id, township_id=household.township_id,
        village_id=household.village_id, category=category, persons_covered=members,
        monthly_amount="520.00" if category != "dibao_edge" else "0.00", start_month=dt.date(2026, 1, 1))
    return household, head, ent


def committing():
    """Run on_commit callbacks (the Celery enqueue; eager in tests) as if the transaction committed."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def upload(user, source, data, name="file.xlsx"):
    from monitoring import services

    with committing():
        return services.run_create(actor=user, source=source, file_name=name, data=data)
