"""Read a department's file (xlsx/xls/csv) into header + rows, the way government sheets really look.

- the header is the first row (among the first 10) that contains an ID-number column; title rows and
  blank rows above it are skipped;
- cells inside a vertically merged range take the range's value (calamine leaves them empty);
- IDs stored as numbers: a 15-digit number is exact (upgraded later); an 18-digit number is not (a
  spreadsheet number keeps about 15-16 significant digits, so neighbouring IDs collide) and is refused
  per row with the reason — guessing would match the wrong person;
- password-protected xlsx (an OLE container with an EncryptedPackage stream), files that are not a
  spreadsheet, and empty files are refused with a Chinese message before anything is written.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import python_calamine as pc
from django.core.exceptions import ValidationError

from monitoring.sources import Source, header_map

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HEADER_SCAN_ROWS = 10


class FileRefused(ValidationError):
    """The whole file is unusable; nothing is written."""


@dataclass
class Table:
    header_row: int  # 1-based row number of the header in the file
    columns: dict[str, int]
    rows: list[list]  # data rows after the header, in file order


def _is_encrypted_ole(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data


def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused("CSV 文件编码无法识别，请另存为 UTF-8 或 GBK 编码后重新上传", code="encoding")


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" in sample


def read_cells(data: bytes, file_name: str) -> tuple[list[list], list, str]:
    """All cells of the first sheet; merged ranges; the format read ('xlsx', 'xls', 'csv')."""
    if not data or not data.strip():
        raise FileRefused("上传的文件是空的", code="empty")
    if _is_encrypted_ole(data):
        raise FileRefused("文件设置了打开密码，系统无法读取。请在 Excel 中取消密码（文件→信息→保护工作簿）后重新上传",
                          code="password")
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        try:
            book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = book.get_sheet_by_index(0)
            cells = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except pc.PasswordError:
            raise FileRefused("文件设置了打开密码，系统无法读取。请取消密码后重新上传", code="password") from None
        except Exception:
            raise FileRefused("文件已损坏或不是 Excel 表格，请用 Excel 打开确认后重新上传", code="not_spreadsheet") from None
        return cells, merged, "xlsx" if data.startswith(ZIP_MAGIC) else "xls"
    if _looks_binary(data):
        raise FileRefused("上传的文件不是 Excel 或 CSV 表格（请上传 .xlsx、.xls 或 .csv 文件）", code="not_spreadsheet")
    text = _decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)], [], "csv"


def _fill_merged(cells: list[list], merged: list) -> None:
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(cells):
            continue
        value = cells[r0][c0] if c0 < len(cells[r0]) else ""
        for r in range(r0, min(r1, len(cells) - 1) + 1):
            row = cells[r]
            for c in range(c0, c1 + 1):
                if c < len(row) and (r, c) != (r0, c0):
                    row[c] = value


def read_table(data: bytes, file_name: str, source: Source) -> Table:
    cells, merged, fmt = read_cells(data, file_name)
    if not any(any(str(c).strip() for c in row) for row in cells):
        raise FileRefused("上传的文件没有任何内容", code="empty")
    columns = None
    header_index = 0
    for i, row in enumerate(cells[:HEADER_SCAN_ROWS]):
        found = header_map(source, list(row))
        if "id" in found:
            columns, header_index = found, i
            break
    if columns is None:
        # the probable header: the fullest of the first rows (a title row has one filled cell)
        first = max(cells[:HEADER_SCAN_ROWS], key=lambda row: sum(1 for c in row if str(c).strip()), default=[])
        shown = "、".join(str(c).strip() for c in first if str(c).strip())[:120]
        raise FileRefused(
            f"没有找到身份证号码列。{source.department}“{source.label}”文件须有身份证号码列，其余各列可有："
            f"{'、'.join(source.column_labels[1:])}；"
            f"文件的表头为：{shown or '（空）'}",
            code="wrong_columns",
        )
    if merged:
        _fill_merged(cells, [m for m in merged if m[0][0] > header_index])
    rows = cells[header_index + 1:]
    if not any(any(str(c).strip() for c in row) for row in rows):
        raise FileRefused("文件只有表头，没有数据行", code="empty")
    return Table(header_row=header_index + 1, columns=columns, rows=rows)
