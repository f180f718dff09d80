"""Read a department's file (xlsx/xls/csv) into header + rows, the way government sheets really look.

- the header is the first row (among the first 10) that contains an ID-number column; title rows and
  blank rows above it are skipped;
- cells inside a vertically merged range take the range's value (calamine leaves them empty);
- IDs stored as numbers: a 15-digit number is exact (upgraded later); an 18-digit number is not (a
  spreadsheet number keeps about 15-16 significant digits, so neighbouring IDs collide) and is refused
  per row with the reason — guessing would match the wrong person;
- everything passes core.tabular (core.uploads): size, type from the content (a PDF renamed .xlsx is "不是
  Excel 文件"), a zip bomb refused by declared and counted sizes, rows, columns, cell length; password-protected
  xlsx, files that are not a spreadsheet and empty files are refused with a Chinese message before anything is
  written; `check_header` runs at upload so the officer learns of a wrong file at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import tabular, uploads
from monitoring.sources import Source, header_map

HEADER_SCAN_ROWS = tabular.HEADER_SCAN_ROWS
LIMIT_CHANGES = {"max_bytes": 60 * 1024 * 1024, "max_columns": 200}  # a department file may be wide
FileRefused = uploads.UploadRefused  # the whole file is unusable; nothing is written


@dataclass
class Table:
    header_row: int  # 1-based row number of the header in the file
    columns: dict[str, int]
    rows: list[list]  # data rows after the header, in file order


def read_cells(data: bytes, file_name: str, *, passed_gate: bool = False) -> tuple[list[list], list, str]:
    """All cells of the first sheet; merged ranges; the format read ('xlsx', 'xls', 'csv') — through the one
    bounded reader (core.tabular): size, type from the content, zip bounds, rows, columns, cell length.
    `passed_gate`: the same bytes passed the gate at upload (`check_header`, same limits), see tabular.read."""
    table = tabular.read(data, name=file_name, limits=uploads.default_limits(**LIMIT_CHANGES), passed_gate=passed_gate)
    return table.first.rows, table.first.merged, table.kind


def read_upload(upload) -> bytes:
    """An uploaded department file's content, refused by its size before it is read into memory."""
    return uploads.read_upload(upload, uploads.default_limits(**LIMIT_CHANGES))


def header_refusal(source: Source, rows: list[list]) -> FileRefused:
    return FileRefused(
        f"没有找到身份证号码列。{source.department}“{source.label}”文件须有身份证号码列，其余各列可有："
        f"{'、'.join(source.column_labels[1:])}；"
        f"文件的表头为：{tabular.describe_row(rows)}",
        code="wrong_columns",
    )


def check_header(data: bytes, file_name: str, source: Source) -> None:
    """At upload, in the web request: the file passes the gate and its first rows hold an ID-number column,
    so the officer learns at once, not from a failed job."""
    rows = tabular.peek(data, name=file_name, limits=uploads.default_limits(**LIMIT_CHANGES))
    if not any(any(str(c).strip() for c in row) for row in rows):
        raise FileRefused("上传的文件没有任何内容", code="empty")
    if not any("id" in header_map(source, list(row)) for row in rows[:HEADER_SCAN_ROWS]):
        raise header_refusal(source, rows)


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


def read_table(data: bytes, file_name: str, source: Source, *, passed_gate: bool = False) -> Table:
    cells, merged, fmt = read_cells(data, file_name, passed_gate=passed_gate)
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
        raise header_refusal(source, cells)
    if merged:
        _fill_merged(cells, [m for m in merged if m[0][0] > header_index])
    rows = cells[header_index + 1:]
    if not any(any(str(c).strip() for c in row) for row in rows):
        raise FileRefused("文件只有表头，没有数据行", code="empty")
    return Table(header_row=header_index + 1, columns=columns, rows=rows)
