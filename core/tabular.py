"""One bounded reader for every uploaded table (department files, bank results, household imports).

`read(data, name=..., limits=...)` passes the file through `core.uploads.check_bytes` (size, type from the
content, zip bounds) and returns its sheets as lists of rows; a csv is decoded as UTF-8 or GBK (GB18030) with
its delimiter sniffed. Every sheet's extent is checked again after reading and every cell's length, so no
reader hands on more than the limits allow. `peek(...)` returns the first rows of the first sheet cheaply
(openpyxl's streaming reader for an xlsx) so that a header can be checked in the web request.

Headers: `normalize_header` removes spaces, line breaks, full-width parentheses and notes such as （必填）;
`find_header(rows, aliases, required=...)` finds the header row among the first rows and maps each key to
its column by any of its aliases.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from core.sheetscan import column_number as uploads_column
from core.uploads import Limits, UploadRefused, check_bytes, check_size, default_limits, sniff

HEADER_SCAN_ROWS = 10


@dataclass
class Sheet:
    name: str
    rows: list[list]
    merged: list = field(default_factory=list)


@dataclass
class Table:
    kind: str  # 'xlsx' | 'xls' | 'csv'
    sheets: list[Sheet]

    @property
    def first(self) -> Sheet:
        return self.sheets[0]


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadRefused("CSV 文件编码无法识别，请另存为 UTF-8 或 GBK 编码后重新上传", code="encoding")


def _csv_rows(text: str, limits: Limits) -> list[list]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    old = csv.field_size_limit()
    csv.field_size_limit(limits.max_cell_chars + 1)
    rows: list[list] = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise UploadRefused(f"表格超过 {limits.max_rows:,} 行，请拆分后分批上传", code="too_many_rows")
            if len(row) > limits.max_columns:
                raise UploadRefused(f"表格第{len(rows)}行超过 {limits.max_columns} 列，请删除多余的列后另存",
                                    code="too_many_columns")
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise UploadRefused(f"第{len(rows) + 1}行有单元格超过 {limits.max_cell_chars} 个字，请检查文件",
                                code="cell_too_long") from None
        raise UploadRefused(f"CSV 文件第{len(rows) + 1}行格式错误，无法读取（{exc}）", code="csv_format") from None
    finally:
        csv.field_size_limit(old)
    return rows


def _check_cells(sheet: Sheet, limits: Limits) -> None:
    """Rows, columns and every text cell's length within the limits. The common case — nothing too long — is
    decided by two passes that run in C (the widest row; the longest text over all cells); only a sheet that
    passes a limit is walked cell by cell, for the message naming the row and column."""
    if len(sheet.rows) > limits.max_rows:
        raise UploadRefused(f"工作表“{sheet.name}”超过 {limits.max_rows:,} 行，请拆分后分批上传", code="too_many_rows")
    cap = limits.max_cell_chars
    if (max(map(len, sheet.rows), default=0) <= limits.max_columns
            and max(map(len, filter(str.__instancecheck__, chain.from_iterable(sheet.rows))), default=0) <= cap):
        return
    for r, row in enumerate(sheet.rows, start=1):
        if len(row) > limits.max_columns:
            raise UploadRefused(f"工作表“{sheet.name}”超过 {limits.max_columns} 列，请删除多余的列后另存",
                                code="too_many_columns")
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > cap:
                raise UploadRefused(f"工作表“{sheet.name}”第{r}行第{c}列的内容超过 {cap} 个字，请检查文件",
                                    code="cell_too_long")


def read(data: bytes, *, name: str = "", limits: Limits | None = None, all_sheets: bool = False,
         passed_gate: bool = False) -> Table:
    """The file's sheets (the first only unless `all_sheets`), every limit checked; raises UploadRefused.
    `passed_gate`: these very bytes already passed `check_bytes` under the same limits (a background job reading
    the sealed copy of a file that was gated at upload, its SHA-256 compared) — the zip is not scanned again;
    size, type and the sheets' extent and cells are still checked here."""
    import python_calamine as pc  # heavy; only for uploads

    limits = limits or default_limits()
    if passed_gate:
        check_size(len(data), limits)
        kind = sniff(data, name)
    else:
        kind = check_bytes(data, name, limits)
    if kind == "csv":
        sheet = Sheet("Sheet1", _csv_rows(decode_csv(data), limits))
        _check_cells(sheet, limits)
        return Table(kind, [sheet])
    sheets = []
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names if all_sheets else book.sheet_names[:1]
        for index, sheet_name in enumerate(names):
            raw = book.get_sheet_by_index(index)
            height, width = raw.height, raw.width
            if height > limits.max_rows or width > limits.max_columns:
                raise UploadRefused(f"工作表“{sheet_name}”有 {height:,} 行 {width} 列，超过上限"
                                    f"（{limits.max_rows:,} 行、{limits.max_columns} 列），请删除空白行列或拆分后上传",
                                    code="too_large")
            sheets.append(Sheet(sheet_name, raw.to_python(skip_empty_area=False), list(raw.merged_cell_ranges or [])))
    except UploadRefused:
        raise
    except pc.PasswordError:
        raise UploadRefused("文件设置了打开密码，系统无法读取。请取消密码后重新上传", code="password") from None
    except Exception:
        raise UploadRefused("文件已损坏或不是 Excel 表格，请用 Excel 打开确认后重新上传", code="not_spreadsheet") from None
    if not sheets:
        raise UploadRefused("Excel 文件中没有工作表", code="empty")
    for sheet in sheets:
        _check_cells(sheet, limits)
    return Table(kind, sheets)


