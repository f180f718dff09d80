"""The upload gate sees every place calamine (the reader) will place a cell, however the sheet's XML is written.

Calamine builds a grid of rows × columns from the highest row and column any cell names: a small file naming cell
XFD1048576 makes it ask for 550 GB and abort the worker process. References quoted with ', spaces around "=",
lower-case columns, prefixed elements, cells and rows without references, and sheets reached only through the
workbook's relationships all name places; each is checked here against what calamine itself reads."""
import io
import zipfile

import pytest
import python_calamine as pc
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import sheetscan, uploads

LIMITS = uploads.Limits(max_rows=20, max_columns=5)
def _base() -> bytes:
    buf = io.BytesIO()
    workbook = xlsxwriter.Workbook(buf)
    workbook.add_worksheet("S").write(0, 0, "x")
    workbook.close()
    return buf.getvalue()


BASE = _base()


def book(rows_xml: str, *, target: str = "worksheets/sheet1.xml") -> bytes:
    """An xlsx as xlsxwriter writes it, with the given rows as its sheet's data, the sheet at `target` (relative to
    xl/, or absolute) as the workbook's relationship names it."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{rows_xml}</sheetData></worksheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(BASE)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                continue
            body = src.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b'Target="worksheets/sheet1.xml"', f'Target="{target}"'.encode())
            z.writestr(info, body)
        z.writestr(target[1:] if target.startswith("/") else f"xl/{target}", sheet)
    return buf.getvalue()


def calamine_end(data: bytes) -> tuple[int, int] | None:
    """(rows, columns) up to the last cell calamine places (1-based), or None if it cannot read the file."""
    try:
        sheet = pc.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception:
        return None
    if sheet.end is None:
        return (0, 0)
    return sheet.end[0] + 1, sheet.end[1] + 1


def gate_passes(data: bytes) -> bool:
    try:
        uploads.check_zip(data, LIMITS)
    except uploads.UploadRefused:
        return False
    return True


FAR = [
    ("single quotes", "<row r=\"1\"><c r='Z40' t=\"inlineStr\"><is><t>x</t></is></c></row>"),
    ("spaces around =", '<row r="1"><c r = "Z40" t="inlineStr"><is><t>x</t></is></c></row>'),
    ("a line break", '<row r="1"><c r=\n"Z40" t="inlineStr"><is><t>x</t></is></c></row>'),
    ("lower case", '<row r="1"><c r="z40" t="inlineStr"><is><t>x</t></is></c></row>'),
    ("a tab after the name", '<row r="1"><c\tr="Z40" t="inlineStr"><is><t>x</t></is></c></row>'),
    ("a prefixed cell", "<row r=\"1\"><x:c r='Z40' t=\"inlineStr\"><x:is><x:t>x</x:t></x:is></x:c></row>"),
    ("a row in single quotes, cells without references",
     "<row r='50'><c t=\"inlineStr\"><is><t>x</t></is></c></row>"),
    ("cells without references", '<row r="1">' + '<c t="inlineStr"><is><t>x</t></is></c>' * 9 + "</row>"),
    ("rows without numbers", '<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 25),
]


@pytest.mark.parametrize("label,rows_xml", FAR, ids=[f[0] for f in FAR])
def test_a_place_beyond_the_limits_is_refused_however_it_is_written(label, rows_xml):
    data = book(rows_xml)
    end = calamine_end(data)
    assert end is not None and (end[0] > LIMITS.max_rows or end[1] > LIMITS.max_columns), end  # calamine goes there
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.check_zip(data, LIMITS)
    assert err.value.code in ("too_many_rows", "too_many_columns")


@pytest.mark.parametrize("target", ["data/list.xml", "/xl/other/sheet.bin"])
def test_a_sheet_reached_only_through_the_workbooks_relationships_is_scanned(target):
    data = book("<row r='1'><c r='XFD1048576' t=\"inlineStr\"><is><t>x</t></is></c></row>", target=target)
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.check_zip(data, LIMITS)
    assert err.value.code == "too_many_rows"


def test_a_document_type_declaration_is_refused_not_expanded():
    sheet = book('<row r="1"><c r="A1"/></row>')
    bomb = sheet.replace(b"x", b"x")  # the same package, with a DTD in the sheet:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bomb)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1)
                body = body.replace(b'<c r="A1"/>', b"<c r='A1'/>")  # not the usual form: the exact count runs
            z.writestr(info, body)
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.check_zip(buf.getvalue(), LIMITS)
    assert err.value.code == "not_spreadsheet"


def test_an_endless_tag_is_refused():
    """A tag running over from one decompressed chunk into the next is kept until it ends: not beyond MAX_TAG."""
    data = book('<row r="1"><c r="A1" x="' + "y" * (uploads.CHUNK + sheetscan.MAX_TAG) + '"/></row>')
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.check_zip(data, uploads.Limits(max_rows=20, max_columns=5, max_uncompressed=10 << 20))
    assert err.value.code == "not_spreadsheet"


# Random sheets in every way of writing a row and a cell: whatever the gate lets through, calamine places within the
# limits; a sheet written the usual way within the limits is never refused.
STYLES = ['r="{}"', "r='{}'", 'r = "{}"', 'r="{}"'.replace("r=", "r =\n"), "lower", "none"]


def _cell(ref: str, style: str, prefixed: bool) -> str:
    if style == "lower":
        attr = f'r="{ref.lower()}"'
    elif style == "none":
        attr = ""
    else:
        attr = style.format(ref)
    name = "x:c" if prefixed else "c"
    inner = "<x:is><x:t>v</x:t></x:is>" if prefixed else "<is><t>v</t></is>"
    return f'<{name} {attr} t="inlineStr">{inner}</{name}>'


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 24), st.sampled_from(STYLES[:4] + ["none"]),
                          st.lists(st.tuples(st.integers(1, 7), st.integers(0, 3), st.sampled_from(STYLES),
                                             st.booleans()), min_size=1, max_size=4)), min_size=1, max_size=4))
def test_the_gate_agrees_with_calamine(rows):
    parts, usual = [], True
    for number, row_style, cells in rows:
        row_attr = "" if row_style == "none" else row_style.format(number)
        usual &= row_style == STYLES[0]
        body = []
        for column, row_shift, style, prefixed in cells:
            ref = f"{sheetscan.column_letters(column)}{number + row_shift}"
            usual &= style == STYLES[0] and not prefixed
            body.append(_cell(ref, style, prefixed))
        parts.append(f"<row {row_attr}>{''.join(body)}</row>")
    data = book("".join(parts))
    end = calamine_end(data)
    passes = gate_passes(data)
    if passes and end is not None:
        assert end[0] <= LIMITS.max_rows and end[1] <= LIMITS.max_columns, (end, parts)
    if usual and end is not None:
        highest_row = max(number + shift for number, _, cells in rows for _, shift, _, _ in cells)
        highest_column = max(column for _, _, cells in rows for column, _, _, _ in cells)
        within = max(highest_row, max(n for n, _, _ in rows)) <= LIMITS.max_rows
        assert passes == (within and highest_column <= LIMITS.max_columns), (end, parts)
