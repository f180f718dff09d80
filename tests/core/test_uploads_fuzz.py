"""Every uploader with random and truncated files (hypothesis): a clear Chinese refusal or a clean read, never
another exception, and nothing half-written.

The uploaders: core.tabular (the one reader), the department files (monitoring.reader), the bank results
(funds.bankresults) and the household import (imports.plan). Truncated files are cut from valid xlsx, xls-like
and GBK CSV files at every kind of place.
"""
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core import tabular, uploads
from funds import bankresults
from imports import plan as import_plan
from monitoring import reader
from monitoring.sources import SOURCES

CHINESE = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


VALID = {
    "xlsx": _xlsx([["身份证号码", "姓名", "死亡日期"], ["410823199001011234", "张三", "2026-10-01"]] * 3),
    "csv": "户编号,村（社区）,家庭住址,户籍类型,姓名,身份证号码,与户主关系\n1,何营东村,1组,农村,张三,410823199001011234,户主\n"
           .encode("gb18030"),
}


def _readers():
    source = SOURCES["death_police"]
    return [
        ("tabular", lambda data, name: tabular.read(data, name=name)),
        ("department", lambda data, name: reader.read_table(data, name, source)),
        ("department-header", lambda data, name: reader.check_header(data, name, source)),
        ("bank", lambda data, name: bankresults.parse(name, data)),
        ("bank-header", lambda data, name: bankresults.check_header(name, data)),
        ("household", lambda data, name: import_plan.read(data, name)),
        ("household-header", lambda data, name: import_plan.check_header(data, name)),
    ]


def _assert_clear(fn, data, name):
    try:
        fn(data, name)
    except ValidationError as exc:  # UploadRefused and BankFileError are ValidationErrors
        assert exc.messages and all(CHINESE.search(m) for m in exc.messages), exc.messages


@pytest.mark.parametrize(("label", "fn"), _readers(), ids=[r[0] for r in _readers()])
@FUZZ
@given(data=st.binary(max_size=2048), name=st.sampled_from(["a.xlsx", "a.xls", "a.csv", "a", "a.pdf"]))
def test_random_bytes_get_a_clear_refusal_or_a_read(label, fn, data, name):
    _assert_clear(fn, data, name)


@pytest.mark.parametrize(("label", "fn"), _readers(), ids=[r[0] for r in _readers()])
@FUZZ
@given(kind=st.sampled_from(sorted(VALID)), cut=st.floats(min_value=0, max_value=1), flip=st.integers(0, 255))
def test_truncated_and_damaged_files_get_a_clear_refusal_or_a_read(label, fn, kind, cut, flip):
    data = VALID[kind]
    data = data[: int(len(data) * cut)]
    if data and flip:
        i = flip % len(data)
        data = data[:i] + bytes([data[i] ^ flip]) + data[i + 1:]
    _assert_clear(fn, data, f"f.{kind}")


@FUZZ
@given(rows=st.lists(st.lists(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True),
                                        st.none()), max_size=8), max_size=12))
def test_random_sheets_through_the_household_validation(rows):
    """Random cells under the right header: every problem is a row-level Chinese reason, nothing raises."""
    header = [c.label for c in import_plan.C.COLUMNS]
    data = _xlsx([header] + [[_safe(v) for v in r] for r in rows])
    try:
        sheet, index, cols = import_plan.read(data, "a.xlsx")
    except ValidationError as exc:
        assert all(CHINESE.search(m) for m in exc.messages)
        return
    plan = import_plan.parse_rows(sheet, index, cols)
    assert all(CHINESE.search(p.reason) for p in plan.problems)


def _safe(value):
    if isinstance(value, str):  # openpyxl refuses control characters and turns "=..." into formulas
        return re.sub(r"[\x00-\x1f]", "", value).lstrip("=")
    return value


def test_zip_bomb_is_refused_within_seconds_and_small_memory():
    import resource
    import time

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as w:
            for _ in range(1024):  # 1 GB of zeros, about 1 MB compressed
                w.write(bytes(1 << 20))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    for _label, fn in _readers():
        with pytest.raises(ValidationError) as err:
            fn(buf.getvalue(), "bomb.xlsx")
        assert "解压后超过" in " ".join(err.value.messages)
    assert time.monotonic() - start < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: under 100 MB more


def test_declared_sizes_that_lie_are_caught_while_streaming():
    """A member whose header declares a small size but inflates further: the count while streaming refuses it."""
    limits = uploads.Limits(max_uncompressed=5 * 1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(4):
            z.writestr(f"xl/worksheets/sheet{i}.xml", b" " * (2 * 1024 * 1024))
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.check_zip(buf.getvalue(), limits)
    assert "解压后超过" in err.value.messages[0]


def test_a_sheet_that_names_a_far_cell_is_refused_before_any_grid_is_built():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="1"><c r="A1"/></row>'
                                               '<row r="1048576"><c r="XFD1048576"/></row></sheetData></worksheet>')
    with pytest.raises(uploads.UploadRefused) as err:
        tabular.read(buf.getvalue(), name="far.xlsx")
    assert "行" in err.value.messages[0]


def test_pdf_renamed_xlsx_is_not_an_excel_file():
    with pytest.raises(uploads.UploadRefused) as err:
        tabular.read(b"%PDF-1.7\n" + bytes(300), name="名单.xlsx")
    assert err.value.messages[0].startswith("不是 Excel 文件")


def test_limits_on_rows_columns_and_cell_length():
    limits = uploads.Limits(max_rows=3, max_columns=3, max_cell_chars=5)
    for data, words in [(b"a\nb\nc\nd\ne\n", "行"), (b"a,b,c,d\n", "列"), (b"abcdefgh\n", "超过 5 个字")]:
        with pytest.raises(uploads.UploadRefused) as err:
            tabular.read(data, name="x.csv", limits=limits)
        assert words in err.value.messages[0]
    with pytest.raises(uploads.UploadRefused):
        tabular.read(_xlsx([["a"] * 5]), name="x.xlsx", limits=limits)


def test_header_aliases_and_notes():
    aliases = {"id": ("身份证号码", "公民身份号码"), "name": ("姓名",)}
    index, cols = tabular.find_header([["名单"], ["序号", "姓 名", "公民身份号码（必填）"]], aliases, required=("id",))
    assert index == 1 and cols == {"name": 1, "id": 2}