def stream(data: bytes, *, name: str = "", limits: Limits | None = None) -> tuple[str, Iterator[list]]:
    """The first sheet's name and its rows one at a time, after the same gate and under the same limits as
    `read` (UploadRefused while iterating when a limit is passed): for files too large to hold as lists of
    rows (a county's caseload). A csv is decoded as it is read, never held as one string."""
    import python_calamine as pc  # heavy; only for uploads

    limits = limits or default_limits()
    kind = check_bytes(data, name, limits)
    if kind == "csv":
        encoding = _csv_encoding(data)
        sample = _decode_prefix(data[:4096]) if encoding == "gb18030" else data[:4096].decode("utf-8-sig", "ignore")
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
        return "Sheet1", _checked_rows("Sheet1", _csv_iter(text, dialect, limits), limits, cells=False)
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise UploadRefused("Excel 文件中没有工作表", code="empty")
        sheet_name = book.sheet_names[0]
        raw = book.get_sheet_by_index(0)
    except UploadRefused:
        raise
    except pc.PasswordError:
        raise UploadRefused("文件设置了打开密码，系统无法读取。请取消密码后重新上传", code="password") from None
    except Exception:
        raise UploadRefused("文件已损坏或不是 Excel 表格，请用 Excel 打开确认后重新上传", code="not_spreadsheet") from None
    if raw.height > limits.max_rows or raw.width > limits.max_columns:
        raise UploadRefused(f"工作表“{sheet_name}”有 {raw.height:,} 行 {raw.width} 列，超过上限"
                            f"（{limits.max_rows:,} 行、{limits.max_columns} 列），请删除空白行列或拆分后上传",
                            code="too_large")
    return sheet_name, _checked_rows(sheet_name, raw.iter_rows(), limits)


def _csv_encoding(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)  # validates the whole file; the text itself is not kept
            return encoding
        except UnicodeDecodeError:
            continue
    raise UploadRefused("CSV 文件编码无法识别，请另存为 UTF-8 或 GBK 编码后重新上传", code="encoding")


