"""The fast paths of the upload gate and the header check (issue #22): they decide exactly as the general ones.

* `uploads.check_zip` (core.sheetscan) searches for a row or cell that is not written the usual way or names a place
  beyond the limits instead of reading every reference: a reference on the limit passes, one past it (row or
  column, or a longer number) is refused;
* `tabular.peek` reads an xlsx's first rows from the streamed sheet and the shared strings up to the highest one
  those rows use — the same rows as openpyxl's reader gives;
* `tabular.read(..., passed_gate=True)` (a job reading bytes gated at upload) does not scan the zip again.
"""
import io
import zipfile

import pytest
import xlsxwriter
from openpyxl import Workbook, load_workbook

from core import tabular, uploads

LIMITS = uploads.Limits(max_rows=300, max_columns=28)  # 28 = column AB


def _sheet(cells: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet><sheetData><row r="1">{cells}</row></sheetData></worksheet>')
    return buf.getvalue()


@pytest.mark.parametrize("ref,refused", [
    ("A300", False), ("A301", True), ("A999", True), ("A1000", True), ("A0301", True), ("Z299", False),
    ("AB1", False), ("AC1", True), ("BA1", True), ("AAA1", True), ("XFD1048576", True), ("A1", False),
])
def test_a_reference_on_the_limit_passes_and_one_past_it_is_refused(ref, refused):
    data = _sheet(f'<c r="A1"/><c r="{ref}" t="s"><v>0</v></c>')
    if refused:
        with pytest.raises(uploads.UploadRefused) as err:
            uploads.check_zip(data, LIMITS)
        assert err.value.code in ("too_many_rows", "too_many_columns")
    else:
        assert uploads.check_zip(data, LIMITS) == {}  # vouched for by the fast path, no exact count needed


def test_rows_without_numbers_are_counted_one_by_one():
    rows = "".join("<row><c/></row>" for _ in range(301))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{rows}</sheetData></worksheet>")
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.check_zip(buf.getvalue(), LIMITS)
    assert err.value.code == "too_many_rows"


def _openpyxl_head(data: bytes, rows: int = 10) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = [["" if v is None else v for v in r] for r in book.worksheets[0].iter_rows(max_row=rows, values_only=True)]
    return _trim(out)


def _trim(rows):
    rows = [list(r) for r in rows]
    for r in rows:
        while r and r[-1] == "":
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def test_peek_reads_the_first_rows_as_openpyxl_does():
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("名单")
    book.add_worksheet("另一张")
    sheet.write_row(0, 0, ["焦作市武陟县死亡人员名单"])
    sheet.write_row(2, 1, ["姓名", "公民身份号码", 5, 2.5, True])
    sheet.write_rich_string(3, 0, "张", book.add_format({"bold": 1}), "三")
    for r in range(4, 5000):  # many more strings than the head uses
        sheet.write_row(r, 0, [f"某{r}", f"41082319900101{r:04d}"])
    book.close()
    data = buf.getvalue()
    assert tabular._xlsx_head(data, 10, 120) is not None  # the streamed path, not the fallback
    assert _trim(tabular.peek(data, name="x.xlsx")) == _openpyxl_head(data)
    assert _trim(tabular.peek(data, name="x.xlsx", rows=3)) == _openpyxl_head(data, 3)


def test_peek_of_an_openpyxl_file_with_inline_strings_and_blank_rows():
    wb = Workbook()
    ws = wb.active
    ws.append([])
    ws.append(["序号", "姓名", "身份证号码"])
    ws.append([1, "李四", "410823199001011234"])
    buf = io.BytesIO()
    wb.save(buf)
    assert _trim(tabular.peek(buf.getvalue(), name="x.xlsx")) == _openpyxl_head(buf.getvalue())


def test_a_job_reading_gated_bytes_does_not_scan_the_zip_again(monkeypatch):
    wb = Workbook()
    wb.active.append(["身份证号码"])
    buf = io.BytesIO()
    wb.save(buf)
    calls = []
    real = uploads.check_zip
    monkeypatch.setattr(uploads, "check_zip", lambda *a: calls.append(1) or real(*a))
    assert tabular.read(buf.getvalue(), name="x.xlsx").first.rows == [["身份证号码"]]
    assert len(calls) == 1
    assert tabular.read(buf.getvalue(), name="x.xlsx", passed_gate=True).first.rows == [["身份证号码"]]
    assert len(calls) == 1
    with pytest.raises(uploads.UploadRefused):  # size and type are still checked
        tabular.read(b"%PDF-1.7" + bytes(100), name="x.xlsx", passed_gate=True)


def _rows_sheet(rows: str, tail: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{rows}</sheetData>{tail}</worksheet>")
    return buf.getvalue()


def test_one_row_without_a_number_among_numbered_rows_is_counted():
    """The fast row count takes the highest row number only when every "<row" of the text is a numbered row tag;
    one row without a number after row 300 is row 301 — past the limit."""
    numbered = "".join(f'<row r="{n}"><c/></row>' for n in range(1, 301))
    assert uploads.check_zip(_rows_sheet(numbered), LIMITS)["xl/worksheets/sheet1.xml"].rows == 300
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.check_zip(_rows_sheet(numbered + "<row><c/></row>"), LIMITS)
    assert err.value.code == "too_many_rows"


def test_other_elements_named_row_something_do_not_count_as_rows():
    """<rowBreaks> (page breaks) starts with "<row" too: such a sheet takes the exact path and its rows are
    still counted right."""
    numbered = "".join(f'<row r="{n}"><c/></row>' for n in range(1, 11))
    data = _rows_sheet(numbered, '<rowBreaks count="1" manualBreakCount="1"><brk id="5" max="16383" man="1"/></rowBreaks>')
    assert uploads.check_zip(data, LIMITS)["xl/worksheets/sheet1.xml"].rows == 10


def test_cell_length_and_width_checks_of_a_read_sheet_name_the_cell():
    """tabular.read decides "nothing too long or too wide" in two C passes; a sheet that passes a limit is still
    refused with the row and column of the cell (numbers and dates in the sheet do not disturb either path)."""
    limits = uploads.Limits(max_rows=50, max_columns=4, max_cell_chars=10)

    def book(rows):
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        sheet = wb.add_worksheet()
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
        wb.close()
        return buf.getvalue()

    ok = [["序号", "姓名", "金额"], [1, "张三", 12.5], [2, "李四" * 5, 3]]
    assert tabular.read(book(ok), name="a.xlsx", limits=limits).first.rows[2][1] == "李四" * 5
    with pytest.raises(uploads.UploadRefused) as err:
        tabular.read(book(ok + [[3, "王五", "x" * 11]]), name="b.xlsx", limits=limits)
    assert err.value.code == "cell_too_long" and "第4行第3列" in err.value.messages[0]
    with pytest.raises(uploads.UploadRefused) as err:
        tabular.read(book(ok + [[4, "赵六", 1, 2, 3]]), name="c.xlsx", limits=limits)
    assert err.value.code in ("too_large", "too_many_columns")