def _csv_iter(text, dialect, limits: Limits) -> Iterator[list]:
    old = csv.field_size_limit()
    csv.field_size_limit(limits.max_cell_chars)  # a longer cell: csv.Error "field larger than field limit"
    n = 0
    try:
        for n, row in enumerate(csv.reader(text, dialect), start=1):  # noqa: B007 - n is the error's row
            yield row
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise UploadRefused(f"第{n + 1}行有单元格超过 {limits.max_cell_chars} 个字，请检查文件",
                                code="cell_too_long") from None
        raise UploadRefused(f"CSV 文件第{n + 1}行格式错误，无法读取（{exc}）", code="csv_format") from None
    finally:
        csv.field_size_limit(old)


def _checked_rows(sheet_name: str, rows, limits: Limits, *, cells: bool = True) -> Iterator[list]:
    """`cells`: check every cell's length (a csv reader already refuses a longer field)."""
    cap, width = limits.max_cell_chars, limits.max_columns
    for r, row in enumerate(rows, start=1):
        if r > limits.max_rows:
            raise UploadRefused(f"工作表“{sheet_name}”超过 {limits.max_rows:,} 行，请拆分后分批上传", code="too_many_rows")
        if len(row) > width:
            raise UploadRefused(f"工作表“{sheet_name}”第{r}行超过 {width} 列，请删除多余的列后另存",
                                code="too_many_columns")
        if cells:
            for c, value in enumerate(row, start=1):
                if value.__class__ is str and len(value) > cap:
                    raise UploadRefused(f"工作表“{sheet_name}”第{r}行第{c}列的内容超过 {cap} 个字，请检查文件",
                                        code="cell_too_long")
        yield row


def peek(data: bytes, *, name: str = "", limits: Limits | None = None, rows: int = HEADER_SCAN_ROWS) -> list[list]:
    """The first `rows` rows of the first sheet, after the same gate as `read` (for a header check at upload)."""
    limits = limits or default_limits()
    kind = check_bytes(data, name, limits)
    if kind == "csv":
        head = data[:64 * 1024]
        text = decode_csv(head) if len(data) <= len(head) else _decode_prefix(head)
        return _csv_rows("\n".join(text.splitlines()[:rows]), limits)
    if kind == "xls":
        return read(data, name=name, limits=limits).first.rows[:rows]
    try:
        head = _xlsx_head(data, rows, limits.max_columns)
    except Exception:  # anything unusual: the general reader below (and its refusals)
        head = None
    if head is not None:
        return head
    from openpyxl import load_workbook  # streaming: reads only the rows asked for

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        out = [["" if v is None else v for v in row]
               for row in sheet.iter_rows(min_row=1, max_row=rows, max_col=limits.max_columns, values_only=True)]
        book.close()
        return out
    except Exception:
        raise UploadRefused("文件已损坏或不是 Excel 表格，请用 Excel 打开确认后重新上传", code="not_spreadsheet") from None


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]{1,4})([0-9]{1,8})$")


def _xlsx_head(data: bytes, rows: int, max_columns: int) -> list[list] | None:
    """The first `rows` rows of an xlsx's first sheet, parsed as a stream that stops after them: the sheet's
    XML up to its row `rows`, and the shared strings only up to the highest one those rows use (openpyxl reads
    the whole string table first — a 200,000-row file of ID numbers is 200,000 strings — and calamine the whole
    sheet). Values: text, numbers (int when whole; a date stays its serial number — the callers look for header
    text), booleans. None when the file is laid out in a way this does not handle (the caller then uses the
    general reader)."""
    import xml.etree.ElementTree as ET  # noqa: N817, S405 - the zip was bounded by check_bytes
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    book = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
    first = book.find(f"{_MAIN_NS}sheets/{_MAIN_NS}sheet")
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    if first is None:
        return None
    target = next((r.get("Target") for r in rels.iter(f"{_PKG_REL_NS}Relationship")
                   if r.get("Id") == first.get(f"{_REL_NS}id")), None)
    if not target:
        return None
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    cells: list[dict[int, tuple[str, str]]] = []
    with archive.open(path) as member:
        last = 0
        for _, el in ET.iterparse(member, events=("end",)):  # noqa: S314
            if el.tag != f"{_MAIN_NS}row":
                continue
            number = int(el.get("r") or last + 1)
            if number > rows:
                break
            while len(cells) < number - 1:
                cells.append({})
            row, column = {}, 0
            for c in el.iter(f"{_MAIN_NS}c"):
                ref = _REF.match(c.get("r") or "")
                column = uploads_column(ref.group(1)) if ref else column + 1
                if column > max_columns:
                    return None
                kind = c.get("t") or "n"
                if kind == "inlineStr":
                    text = _rich_text(c.find(f"{_MAIN_NS}is"))
                else:
                    v = c.find(f"{_MAIN_NS}v")
                    if v is None or v.text is None:
                        continue
                    text = v.text
                row[column] = (kind, text)
            cells.append(row)
            last = number
            el.clear()
    needed = {int(text) for row in cells for kind, text in row.values() if kind == "s"}
    strings: list[str] = []
    if needed:
        with archive.open("xl/sharedStrings.xml") as member:
            for _, el in ET.iterparse(member, events=("end",)):  # noqa: S314
                if el.tag == f"{_MAIN_NS}si":
                    strings.append(_rich_text(el))
                    el.clear()
                    if len(strings) > max(needed):
                        break
        if len(strings) <= max(needed):
            return None
    width = max((max(row) for row in cells if row), default=0)
    out = []
    for row in cells:
        values = [""] * width
        for column, (kind, text) in row.items():
            values[column - 1] = _value(kind, text, strings)
        out.append(values)
    return out


def _rich_text(el) -> str:
    """A string item's text: its <t>, or its runs' <t> in order (phonetic runs <rPh> left out, as Excel shows it)."""
    if el is None:
        return ""
    return "".join(t.text or "" for t in (*el.findall(f"{_MAIN_NS}t"), *el.findall(f"{_MAIN_NS}r/{_MAIN_NS}t")))


def _value(kind: str, text: str, strings: list[str]):
    if kind == "s":
        return strings[int(text)]
    if kind == "b":
        return text == "1"
    if kind in ("str", "inlineStr", "e", "d"):
        return text
    number = float(text)
    return int(number) if number.is_integer() and "." not in text and "E" not in text.upper() else number


def _decode_prefix(head: bytes) -> str:
    """A prefix of a longer file may end inside a multi-byte character: drop up to 3 trailing bytes."""
    for cut in range(4):
        try:
            return decode_csv(head[:len(head) - cut] if cut else head)
        except UploadRefused:
            continue
    return decode_csv(head)


# --- headers ------------------------------------------------------------------------------------------------

_NOTE = re.compile(r"[（(][^）)]*(必填|选填|可选|可不填|必须)[^）)]*[）)]$")
_SPACES = re.compile(r"\s+")


def normalize_header(value) -> str:
    text = _SPACES.sub("", str(value or "")).replace("（", "(").replace("）", ")").replace("*", "").replace("：", "")
    text = _NOTE.sub("", text)
    return text.lower()


def find_header(rows: list[list], aliases: dict[str, tuple[str, ...]], *, required: tuple[str, ...] = (),
                scan: int = HEADER_SCAN_ROWS) -> tuple[int, dict[str, int]] | None:
    """(0-based header row index, {key: column}) for the first row among `scan` that holds every required key
    (or, with none required, the most keys); None when no row qualifies."""
    lookup = {normalize_header(alias): key for key, names in aliases.items() for alias in (key, *names)}
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:scan]):
        found: dict[str, int] = {}
        for column, cell in enumerate(row):
            key = lookup.get(normalize_header(cell))
            if key and key not in found:
                found[key] = column
        if not found:
            continue
        if required and all(k in found for k in required):
            return index, found
        if not required and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


def describe_row(rows: list[list]) -> str:
    """The probable header as the user wrote it (the fullest of the first rows), for a refusal message."""
    first = max(rows[:HEADER_SCAN_ROWS], key=lambda row: sum(1 for c in row if str(c).strip()), default=[])
    return "、".join(str(c).strip() for c in first if str(c).strip())[:160] or "（空）"
